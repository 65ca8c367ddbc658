"""A regie's card (who directs, its signals, its plan) with what the regisseur may do there; closing a regie,
and four weeks later asking whether the solution held: *zo niet, dan meteen weer opnieuw starten*."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.accounts.audit import record
from bot.domain.access import may_read_regie, may_steer_regie
from bot.domain.calendar import working_day_from
from bot.domain.jobs import RegieFollowUp
from bot.domain.regie import ACTIVE, CLOSED, OPEN_LINE, LineStatus
from bot.domain.regie_commands import OnRegie, RegieAction
from bot.domain.tallies import Counted, month
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.chasing import CHASE_AT
from bot.regie.links import RegieLinks, regie_label
from bot.regie.named import named_in, who
from bot.views.messenger import Buttons
from flows.closing import BOTTLENECKS
from flows.engine import Answers, Completed, Outcome
from flows.regie import CLOSE, CLOSE_OUTCOMES, LINE_REASONS
from flows.state import number
from flows.text import N_, Msg, Param
from storage.models import PlanLine, Regie, User
from storage.ports import Work

HEAD = N_("Regie {regie} · {gemeente}")
SIGNALS = N_("Signalen: {signals}")
PLAN = N_("Plan:")
NO_PLAN = N_("Plan: nog geen regels. Voeg er een toe met ➕ Planregel.")
LINE = N_("{seq}. {name} · klaar vóór {due} · {status}")
ON_PAGE = N_("Wat er per regel gebeurt, leest u op de server: tik op Openen.")
LINE_STATUS = {
    LineStatus.ASKED: N_("gevraagd"),
    LineStatus.ACCEPTED: N_("aangenomen"),
    LineStatus.DECLINED: N_("niet aangenomen"),
    LineStatus.DONE: N_("gedaan"),
    LineStatus.NOT_DONE: N_("lukt niet"),
}
ADD, SCALE_UP, CLOSE_LABEL = N_("➕ Planregel"), N_("⬆ Opschalen"), N_("🏁 Regie afsluiten")
REMIND = N_("⏰ Herinner mij")
DONE_N, NOT_DONE_N = N_("✅ {seq} gedaan"), N_("✖ {seq} lukt niet")
NOT_YOURS = N_("Deze regie kunt u niet inzien.")
CLOSED_TOLD = N_(
    "Regie {regie} is afgesloten: {outcome}. Over vier weken vraagt de bot of de oplossing standhoudt."
)
FOLLOW_UP = N_(
    "Vier weken geleden sloot u regie {regie} ({gemeente}): {outcome}. Houdt de oplossing stand voor de bewoner?"
)
HELD, FAILED = N_("Ja, het houdt stand"), N_("Nee, opnieuw starten")
HELD_TOLD = N_("Genoteerd: de oplossing van regie {regie} houdt stand.")
REOPENED = N_("Regie {regie} loopt weer, bij u als regisseur. Pas het plan aan via /regie.")
REOPENED_TOLD = N_("Regie {regie} ({gemeente}) loopt weer: de oplossing hield geen stand.")
GONE = N_("Deze regie staat niet meer open.")
FOUR_WEEKS = timedelta(weeks=4)
Refresh = Callable[[Work, Regie], Awaitable[None]]


@dataclass
class RegieCards:
    links: RegieLinks
    runner: ConversationRunner
    refresh: Refresh  # the desks' summaries of the resident's open signals, as the regie is now

    def flows(self) -> list[FlowSpec]:
        """Closing a regie."""
        return [FlowSpec(CLOSE, self.on_closed)]

    async def show(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """📋 The card, as a new message: the plan's lines by code and name (their text on the page)."""
        regie = await uow.regies.by_id(command.regie)
        lines = await uow.regies.lines_of(regie.id) if regie is not None else []
        if regie is None or not may_read_regie(user, regie, named_in(user, regie, lines)):
            return Msg(NOT_YOURS)
        text, buttons = await self.card(uow, user, regie, lines)
        await self.links.messenger.send(uow.outbox, user.telegram_id, text, buttons)
        return ""

    async def card(self, uow: Work, user: User, regie: Regie, lines: list[PlanLine]) -> tuple[str, Buttons]:
        """The card's text and buttons for this person: its head, its plan in short, what they may do."""
        loc, tr = user.locale, self.links.tr
        text = [await self._head(uow, user, regie), tr.render(loc, Msg(PLAN if lines else NO_PLAN))]
        people = await uow.users.by_ids({line.owner_id for line in lines if line.owner_id is not None})
        text += [self._line(user, line, people) for line in lines]
        if lines:
            text.append(tr.render(loc, Msg(ON_PAGE)))
        return "\n".join(t for t in text if t), self._buttons(user, regie, lines)

    async def _head(self, uow: Work, user: User, regie: Regie) -> str:
        """Which regie, its gemeente and regisseur, the signals under it."""
        loc, tr = user.locale, self.links.tr
        signals = [s.ref for s in await uow.signals.by_resident(regie.resident_key) if s.regie_id == regie.id]
        gemeente = self.links.region.gemeente_name(regie.gemeente)
        text = [tr.render(loc, Msg(HEAD, {"regie": regie.ref, "gemeente": gemeente}))]
        text.append(await regie_label(uow, tr, regie, loc) or "")
        text.append(tr.render(loc, Msg(SIGNALS, {"signals": ", ".join(signals) or "-"})))
        return "\n".join(t for t in text if t)

    def _line(self, user: User, line: PlanLine, people: dict[int, User]) -> str:
        """One plan line in short: number, who, by when, how it stands."""
        tr, loc = self.links.tr, user.locale
        params: dict[str, Param] = {
            "seq": line.seq,
            "name": who(line, people),
            "due": tr.day(loc, line.due_on),
            "status": Msg(LINE_STATUS[line.status]),
        }
        return tr.render(loc, Msg(LINE, params))

    def _buttons(self, user: User, regie: Regie, lines: list[PlanLine]) -> Buttons:
        buttons: Buttons = []
        if regie.status == ACTIVE and may_steer_regie(user, regie):
            b = self.links.button
            buttons.append(
                [
                    b(user, ADD, RegieAction.ADD_LINE, regie.id, regie.version),
                    b(user, SCALE_UP, RegieAction.SCALE_UP, regie.id, regie.version),
                ]
            )
            buttons.append(
                [
                    b(user, REMIND, RegieAction.REMIND, regie.id, regie.version),
                    b(user, CLOSE_LABEL, RegieAction.CLOSE, regie.id, regie.version),
                ]
            )
            for line in (x for x in lines if x.status in OPEN_LINE):
                seq: dict[str, Param] = {"seq": line.seq}
                buttons.append(
                    [
                        b(user, Msg(DONE_N, seq), RegieAction.LINE_DONE, line.id, line.version),
                        b(user, Msg(NOT_DONE_N, seq), RegieAction.LINE_NOT_DONE, line.id, line.version),
                    ]
                )
        return buttons + self.links.opens(user, regie.ref)

    async def page(self, uow: Work, user: User, code: str) -> str | None:
        """The regie on the reading page: its head, and its plan with what each line says; None when not
        allowed."""
        regie = await uow.regies.by_ref(code)
        lines = await uow.regies.lines_of(regie.id) if regie is not None else []
        if regie is None or not may_read_regie(user, regie, named_in(user, regie, lines)):
            await record(uow, self.links.clock, "regie_view_refused", actor=user, subject=code)
            return None
        await record(uow, self.links.clock, "regie_viewed", actor=user, subject=code)
        people = await uow.users.by_ids({line.owner_id for line in lines if line.owner_id is not None})
        tr, loc = self.links.tr, user.locale
        rows = [await self._head(uow, user, regie), tr.render(loc, Msg(PLAN if lines else NO_PLAN))]
        for line in lines:
            reason = (
                f" ({tr.render(loc, Msg(LINE_REASONS[line.reason]))})" if line.reason in LINE_REASONS else ""
            )
            rows.append(f"{self._line(user, line, people)}{reason}\n   {line.what}")
        return "\n".join(r for r in rows if r)

    async def close(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """🏁 Regie afsluiten: the outcome is asked privately."""
        regie = await uow.regies.by_id(command.regie)
        if regie is None or regie.status != ACTIVE or regie.version != command.version:
            return Msg(GONE)
        if not may_steer_regie(user, regie):
            return Msg(NOT_YOURS)
        seed: Answers = {"regie": regie.ref, "regie_id": str(regie.id), "version": str(regie.version)}
        return await self.runner.start_private(uow, user, CLOSE.id, seed)

    async def on_closed(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Close the regie and plan the question whether the solution held, four weeks on."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        regie = await uow.regies.by_id(number(a, "regie_id"))
        result = str(a.get("outcome", ""))
        if (
            regie is None
            or regie.status != ACTIVE
            or regie.version != number(a, "version")
            or not may_steer_regie(user, regie)
            or result not in CLOSE_OUTCOMES
        ):
            await self.links.say(uow, user, Msg(GONE))
            return
        now = self.links.clock.now()
        await uow.regies.change(regie, status=CLOSED, closed_at=now, outcome=result)
        await uow.regies.event(regie.id, now, user.id, "closed", result)
        await record(uow, self.links.clock, "regie_closed", actor=user, subject=regie.ref, outcome=result)
        if (knelpunt := str(a.get("knelpunt", ""))) in BOTTLENECKS:  # one optional tap, counted anonymously
            when = month(now, self.links.region.info.timezone)
            await uow.tallies.bump(Counted.BOTTLENECK, regie.gemeente, knelpunt, when)
        hours = self.links.region.hours()
        day = working_day_from(hours.local_day(now + FOUR_WEEKS))
        await uow.due.plan(RegieFollowUp(regie.id, now), hours.at(day, CHASE_AT))
        await self.links.say(
            uow, user, Msg(CLOSED_TOLD, {"regie": regie.ref, "outcome": Msg(CLOSE_OUTCOMES[result])})
        )
        await self.refresh(uow, regie)

    async def follow_up(self, uow: Work, job: RegieFollowUp) -> None:
        """Four weeks on: ask the regisseur (or, gone, the coordinators) whether the solution held."""
        regie = await uow.regies.by_id(job.regie)
        if regie is None or regie.status != CLOSED or regie.closed_at != job.closed:
            return
        regisseur = await uow.users.by_id(regie.regisseur_id or 0)
        people = (
            [regisseur]
            if regisseur is not None and regisseur.active
            else await uow.users.coordinators_of(regie.gemeente)
        )
        for person in people:
            params: dict[str, Param] = {
                "regie": regie.ref,
                "gemeente": self.links.region.gemeente_name(regie.gemeente),
                "outcome": Msg(CLOSE_OUTCOMES.get(regie.outcome or "", "-")),
            }
            b = self.links.button
            buttons = [
                [
                    b(person, HELD, RegieAction.HELD, regie.id, regie.version),
                    b(person, FAILED, RegieAction.FAILED, regie.id, regie.version),
                ]
            ]
            await self.links.say(uow, person, Msg(FOLLOW_UP, params), buttons)

    async def held(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """Ja: noted in the regie's history; it stays closed."""
        regie = await self._closed(uow, user, command)
        if regie is None:
            return Msg(GONE)
        await uow.regies.event(regie.id, self.links.clock.now(), user.id, "held")
        text = self.links.tr.render(user.locale, Msg(HELD_TOLD, {"regie": regie.ref}))
        await self.links.messenger.edit(uow.outbox, user.telegram_id, command.message_id, text, [])
        return ""

    async def failed(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """Nee, opnieuw starten: the regie runs again with its regisseur; the coordinators hear it."""
        regie = await self._closed(uow, user, command)
        if regie is None or await uow.regies.live_of(regie.resident_key) is not None:
            return Msg(GONE)
        now = self.links.clock.now()
        # Whoever starts it again directs it: the regisseur, or (when they left) a coordinator.
        await uow.regies.change(regie, status=ACTIVE, closed_at=None, outcome=None, regisseur_id=user.id)
        await uow.regies.event(regie.id, now, user.id, "reopened")
        await record(uow, self.links.clock, "regie_reopened", actor=user, subject=regie.ref)
        text = self.links.tr.render(user.locale, Msg(REOPENED, {"regie": regie.ref}))
        await self.links.messenger.edit(uow.outbox, user.telegram_id, command.message_id, text, [])
        params: dict[str, Param] = {
            "regie": regie.ref,
            "gemeente": self.links.region.gemeente_name(regie.gemeente),
        }
        for person in await uow.users.coordinators_of(regie.gemeente):
            if person.id != user.id:
                await self.links.say(uow, person, Msg(REOPENED_TOLD, params))
        await self.refresh(uow, regie)
        return ""

    async def _closed(self, uow: Work, user: User, command: OnRegie) -> Regie | None:
        regie = await uow.regies.by_id(command.regie)
        if regie is None or regie.status != CLOSED or regie.version != command.version:
            return None
        if user.id != regie.regisseur_id and not may_steer_regie(user, regie):
            return None
        return regie
