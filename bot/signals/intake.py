"""The early-signal intake: start or resume it, and act on how it ends (file, 112, cancelled)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.region import Region
from bot.frontdesk.conversation import ChatOf, ConversationRunner, typed_ids
from bot.frontdesk.registry import FlowSpec
from bot.samenloop.routes import SamenloopRoutes
from bot.signals.desk import DeskService
from bot.signals.escalation import Escalator
from bot.signals.filing import count_acute, file_signal
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from bot.views.summaries import filer_receipt
from flows.engine import Answers, Completed, Context, Ended, Outcome, Resume
from flows.intake import ACUTE, INTAKE
from flows.model import Option
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

CALL_112 = N_(
    "Bel nu 112. Bij acuut gevaar gaat veiligheid voor: dit signaal wordt niet opgeslagen.\n"
    "Als de situatie weer veilig is en er zorgen blijven, kunt u met /signaal alsnog een signaal doorgeven."
)
RESUMING = N_("U was al bezig met een signaal. U gaat verder waar u was; /cancel stopt.")


@dataclass
class IntakeService:
    region: Region
    runner: ConversationRunner
    tr: Translator
    clock: Clock
    messenger: Messenger
    index_key: bytes
    desk: DeskService
    escalator: Escalator
    samenloop: SamenloopRoutes

    def flows(self) -> list[FlowSpec]:
        """The intake conversation."""
        return [FlowSpec(INTAKE, self.on_outcome, self.context)]

    async def context(self, uow: Work, user: User, answers: Answers) -> Context:
        """Offer the user's own gemeenten; a single one is filled in without asking."""
        names = [
            Option(g, self.region.gemeenten[g].name, raw=True)
            for g in user.gemeenten
            if g in self.region.gemeenten
        ]
        return {"gemeenten": tuple(names)}

    async def begin(self, uow: Work, where: ChatOf) -> None:
        """Start the intake, or pick it up where the user left it."""
        state = await self.runner.current(uow, where)
        if state is not None:
            await self.messenger.send(
                uow.outbox, where.chat_id, self.tr.render(where.user.locale, Msg(RESUMING))
            )
            await self.runner.feed(uow, where, state, Resume())
            return
        await self.runner.start(uow, where, INTAKE.id)

    async def on_outcome(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The intake ended: file the signal, or count an acute situation (nothing filed)."""
        if isinstance(outcome, Ended) and outcome.reason == ACUTE:
            # Asked before the gemeente: counted in the filer's (the first, for someone in several).
            gemeente = outcome.answers.get("gemeente") or next(iter(user.gemeenten), None)
            if isinstance(gemeente, str):
                await count_acute(uow, self.region, self.clock, gemeente)
            await self.messenger.send(uow.outbox, chat_id, self.tr.render(user.locale, Msg(CALL_112)))
        elif isinstance(outcome, Completed):
            filed = await file_signal(
                uow, self.region, self.clock, user, outcome.answers, self.index_key, self.desk.announce
            )
            signal = filed.signal
            if filed.decision.joint_triage:  # the desks decide together who takes it
                routed = [d.meldpunt.id for d in filed.decision.desks]
                await self.samenloop.overleggen.start(uow, signal, routed, "routing", None)
            await self.samenloop.advice.filed(uow, user, outcome.answers, signal)  # from /advies, if so
            answer = outcome.answers.get("match_key")
            await self.samenloop.keys.given(
                uow, user, answer, signal.gemeente, code=signal.ref, signal_id=signal.id
            )
            receipt = filer_receipt(self.tr, user.locale, self.region, filed.signal, filed.decision)
            # The confirmed answers on the filer's screen show the signal too: an erasure takes them out.
            if screen is not None:
                await uow.signals.shown(filed.signal.id, chat_id, message_id=screen)
            receipt_id = await self.messenger.send(uow.outbox, chat_id, receipt)
            await uow.signals.shown(filed.signal.id, chat_id, receipt_id)
            for message_id in typed_ids(outcome.answers):
                await uow.signals.shown(filed.signal.id, chat_id, message_id=message_id)
            await self.escalator.plan(uow, filed.signal, [d.meldpunt.id for d in filed.decision.desks])
