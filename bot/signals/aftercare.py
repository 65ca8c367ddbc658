"""Did the help really start? Four weeks after a desk closed a signal with "hulp gestart" or
"doorverwezen", it is asked in its chat: Ja, Nee (open it again at this desk), Weet niet.

Seed 003: *monitoren of een oplossing daadwerkelijk gevonden is; zo niet, dan meteen weer opnieuw
starten*. A re-open keeps the whole history and tells the filer. The question is due work, leased and
committed with its message; it is asked once per closing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.accounts.audit import record
from bot.domain.calendar import clock_time, working_day
from bot.domain.clock import Clock
from bot.domain.jobs import AskAftercare
from bot.domain.lifecycle import OUTCOMES, Move, Status, after
from bot.domain.region import Meldpunt, Region
from bot.signals.desk import DeskService
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg, Param
from storage.models import Signal, SignalEvent, User
from storage.ports import Work

AFTER = timedelta(weeks=4)
ASK_AT = "09:00"
CHECKED = frozenset({"help", "referred"})
ASK = N_("🔎 Op {closed} sloot {desk} signaal {ref} ({gemeente}) af: {outcome}. Is de hulp echt gestart?")
YES, NO, UNKNOWN = N_("Ja"), N_("Nee, opnieuw openen"), N_("Weet niet")
ANSWERED = {
    "yes": N_("🔎 Signaal {ref}: de hulp is gestart (bevestigd door {name})."),
    "unknown": N_("🔎 Signaal {ref}: nog niet bekend of de hulp is gestart ({name})."),
    "no": N_("🔎 Signaal {ref} is opnieuw geopend door {name}: de hulp is niet gestart."),
}
EVENTS = {"yes": "help_confirmed", "unknown": "help_unknown", "no": "reopened"}
TOASTS = {"yes": N_("Dank u."), "unknown": N_("Dank u."), "no": N_("Het signaal is weer open, bij u.")}
FILER_REOPENED = N_("{desk} heeft uw signaal {ref} opnieuw geopend: de hulp is niet op gang gekomen.")


@dataclass
class Aftercare:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    desk: DeskService

    async def plan(self, uow: Work, signal: Signal) -> None:
        """After a closing with help started or referred: ask four weeks on, on a working day at 09:00."""
        if signal.status != Status.CLOSED or signal.outcome not in CHECKED or signal.closed_at is None:
            return
        desk = self.region.meldpunten.get(signal.owner_desk or "")
        if desk is None:
            return
        hours = self.region.hours_of(desk)
        day = hours.local_day(signal.closed_at + AFTER)
        while not working_day(day):
            day += timedelta(days=1)
        await uow.due.plan(AskAftercare(signal.id, signal.closed_at), hours.at(day, clock_time(ASK_AT)))

    async def run(self, uow: Work, job: AskAftercare) -> None:
        """Ask the closing desk, unless the signal was opened again or closed anew meanwhile."""
        signal = await uow.signals.by_id(job.signal)
        if signal is None or signal.status != Status.CLOSED or signal.closed_at is None:
            return
        if signal.closed_at != job.closed:
            return
        desk = self.region.meldpunten.get(signal.owner_desk or "")
        if desk is None or signal.outcome not in OUTCOMES:
            return
        closed_on = self.region.hours().local_day(signal.closed_at)
        params: dict[str, Param] = {
            "closed": self.tr.day(desk.locale, closed_on),  # the date: the bot may have been down a while
            "desk": desk.name,
            "ref": signal.ref,
            "gemeente": self.region.gemeente_name(signal.gemeente),
            "outcome": Msg(OUTCOMES[signal.outcome]),
        }
        buttons = [
            [
                self.desk.cards.button(desk, signal, YES, "hs", "yes"),
                self.desk.cards.button(desk, signal, UNKNOWN, "hs", "unknown"),
            ],
            [self.desk.cards.button(desk, signal, NO, "hs", "no")],
        ]
        await self.messenger.send(
            uow.outbox, desk.chat_id, self.tr.render(desk.locale, Msg(ASK, params)), buttons
        )
        await uow.signals.add_event_now(signal.id, self.clock.now(), "help_asked", desk.id)

    async def answer(
        self,
        uow: Work,
        user: User,
        desk: Meldpunt,
        signal: Signal,
        chat_id: int,
        message_id: int,
        choice: str,
    ) -> Msg | None:
        """Ja or Weet niet is noted; Nee opens the signal again at this desk, with this person, and tells
        the filer."""
        if choice not in EVENTS:
            return None
        now = self.clock.now()
        if choice == "no":
            new = after(signal.status, Move.REOPEN)
            if new is None:
                return None
            await uow.signals.move(
                signal,
                new,
                "reopened",
                now,
                user.id,
                owner_desk=desk.id,
                owner_id=user.id,
                outcome=None,
                closed_at=None,
            )
            await self.desk.tell_filer(
                uow, signal, Msg(FILER_REOPENED, {"desk": desk.name, "ref": signal.ref})
            )
            await self.desk.refresh(uow, signal)
        else:
            await uow.signals.add_event(
                SignalEvent(signal_id=signal.id, at=now, actor_id=user.id, kind=EVENTS[choice])
            )
        await record(
            uow, self.clock, "aftercare_answered", actor=user, subject=signal.ref, desk=desk.id, answer=choice
        )
        text = self.tr.render(
            desk.locale, Msg(ANSWERED[choice], {"ref": signal.ref, "name": user.display_name})
        )
        await self.messenger.edit(uow.outbox, chat_id, message_id, text, [])
        return Msg(TOASTS[choice])
