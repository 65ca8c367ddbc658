"""Take a signal out of the chats: after an AVG erasure or the retention purge, every message the bot sent that
shows it is deleted where Telegram still allows it (within 48 hours) and otherwise edited down to a fixed text."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.region import Region
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg
from storage.ports import Work

ERASED = N_("Dit bericht ging over een signaal dat is verwijderd.")


@dataclass
class TakeDown:
    region: Region
    tr: Translator
    messenger: Messenger
    default_locale: str = "nl"

    async def __call__(self, uow: Work, signal_ids: list[int]) -> int:
        """Queue the removal of every message that shows these signals; how many there were."""
        shown = await uow.signals.take_shown(signal_ids)
        for row in shown:
            text = self.tr.render(await self._locale(uow, row.chat_id), Msg(ERASED))
            await self.messenger.erase(uow.outbox, row.chat_id, text, row.outbox_id, row.message_id)
        return len(shown)

    async def _locale(self, uow: Work, chat_id: int) -> str:
        desk = self.region.desk_for_chat(chat_id)
        if desk is not None:
            return desk.locale
        user = await uow.users.by_telegram_id(chat_id) if chat_id > 0 else None
        return user.locale if user is not None else self.default_locale
