"""aiogram 3 handlers: read the update into a command for the front desk. No SQL, no wording here."""

from __future__ import annotations

import asyncio

from aiogram import Bot, Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.domain.incoming import Incoming, Other, Sender, Tapped, Typed
from handlers.commands import sender_of


class HasText(Filter):
    """Messages with text. An async filter: aiogram runs a plain function filter (such as `F.text`) in a
    worker thread, one thread hand-off per message."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.text)


def from_message(message: Message) -> Sender | None:
    """Who sent a message and from where; None for a message without a sender (a channel's)."""
    if message.from_user is None:
        return None
    return sender_of(message.from_user, message.chat.id, message.chat.type, message.message_id)


class Named:
    """The bot's own name (a command may be addressed to it: /help@bot). aiogram keeps `bot.me()` once it
    has it, but every message arriving before that first answer would ask Telegram again: one asks, the
    others wait for its answer."""

    def __init__(self) -> None:
        self._asking = asyncio.Lock()
        self._name: str | None = None  # once known, no lock is taken again

    async def text(self, message: Message, bot: Bot) -> Incoming | None:
        """A text message: a command for this bot or an answer."""
        sender = from_message(message)
        if sender is None:
            return None
        if self._name is None:
            async with self._asking:
                if self._name is None:
                    self._name = (await bot.me()).username or ""
        return Typed(sender, message.text or "", self._name)


async def other(message: Message) -> Incoming | None:
    """A message without text: a photo, a sticker, a voice note."""
    sender = from_message(message)
    return Other(sender) if sender is not None else None


async def press(query: CallbackQuery) -> Incoming | None:
    """A pressed inline button, on the message it was shown on."""
    message = query.message
    if message is None:
        return None
    sender = sender_of(query.from_user, message.chat.id, message.chat.type)
    return Tapped(sender, message.message_id, query.data or "")


def build_router() -> Router:
    """Make a fresh router (a router joins one dispatcher only), in the order filters are tried."""
    router = Router(name="waakvlam")
    router.message.register(Named().text, HasText())
    router.message.register(other)
    router.callback_query.register(press)
    return router
