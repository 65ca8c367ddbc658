"""Telling one person something privately: in their language, with 📄 Openen for the reading page on the
region's server. Shared by the rooms that follow a resident (regie, samenloop)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.actions import CallbackCodec
from bot.domain.clock import Clock
from bot.domain.region import Region
from bot.forms.links import FormLinks
from bot.views.i18n import Translator
from bot.views.messenger import Buttons, Messenger
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

OPEN = N_("📄 Openen")


async def tell(
    messenger: Messenger, tr: Translator, uow: Work, user: User, msg: Msg, buttons: Buttons | None = None
) -> int:
    """Send one person a message in their language, in their private chat; its outbox row."""
    return await messenger.send(uow.outbox, user.telegram_id, tr.render(user.locale, msg), buttons)


@dataclass
class Private:
    """The region, words, time, sending, signed buttons and the reading page."""

    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    forms: FormLinks
    codec: CallbackCodec

    async def say(self, uow: Work, user: User, msg: Msg, buttons: Buttons | None = None) -> int:
        """Send one person a message in their language, privately; its outbox row."""
        return await tell(self.messenger, self.tr, uow, user, msg, buttons)

    def opens(self, user: User, code: str) -> Buttons:
        """📄 Openen: the reading page of a signal or a regie, for this person."""
        return self.forms.opens(self.tr.render(user.locale, Msg(OPEN)), code)
