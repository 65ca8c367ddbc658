"""Closing a signal: asked privately (the outcome, what happened for "Anders", an optional note, a last look),
so the team keeps seeing the signal while one person chooses. The filer hears the outcome in plain words;
the note stays in the record, readable with /signaal by whoever may see the signal."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.lifecycle import OUTCOMES
from bot.domain.region import Meldpunt
from bot.domain.tallies import Counted, month
from bot.frontdesk.registry import FlowSpec
from bot.signals.aftercare import Aftercare
from bot.signals.asked_privately import AskPrivately
from bot.signals.desk import DeskService
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.closing import BOTTLENECKS, CLOSING
from flows.engine import Completed, Outcome
from flows.text import N_, Msg
from storage.models import Signal, SignalEvent, User
from storage.ports import Work

CLOSED = N_("Signaal {ref} is afgesloten: {outcome}. De melder krijgt bericht.")
NOT_CLOSED = N_("Signaal {ref} is intussen veranderd en niet afgesloten. Bekijk het met /signaal {ref}.")
# The words that go with a closing, each an event of its own in the history (encrypted at rest).
HOW, NOTE = "closed_how", "closing_note"


@dataclass
class Closings:
    tr: Translator
    clock: Clock
    messenger: Messenger
    desk: DeskService
    ask: AskPrivately
    aftercare: Aftercare

    def flows(self) -> list[FlowSpec]:
        """The closing conversation."""
        return [FlowSpec(CLOSING, self.on_outcome)]

    async def start(self, uow: Work, user: User, desk: Meldpunt, signal: Signal, chat_id: int) -> Msg | str:
        """Afsluiten: ask privately how it was handled."""
        return await self.ask.start(uow, user, CLOSING.id, desk, signal, chat_id)

    async def on_outcome(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """An outcome was chosen: close the signal, keep the note in its history, plan the aftercare question."""
        if not isinstance(outcome, Completed):
            return
        answers = outcome.answers
        about = await self.ask.about(uow, user, chat_id, answers)
        code = str(answers.get("outcome", ""))
        ref = str(answers.get("signal", ""))
        if about is None or not await self.desk.close(uow, user, about.desk, about.signal, code):
            text = self.tr.render(user.locale, Msg(NOT_CLOSED, {"ref": ref}))
            await self.messenger.send(uow.outbox, user.telegram_id, text)
            return
        signal, now = about.signal, self.clock.now()
        for kind, step in ((HOW, "other"), (NOTE, "note")):
            words = str(answers.get(step, "")).strip()
            if words:
                await uow.signals.add_event(
                    SignalEvent(signal_id=signal.id, at=now, actor_id=user.id, kind=kind, note=words)
                )
        if (knelpunt := str(answers.get("knelpunt", ""))) in BOTTLENECKS:  # anonymous, per gemeente and month
            zone = self.desk.region.info.timezone
            await uow.tallies.bump(Counted.BOTTLENECK, signal.gemeente, knelpunt, month(now, zone))
        await self.aftercare.plan(uow, signal)  # four weeks on: did the help really start?
        text = self.tr.render(user.locale, Msg(CLOSED, {"ref": signal.ref, "outcome": Msg(OUTCOMES[code])}))
        await self.messenger.send(uow.outbox, user.telegram_id, text)
