"""Coordinators keep an eye on the agreements: list, look, pause, resume, change, extend and end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.accounts.audit import record
from bot.domain import rhythm
from bot.domain.access import may_manage
from bot.domain.agreements import (
    ACTIVE,
    ENDED,
    LIVE,
    PAUSED,
    AgreementMove,
    AgreementStatus,
    CheckInStatus,
    agreement_after,
)
from bot.domain.tallies import Counted
from bot.domain.waakvlam_commands import (
    AgreementAction,
    ExtendAgreement,
    OnAgreement,
    ShowAgreement,
    StopAgreement,
)
from bot.frontdesk.conversation import BUSY, ChatOf, ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.signals.viewing import OPEN
from bot.views.messenger import Buttons
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import STATUS_LABELS, WaakvlamBasis
from bot.waakvlam.overview import overview
from bot.waakvlam.setup import AgreementSetup
from flows.engine import Answers, Completed, Outcome
from flows.state import number
from flows.text import N_, Msg, Param
from flows.waakvlam import CHANGE_RHYTHM, END, END_REASONS, PAUSE_REASONS, rhythm_of
from flows.waakvlam import PAUSE as PAUSE_FLOW
from storage.models import Agreement, User
from storage.ports import Work

CARD = N_("{agreement}\nStatus: {status}{risk}\nLaatste check-ins: {last}")
AT_RISK = N_(" · loopt risico")
NO_CHECKINS = N_("nog geen")
ANSWERS = {"good": N_("goed"), "worry": N_("zorgen"), "no_contact": N_("geen contact")}
PAUSE, RESUME = N_("Pauzeren"), N_("Hervatten")
CHANGE_RHYTHM_LABEL = N_("Ritme wijzigen")
CHANGE_OWNER_LABEL, END_LABEL = N_("Contactpersoon wijzigen"), N_("Beëindigen")
PAUSED_MSG = N_("Waakvlam {ref} is gepauzeerd ({reason}); er gaan geen vragen uit tot hij wordt hervat.")
RESUMED_MSG = N_("Waakvlam {ref} loopt weer. De volgende vraag komt {next}.")
RHYTHM_SET = N_("Het ritme van waakvlam {ref} is nu {rhythm}. De volgende vraag komt {next}.")
EXTENDED = N_("Waakvlam {ref} is verlengd tot {end}.")
ENDED_MSG = N_("Waakvlam {ref} is beëindigd door {name}: {reason}.")
NOT_EXTENDED = N_("niet verlengd")
GONE = N_("Dit kan niet meer: de waakvlam is intussen veranderd.")
NOT_YOURS = N_("Dit mag alleen de contactpersoon of een coördinator van de gemeente.")
NO_NEXT = N_("niet meer: de waakvlam loopt af")


@dataclass
class Stewardship:
    basis: WaakvlamBasis
    runner: ConversationRunner
    checkins: CheckIns
    setup: AgreementSetup

    async def overview(self, uow: Work, user: User) -> tuple[str, Buttons]:
        """A coordinator's list of agreements, with a button per agreement."""
        return await overview(self.basis, uow, user)

    async def card(self, uow: Work, user: User, agreement: Agreement, message_id: int | None = None) -> str:
        """One agreement's card: status, last check-ins and what may be done now (edited in place when `message_id`)."""
        loc = user.locale
        recent = (await uow.agreements.checkins_of(agreement.id))[-3:]
        last = ", ".join(
            f"{self.basis.tr.day(loc, rhythm.local_day(c.due_at, self.basis.zone))}: "
            + self.basis.tr.render(loc, Msg(ANSWERS.get(c.answer or "", N_("open"))))
            for c in recent
            if c.status not in (CheckInStatus.PLANNED, CheckInStatus.REPLACED)
        ) or self.basis.tr.render(loc, Msg(NO_CHECKINS))
        text = self.basis.tr.render(
            loc,
            Msg(
                CARD,
                {
                    "agreement": await self.basis.describe(uow, loc, agreement),
                    "status": Msg(STATUS_LABELS[agreement.status]),
                    "risk": Msg(AT_RISK) if agreement.at_risk else "",
                    "last": last,
                },
            ),
        )
        b, v = self.basis.button, agreement.version
        rows: Buttons = []
        if agreement.status == ACTIVE:
            rows.append(
                [
                    b(user, PAUSE, AgreementAction.PAUSE, agreement.id, v),
                    b(user, CHANGE_RHYTHM_LABEL, AgreementAction.CHANGE_RHYTHM, agreement.id, v),
                ]
            )
        if agreement.status == PAUSED:
            rows.append([b(user, RESUME, AgreementAction.RESUME, agreement.id, v)])
        if agreement.status in LIVE:
            rows.append(
                [
                    b(user, CHANGE_OWNER_LABEL, AgreementAction.CHANGE_OWNER, agreement.id, v),
                    b(user, END_LABEL, AgreementAction.END, agreement.id, v),
                ]
            )
        rows += self.runner.forms.opens(self.basis.tr.render(loc, Msg(OPEN)), agreement.ref)  # who, signs
        if message_id is not None:
            await self.basis.messenger.edit(uow.outbox, user.telegram_id, message_id, text, rows)
        else:
            await self.basis.messenger.send(uow.outbox, user.telegram_id, text, rows)
        return ""

    async def may(self, uow: Work, user: User, command: OnAgreement, agreement: Agreement) -> Msg | None:
        """Why not now (None: they may): its gemeente's coordinators anything, its contact person extend or end."""
        owner_may = isinstance(command, (ExtendAgreement, StopAgreement)) and user.id == agreement.owner_id
        if not (may_manage(user, agreement) or (owner_may and user.active)):
            await record(uow, self.basis.clock, "waakvlam_action_refused", actor=user, subject=agreement.ref)
            return Msg(NOT_YOURS)
        if isinstance(command, ShowAgreement):
            return None
        if command.version != agreement.version or agreement.status == ENDED:
            return Msg(GONE)
        return None

    async def pause(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> Msg | str | None:
        """Pauzeren asks why first (privately); nothing changes until a reason is chosen."""
        if agreement_after(agreement.status, AgreementMove.PAUSE) is None:
            return None
        return await self._ask(uow, user, agreement, PAUSE_FLOW.id)

    async def on_pause(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A reason was chosen: pause the agreement and tell whoever gets its check-ins."""
        agreement = await self._still(uow, user, outcome)
        paused = agreement_after(agreement.status, AgreementMove.PAUSE) if agreement else None
        if agreement is None or paused is None or not isinstance(outcome, Completed):
            return
        code = str(outcome.answers["reason"])
        reason = Msg(next(o.label for o in PAUSE_REASONS if o.value == code))
        await self._set(uow, user, agreement, paused, "paused", code)
        await self._tell(uow, agreement, lambda _: Msg(PAUSED_MSG, {"ref": agreement.ref, "reason": reason}))
        await self.card(uow, user, agreement)

    async def resume(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> str | None:
        """Hervatten: the agreement runs again, with check-ins planned afresh from today."""
        resumed = agreement_after(agreement.status, AgreementMove.RESUME)
        if resumed is None:
            return None
        await self._set(uow, user, agreement, resumed, "resumed")
        checkin = await self.checkins.replan(uow, agreement)
        due = checkin.due_at if checkin else None
        await self._tell(
            uow,
            agreement,
            lambda loc: Msg(RESUMED_MSG, {"ref": agreement.ref, "next": self._next(due, loc)}),
        )
        return await self.card(uow, user, agreement, message_id)

    async def change_owner(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> Msg | str:
        """Contactpersoon wijzigen: ask the coordinator whom (a short flow)."""
        return await self.setup.change_owner(uow, user, agreement)

    async def change_rhythm(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> Msg | str:
        """Ritme wijzigen: ask the coordinator how often (a short flow)."""
        return await self._ask(uow, user, agreement, CHANGE_RHYTHM.id)

    async def end_flow(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> Msg | str:
        """Beëindigen: ask the coordinator why first (a short flow)."""
        return await self._ask(uow, user, agreement, END.id)

    async def _ask(self, uow: Work, user: User, agreement: Agreement, flow_id: str) -> Msg | str:
        seed: Answers = {"agreement": str(agreement.id), "version": str(agreement.version)}
        if not await self.runner.start_if_free(uow, ChatOf(user, user.telegram_id), flow_id, seed):
            return Msg(BUSY)
        return ""

    async def extend(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> str:
        """Verlengen: the end moves on by the region's months, and the end is planned anew."""
        loc = user.locale
        end = rhythm.add_months(agreement.end_on, self.basis.region.waakvlam.extend_months)
        await uow.agreements.change(agreement, end_on=end)
        await uow.agreements.event(agreement.id, self.basis.clock.now(), user.id, "extended", end.isoformat())
        await record(uow, self.basis.clock, "waakvlam_extended", actor=user, subject=agreement.ref)
        await self.checkins.plan_end(uow, agreement)
        if agreement.status == ACTIVE and await self.checkins.next_due(uow, agreement) is None:
            await self.checkins.plan_next(uow, agreement, self.basis.today())
        text = self.basis.tr.render(
            loc, Msg(EXTENDED, {"ref": agreement.ref, "end": self.basis.tr.day(loc, end)})
        )
        await self.basis.messenger.edit(uow.outbox, user.telegram_id, message_id, text, [])
        return ""

    async def stop(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> str:
        """Laten aflopen: the agreement ends now, as agreed."""
        await self.end(uow, user, agreement, Msg(NOT_EXTENDED), "not_extended")
        return ""

    def flows(self) -> list[FlowSpec]:
        """The coordinators' change conversations: rhythm, end, pause."""
        return [
            FlowSpec(CHANGE_RHYTHM, self.on_rhythm),
            FlowSpec(END, self.on_end),
            FlowSpec(PAUSE_FLOW, self.on_pause),
        ]

    async def on_rhythm(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A new rhythm was chosen: store it, plan afresh and tell who needs to know."""
        agreement = await self._still(uow, user, outcome)
        if agreement is None or not isinstance(outcome, Completed):
            return
        new = rhythm.Rhythm.read(rhythm_of(outcome.answers))
        await uow.agreements.change(agreement, rhythm=new)
        await uow.agreements.event(
            agreement.id, self.basis.clock.now(), user.id, "rhythm_changed", new.code()
        )
        checkin = await self.checkins.replan(uow, agreement) if agreement.status == ACTIVE else None
        due = checkin.due_at if checkin else None

        def told(loc: str) -> Msg:
            params: dict[str, Param] = {
                "ref": agreement.ref,
                "rhythm": self.basis.rhythm_text(new),
                "next": self._next(due, loc),
            }
            return Msg(RHYTHM_SET, params)

        await self._tell(uow, agreement, told, also=user)

    async def on_end(self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None) -> None:
        """A reason to end was chosen: end the agreement with it."""
        agreement = await self._still(uow, user, outcome)
        if agreement is None or not isinstance(outcome, Completed):
            return
        code = str(outcome.answers["reason"])
        label = next(o.label for o in END_REASONS if o.value == code)
        await self.end(uow, user, agreement, Msg(label), code)

    async def end(self, uow: Work, user: User, agreement: Agreement, reason: Msg, code: str) -> None:
        """End an agreement: close its open check-ins, count it, and tell its people."""
        now = self.basis.clock.now()
        people = await self.basis.owner_and_coordinators(uow, agreement)
        await uow.agreements.change(agreement, status=ENDED, ended_at=now, end_reason=code)
        await self.checkins.close_open(uow, agreement)
        await uow.agreements.event(agreement.id, now, user.id, "ended", code)
        # Not extended at the end is ending as agreed; any other reason is ending early.
        await self.basis.count(
            uow, Counted.WAAKVLAM_ENDED, agreement.gemeente, "agreed" if code == "not_extended" else "early"
        )
        await record(uow, self.basis.clock, "waakvlam_ended", actor=user, subject=agreement.ref, reason=code)
        msg = Msg(ENDED_MSG, {"ref": agreement.ref, "name": user.display_name, "reason": reason})
        for person in people if user.id in {p.id for p in people} else [user, *people]:
            await self.basis.send(uow, person, msg)

    async def _still(self, uow: Work, user: User, outcome: Outcome) -> Agreement | None:
        """The agreement a change flow was about, if it is unchanged since the flow began."""
        if not isinstance(outcome, Completed):
            return None
        agreement = await uow.agreements.by_id(number(outcome.answers, "agreement"))
        if (
            agreement is None
            or agreement.version != number(outcome.answers, "version")
            or agreement.status == ENDED
        ):
            await self.basis.send(uow, user, Msg(GONE))
            return None
        return agreement

    async def _set(
        self, uow: Work, user: User, agreement: Agreement, status: AgreementStatus, event: str, note: str = ""
    ) -> None:
        await uow.agreements.change(agreement, status=status)
        await uow.agreements.event(agreement.id, self.basis.clock.now(), user.id, event, note or None)
        await record(uow, self.basis.clock, f"waakvlam_{event}", actor=user, subject=agreement.ref)

    async def _tell(
        self, uow: Work, agreement: Agreement, msg: Callable[[str], Msg], also: User | None = None
    ) -> None:
        """Tell whoever gets the check-ins (and `also`), each in their own language."""
        people = await self.basis.recipients(uow, agreement)
        if also is not None and also.id not in {p.id for p in people}:
            people.append(also)
        for person in people:
            await self.basis.send(uow, person, msg(person.locale))

    def _next(self, when: datetime | None, locale: str) -> Msg | str:
        return self.basis.tr.moment(locale, when) if when is not None else Msg(NO_NEXT)
