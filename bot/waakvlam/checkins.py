"""Check-ins: planned as rows, sent when due, answered with one tap; silence is noticed and escalated."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from bot.accounts.audit import record
from bot.domain import rhythm
from bot.domain.actions import WAAKVLAM_BUTTON, Action
from bot.domain.agreements import ACTIVE, ENDED, LIVE, OPEN_CHECKIN, PAUSED, TO_SEND, CheckInStatus
from bot.domain.calendar import working_days_later
from bot.domain.jobs import AgreementEnd, AgreementEnding, CheckInSilence, Job, SendCheckIn
from bot.domain.tallies import Counted
from bot.domain.waakvlam_commands import AgreementAction, CheckInAnswer
from bot.views.messenger import Buttons
from bot.waakvlam.common import WaakvlamBasis
from flows.text import N_, Msg, Param
from storage.models import Agreement, CheckIn, User
from storage.ports import Work

ASK = N_("🕯 Waakvlam {ref} ({gemeente}): hoe gaat het met de bewoner?")
# One line of context under each check-in: what to watch for, and where a worry goes.
REMIND = N_("Let op: {signs} · bij zorgen naar {desk}")
GOOD, WORRY, NO_CONTACT, LATER = N_("Goed"), N_("Zorgen"), N_("Geen contact gehad"), N_("Later herinneren")
REMINDER = N_("⏰ Herinnering: waakvlam {ref} wacht nog op uw antwoord op de vraag van {when}.")
MISSED = N_(
    "⚠ Waakvlam {ref} ({gemeente}): de check-in van {when} is niet beantwoord door {owner}. "
    "De waakvlam loopt risico. Bekijk hem met /waakvlammen."
)
NO_CONTACT_TWICE = N_(
    "⚠ Waakvlam {ref} ({gemeente}): {owner} heeft {n} keer op rij geen contact gehad met de bewoner."
)
ENDING_SOON = N_(
    "Waakvlam {ref} ({gemeente}) loopt af op {end}. Verlengen met {months} maanden, of beëindigen?"
)
EXTEND, STOP = N_("Verlengen"), N_("Beëindigen")
EXPIRED = N_("Waakvlam {ref} ({gemeente}) is afgelopen op {end}.")


@dataclass
class CheckIns:
    basis: WaakvlamBasis

    async def plan_next(self, uow: Work, agreement: Agreement, after: date) -> CheckIn | None:
        """Plan the check-in after `after` in the agreement's rhythm, unless that falls past its end."""
        seq = await uow.agreements.last_seq(agreement.id) + 1
        planned = self._on(agreement, seq, rhythm.next_day(agreement.rhythm, after))
        if planned is None:
            return None
        checkin = await uow.agreements.add_checkin(planned)
        await uow.due.plan(SendCheckIn(checkin.id), checkin.due_at)
        return checkin

    def _on(self, agreement: Agreement, seq: int, day: date) -> CheckIn | None:
        """The agreement's check-in number `seq` on `day`; None past its end."""
        if day > agreement.end_on:
            return None
        return CheckIn(
            agreement_id=agreement.id, seq=seq, due_at=self.basis.at(day), status=CheckInStatus.PLANNED
        )

    async def replan(self, uow: Work, agreement: Agreement) -> CheckIn | None:
        """Drop the planned check-in (its due row finds it replaced) and plan afresh from today."""
        for c in await uow.agreements.checkins_of(agreement.id):
            if c.status == CheckInStatus.PLANNED:
                c.status = CheckInStatus.REPLACED
        return await self.plan_next(uow, agreement, self.basis.today())

    async def plan_end(self, uow: Work, agreement: Agreement) -> None:
        """Ask about extending a week before the end date, and end it on that date (both keyed on it)."""
        end = agreement.end_on
        notice = end.toordinal() - self.basis.region.waakvlam.ending_notice_days
        await uow.due.plan(AgreementEnding(agreement.id, end), self.basis.at(date.fromordinal(notice)))
        await uow.due.plan(AgreementEnd(agreement.id, end), self.basis.at(end))

    async def close_open(self, uow: Work, agreement: Agreement) -> None:
        """Close the check-ins still out or planned: the agreement ended, so nothing is asked or answered;
        the buttons under a question still out go (found by the button it carries)."""
        for c in await uow.agreements.checkins_of(agreement.id):
            if c.status in OPEN_CHECKIN:
                c.status = CheckInStatus.CLOSED
                if c.sent_to is not None:
                    await self._unbutton(uow, c.sent_to, c.id)
            elif c.status in TO_SEND:
                c.status = CheckInStatus.SKIPPED

    async def _unbutton(self, uow: Work, chat_id: int, checkin_id: int) -> None:
        good = self.basis.codec.encode(
            chat_id, 0, Action(WAAKVLAM_BUTTON, CheckInAnswer.GOOD.value, checkin_id).value()
        )
        for row_id, data in await uow.outbox.keyboards_in(chat_id):
            if good in data:
                await self.basis.messenger.retire(uow.outbox, chat_id, row_id)

    async def is_latest(self, uow: Work, checkin: CheckIn) -> bool:
        """Whether no later check-in of its agreement went out: only then does its answer speak for now."""
        return not any(
            c.seq > checkin.seq and c.sent_at is not None
            for c in await uow.agreements.checkins_of(checkin.agreement_id)
        )

    async def next_due(self, uow: Work, agreement: Agreement) -> datetime | None:
        """The next regular check-in planned (not a snoozed one sent again)."""
        return (await uow.agreements.next_due([agreement.id], [CheckInStatus.PLANNED])).get(agreement.id)

    # Due work --------------------------------------------------------------------------------

    async def send(self, uow: Work, job: SendCheckIn) -> None:
        """Send one due check-in."""
        await self.send_many(uow, [job])

    async def send_many(self, uow: Work, jobs: list[SendCheckIn]) -> None:
        """Send due check-ins (a batch at a time: thousands fall due at 09:00) and plan what follows:
        reminders if unanswered, and the next check-in from today, so days missed while down coalesce."""
        checkins = await uow.agreements.checkins_by_ids([j.checkin for j in jobs])
        agreements = await uow.agreements.by_ids({c.agreement_id for c in checkins})
        owners = await uow.users.by_ids({a.owner_id for a in agreements.values() if a.owner_id})
        seqs = await uow.agreements.last_seqs(list(agreements))
        now, today = self.basis.clock.now(), self.basis.today()
        rules = self.basis.region.waakvlam
        reminders = [
            (tier, self.basis.at(working_days_later(today, days)))
            for tier, days in ((1, rules.reminder_after_days), (2, rules.escalate_after_days))
        ]
        messages: list[tuple[int, str, Buttons | None]] = []
        plans: list[tuple[Job, datetime]] = []
        following: list[CheckIn] = []
        sent: dict[str, int] = defaultdict(int)
        for checkin in checkins:
            agreement = agreements.get(checkin.agreement_id)
            if checkin.status not in TO_SEND or agreement is None:
                continue
            if agreement.status != ACTIVE:
                checkin.status = CheckInStatus.SKIPPED  # paused or ended meanwhile; resuming plans afresh
                continue
            owner = owners.get(agreement.owner_id or 0)
            people = (
                [owner] if owner is not None and owner.active else await self.basis.recipients(uow, agreement)
            )
            messages += [self.question(p, agreement, checkin) for p in people]
            first = checkin.status == CheckInStatus.PLANNED
            sent[agreement.gemeente] += first  # a check-in, not each time it is sent again
            checkin.status, checkin.sent_at = CheckInStatus.SENT, now
            checkin.sent_to = people[0].telegram_id if people else None
            stamp = int(now.timestamp())
            plans += [(CheckInSilence(checkin.id, tier, stamp), due) for tier, due in reminders]
            day = rhythm.next_in_step(
                agreement.rhythm, rhythm.local_day(checkin.due_at, self.basis.zone), today
            )
            planned = self._on(agreement, seqs.get(agreement.id, 0) + 1, day) if first else None
            if planned is not None:
                seqs[agreement.id] = planned.seq
                following.append(planned)
        await self.basis.messenger.send_many(uow.outbox, messages)
        for gemeente, n in sent.items():
            if n:
                await self.basis.count(uow, Counted.CHECKIN_SENT, gemeente, by=n)
        await uow.agreements.add_checkins(following)
        plans += [(SendCheckIn(c.id), c.due_at) for c in following]
        await uow.due.plan_many(plans)

    def question(self, person: User, agreement: Agreement, checkin: CheckIn) -> tuple[int, str, Buttons]:
        """The check-in question for one person, with its four answer buttons."""
        params: dict[str, Param] = {
            "ref": agreement.ref,
            "gemeente": self.basis.gemeente(agreement),
        }
        loc = person.locale
        remind = Msg(
            REMIND,
            {
                "signs": self.basis.signs(loc, agreement, full=False),
                "desk": self.basis.desk_name(agreement.return_desk),
            },
        )
        text = "\n".join((self.basis.tr.render(loc, Msg(ASK, params)), self.basis.tr.render(loc, remind)))
        b = self.basis.button
        buttons = [
            [
                b(person, GOOD, CheckInAnswer.GOOD, checkin.id),
                b(person, WORRY, CheckInAnswer.WORRY, checkin.id),
            ],
            [
                b(person, NO_CONTACT, CheckInAnswer.NO_CONTACT, checkin.id),
                b(person, LATER, CheckInAnswer.LATER, checkin.id),
            ],
        ]
        return person.telegram_id, text, buttons

    async def grace(self, uow: Work, job: CheckInSilence) -> None:
        """No answer: first a reminder, then the coordinators hear it and the agreement is at risk."""
        checkin = await uow.agreements.checkin(job.checkin)
        if checkin is None or checkin.status != CheckInStatus.SENT or checkin.sent_at is None:
            return
        if int(checkin.sent_at.timestamp()) != job.sent:
            return  # sent again since (snoozed): that sending has its own reminders
        agreement = await uow.agreements.by_id(checkin.agreement_id)
        if agreement is None or agreement.status != ACTIVE:
            return
        if job.tier == 1:
            for person in await self.basis.recipients(uow, agreement):
                when = self.basis.tr.when(person.locale, checkin.sent_at)
                await self.basis.send(uow, person, Msg(REMINDER, {"ref": agreement.ref, "when": when}))
            return
        checkin.status = CheckInStatus.MISSED
        await uow.agreements.change(agreement, at_risk=True)
        await uow.agreements.event(agreement.id, self.basis.clock.now(), None, "checkin_missed")
        await record(uow, self.basis.clock, "waakvlam_at_risk", subject=agreement.ref)
        owner = await uow.users.by_id(agreement.owner_id) if agreement.owner_id else None
        for c in await uow.users.coordinators_of(agreement.gemeente):
            params: dict[str, Param] = {
                "ref": agreement.ref,
                "gemeente": self.basis.gemeente(agreement),
                "when": self.basis.tr.when(c.locale, checkin.sent_at),
                "owner": owner.display_name if owner else "?",
            }
            await self.basis.send(
                uow,
                c,
                Msg(MISSED, params),
                [[self.basis.button(c, N_("Bekijken"), AgreementAction.SHOW, agreement.id)]],
            )

    async def ending(self, uow: Work, job: AgreementEnding) -> None:
        """A week before the end: ask the contact person and the coordinators to extend or end."""
        agreement = await uow.agreements.by_id(job.agreement)
        if agreement is None or agreement.status not in (ACTIVE, PAUSED) or agreement.end_on != job.end_on:
            return
        for person in await self.basis.owner_and_coordinators(uow, agreement):
            params: dict[str, Param] = {
                "ref": agreement.ref,
                "gemeente": self.basis.gemeente(agreement),
                "end": self.basis.tr.day(person.locale, agreement.end_on),
                "months": self.basis.region.waakvlam.extend_months,
            }
            b = self.basis.button
            buttons = [
                [
                    b(person, EXTEND, AgreementAction.EXTEND, agreement.id, agreement.version),
                    b(person, STOP, AgreementAction.STOP, agreement.id, agreement.version),
                ]
            ]
            await self.basis.send(uow, person, Msg(ENDING_SOON, params), buttons)

    async def end(self, uow: Work, job: AgreementEnd) -> None:
        """The end date has come and nobody extended: the agreement ends, and its people hear so."""
        agreement = await uow.agreements.by_id(job.agreement)
        if agreement is None or agreement.status not in LIVE or agreement.end_on != job.end_on:
            return
        people = await self.basis.owner_and_coordinators(uow, agreement)
        now = self.basis.clock.now()
        await uow.agreements.change(agreement, status=ENDED, ended_at=now, end_reason="expired")
        await self.close_open(uow, agreement)
        await uow.agreements.event(agreement.id, now, None, "ended", "expired")
        await self.basis.count(uow, Counted.WAAKVLAM_ENDED, agreement.gemeente, "agreed")
        await record(uow, self.basis.clock, "waakvlam_ended", subject=agreement.ref, reason="expired")
        for person in people:
            end = self.basis.tr.day(person.locale, agreement.end_on)
            await self.basis.send(
                uow,
                person,
                Msg(EXPIRED, {"ref": agreement.ref, "gemeente": self.basis.gemeente(agreement), "end": end}),
            )


__all__ = ["OPEN_CHECKIN", "CheckIns"]
