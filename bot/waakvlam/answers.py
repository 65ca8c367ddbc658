"""Answers to a check-in: Goed, Zorgen (a fast re-entry signal), Geen contact gehad, Later herinneren."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.access import may_answer
from bot.domain.agreements import ENDED, OPEN_CHECKIN, CheckInStatus
from bot.domain.calendar import working_days_later
from bot.domain.jobs import SendCheckIn
from bot.domain.tallies import Counted
from bot.domain.waakvlam_commands import AgreementAction, CheckInAnswer
from bot.frontdesk.conversation import BUSY, ChatOf, ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.waakvlam.checkins import NO_CONTACT_TWICE, CheckIns
from bot.waakvlam.common import WaakvlamBasis
from bot.waakvlam.reentry import ReEntry
from flows.engine import Answers as FlowAnswers
from flows.engine import Completed, Outcome
from flows.state import number
from flows.text import N_, Msg, Param
from flows.waakvlam import WORRY
from storage.models import Agreement, CheckIn, User
from storage.ports import Work

NOT_YOURS = N_("Deze check-in is niet (meer) voor u.")
ALREADY = N_("Deze check-in is al beantwoord.")
NOT_OPEN = N_("Deze check-in is niet meer open: waakvlam {ref} is beëindigd.")
NOTED_GOOD = N_("🕯 Waakvlam {ref}: goed. Genoteerd; de volgende vraag komt {next}.")
NOTED_NONE = N_("🕯 Waakvlam {ref}: geen contact gehad. Genoteerd; de volgende vraag komt {next}.")
NOTED_LATER = N_("🕯 Waakvlam {ref}: ik vraag het u {when} opnieuw.")
NOTED_WORRY = N_("🕯 Waakvlam {ref}: zorgen. Uw signaal {signal} staat bij {desk}.")
NO_NEXT = N_("niet meer: de waakvlam loopt af")
FILED = N_(
    "Uw zorg is als signaal {signal} naar {desk} gegaan, gemarkeerd als terugval en gekoppeld aan "
    "waakvlam {ref} en de eerdere geschiedenis. Het meldpunt laat u weten wat het doet."
)
TOLD_SETTER = N_(
    "🕯 Terugval bij waakvlam {ref} ({gemeente}): {owner} meldde zorgen bij een check-in. Signaal {signal} "
    "staat bij {desk}."
)
GO_ON = N_("Vertel kort wat u zorgen baart; daarna gaat het direct naar het meldpunt.")


@dataclass
class CheckInAnswers:
    basis: WaakvlamBasis
    checkins: CheckIns
    runner: ConversationRunner
    reentry: ReEntry

    async def press(
        self, uow: Work, user: User, action: CheckInAnswer, checkin_id: int, message_id: int
    ) -> Msg | str:
        """A tap on a check-in question: good, no contact, worried (asks what), or later (asks again)."""
        checkin = await uow.agreements.checkin(checkin_id)
        agreement = await uow.agreements.by_id(checkin.agreement_id) if checkin else None
        loc = user.locale
        if checkin is None or agreement is None or not may_answer(user, agreement):
            await record(uow, self.basis.clock, "checkin_refused", actor=user)
            return Msg(NOT_YOURS)
        if agreement.status == ENDED or checkin.status == CheckInStatus.CLOSED:
            await self.basis.messenger.unbutton(uow.outbox, user.telegram_id, message_id)
            return Msg(NOT_OPEN, {"ref": agreement.ref})
        if checkin.status not in OPEN_CHECKIN:
            return Msg(ALREADY)
        if action is CheckInAnswer.WORRY:
            where = ChatOf(user, user.telegram_id)
            seed: FlowAnswers = {
                "checkin": str(checkin.id),
                "message": str(message_id),
                "desk": self.basis.desk_name(agreement.return_desk),
            }
            if not await self.runner.start_if_free(uow, where, WORRY.id, seed):
                return Msg(BUSY)
            return Msg(GO_ON)
        if action is CheckInAnswer.LATER:
            return await self._later(uow, user, agreement, checkin, message_id)
        answer = {CheckInAnswer.GOOD: "good", CheckInAnswer.NO_CONTACT: "no_contact"}.get(action)
        if answer is None or not await uow.agreements.answer(
            checkin, answer, user.id, self.basis.clock.now(), OPEN_CHECKIN
        ):
            return Msg(ALREADY)
        await self.basis.count(uow, Counted.CHECKIN_ANSWERED, agreement.gemeente)
        # An answer to an older check-in counts for that one; the risk and the streak follow the latest.
        streak = agreement.no_contact_streak
        if await self.checkins.is_latest(uow, checkin):
            streak = 0 if answer == "good" else streak + 1
            await uow.agreements.change(agreement, no_contact_streak=streak, at_risk=False)
        await uow.agreements.event(agreement.id, self.basis.clock.now(), user.id, f"checkin_{answer}")
        await record(
            uow, self.basis.clock, "checkin_answered", actor=user, subject=agreement.ref, answer=answer
        )
        if streak >= 2:
            await self._no_contact_streak(uow, agreement, user, streak)
        nxt = await self.checkins.next_due(uow, agreement)
        shown = self.basis.tr.moment(loc, nxt) if nxt else self.basis.tr.render(loc, Msg(NO_NEXT))
        msg = Msg(NOTED_GOOD if answer == "good" else NOTED_NONE, {"ref": agreement.ref, "next": shown})
        await self.basis.messenger.edit(
            uow.outbox, user.telegram_id, message_id, self.basis.tr.render(loc, msg), []
        )
        return ""

    async def _later(
        self, uow: Work, user: User, agreement: Agreement, checkin: CheckIn, message_id: int
    ) -> str:
        """Ask again on the next working day, at the usual time."""
        when = self.basis.at(working_days_later(self.basis.today(), 1))
        checkin.status = CheckInStatus.SNOOZED
        await uow.due.plan(SendCheckIn(checkin.id), when, suffix=f"later:{int(when.timestamp())}")
        await uow.agreements.event(agreement.id, self.basis.clock.now(), user.id, "checkin_later")
        msg = Msg(NOTED_LATER, {"ref": agreement.ref, "when": self.basis.tr.moment(user.locale, when)})
        await self.basis.messenger.edit(
            uow.outbox, user.telegram_id, message_id, self.basis.tr.render(user.locale, msg), []
        )
        return ""

    async def _no_contact_streak(self, uow: Work, agreement: Agreement, owner: User, n: int) -> None:
        for c in await uow.users.coordinators_of(agreement.gemeente):
            params: dict[str, Param] = {
                "ref": agreement.ref,
                "gemeente": self.basis.gemeente(agreement),
                "owner": owner.display_name,
                "n": n,
            }
            buttons = [[self.basis.button(c, N_("Bekijken"), AgreementAction.SHOW, agreement.id)]]
            await self.basis.send(uow, c, Msg(NO_CONTACT_TWICE, params), buttons)

    def flows(self) -> list[FlowSpec]:
        """The conversation after Zorgen: what worries."""
        return [FlowSpec(WORRY, self.on_worry)]

    async def on_worry(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The worry is told: record the answer and send a re-entry signal straight to the agreed desk."""
        if not isinstance(outcome, Completed):
            return  # cancelled: the check-in stays open, and its reminder will come
        checkin = await uow.agreements.checkin(number(outcome.answers, "checkin"))
        agreement = await uow.agreements.by_id(checkin.agreement_id) if checkin else None
        if checkin is None or agreement is None or not may_answer(user, agreement):
            await self.basis.send(uow, user, Msg(NOT_YOURS))
            return
        if agreement.status == ENDED or checkin.status == CheckInStatus.CLOSED:
            await self.basis.send(uow, user, Msg(NOT_OPEN, {"ref": agreement.ref}))
            return
        now = self.basis.clock.now()
        if await uow.agreements.answer(checkin, "worry", user.id, now, OPEN_CHECKIN):
            await self.basis.count(uow, Counted.CHECKIN_ANSWERED, agreement.gemeente)
        if await self.checkins.is_latest(uow, checkin):
            await uow.agreements.change(agreement, no_contact_streak=0, at_risk=False)
        signal = await self.reentry.file(uow, user, agreement, outcome.answers)
        await uow.agreements.event(agreement.id, now, user.id, "checkin_worry", signal.ref)
        await record(
            uow, self.basis.clock, "checkin_answered", actor=user, subject=agreement.ref, answer="worry"
        )
        desk = self.basis.desk_name(agreement.return_desk)
        await self.basis.send(
            uow, user, Msg(FILED, {"signal": signal.ref, "desk": desk, "ref": agreement.ref})
        )
        setter = await uow.users.by_id(agreement.created_by)
        if setter is not None and setter.active and setter.id != user.id:
            params: dict[str, Param] = {
                "ref": agreement.ref,
                "gemeente": self.basis.gemeente(agreement),
                "owner": user.display_name,
                "signal": signal.ref,
                "desk": desk,
            }
            await self.basis.send(uow, setter, Msg(TOLD_SETTER, params))
        message_id = number(outcome.answers, "message")
        text = self.basis.tr.render(
            user.locale, Msg(NOTED_WORRY, {"ref": agreement.ref, "signal": signal.ref, "desk": desk})
        )
        await self.basis.messenger.edit(uow.outbox, chat_id, message_id, text, [])
