"""A desk's choice that needs words (closing, a hand-over, a refusal, a question to the filer) is asked in the
staff member's private chat: the team's summary stays as it is meanwhile, and what is typed is seen only
there. Each such conversation is seeded with the signal's code and the desk, and read back when it ends."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.region import Meldpunt, Region
from bot.frontdesk.conversation import BUSY, ChatOf, ConversationRunner, typed_ids
from bot.signals.desk import DeskService
from bot.views.i18n import Translator
from flows.engine import Answers
from flows.text import N_, Msg
from storage.models import Signal, User
from storage.ports import Work

GO_PRIVATE = N_("Ga verder in uw privégesprek met de bot; het signaal blijft hier staan.")


def went_private(said: Msg | str, user: User, chat_id: int) -> Msg | str:
    """What a press says once a conversation was started privately: the runner's refusal (another one is
    open), nothing when pressed in that private chat, or "go on privately" from a group."""
    return said or ("" if chat_id == user.telegram_id else Msg(GO_PRIVATE))


@dataclass(frozen=True)
class About:
    """What a finished private conversation is about, read again: the desk and the signal."""

    desk: Meldpunt
    signal: Signal


@dataclass
class AskPrivately:
    region: Region
    tr: Translator
    runner: ConversationRunner
    desk: DeskService

    async def start(
        self, uow: Work, user: User, flow_id: str, desk: Meldpunt, signal: Signal, chat_id: int
    ) -> Msg | str:
        """Start `flow_id` about this signal in the person's private chat; what to say on screen (nothing
        when the button was pressed in that private chat already)."""
        where = ChatOf(user, user.telegram_id)
        seed: Answers = {"signal": signal.ref, "desk": desk.id}
        said = "" if await self.runner.start_if_free(uow, where, flow_id, seed) else Msg(BUSY)
        return went_private(said, user, chat_id)

    async def about(self, uow: Work, user: User, chat_id: int, answers: Answers) -> About | None:
        """The desk and signal a finished conversation was about, if this person still serves it there. What
        they typed is kept with the signal, so that it goes when the signal goes."""
        signal = await uow.signals.by_ref(str(answers.get("signal", "")))
        desk = self.region.meldpunten.get(str(answers.get("desk", "")))
        if signal is None:
            return None
        for message_id in typed_ids(answers):
            await uow.signals.shown(signal.id, chat_id, message_id=message_id)
        if desk is None or not await self.desk.serves(uow, user, desk, signal):
            return None
        return About(desk, signal)
