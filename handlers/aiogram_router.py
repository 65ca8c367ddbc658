"""aiogram 3 handlers: parse the update, call the front desk once. No SQL, no wording here."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Filter
from aiogram.types import CallbackQuery, Message

from bot.frontdesk.dispatch import FrontDesk, Sender
from handlers import commands
from handlers.commands import sender_of
from storage.uow import UnitOfWork


class HasText(Filter):
    """Messages with text. An async filter: aiogram runs a plain function filter (such as `F.text`) in a
    worker thread, one thread hand-off per message."""

    async def __call__(self, message: Message) -> bool:
        return bool(message.text)


def from_message(message: Message) -> Sender:
    assert message.from_user is not None
    return sender_of(message.from_user, message.chat.id, message.chat.type, message.message_id)


async def text(message: Message, bot: Bot, desk: FrontDesk, uow: UnitOfWork) -> None:
    if message.from_user is not None:
        me = await bot.me()  # asked once, then kept by aiogram
        await commands.on_text(desk, uow, from_message(message), message.text or "", me.username or "")


async def other(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    if message.from_user is not None:
        await desk.on_unsupported(uow, from_message(message))


async def press(query: CallbackQuery, desk: FrontDesk, uow: UnitOfWork) -> str:
    message = query.message
    if message is None:
        return ""
    sender = sender_of(query.from_user, message.chat.id, message.chat.type)
    return await desk.on_press(uow, sender, message.message_id, query.data or "")


def build_router() -> Router:
    """Make a fresh router (a router joins one dispatcher only), in the order filters are tried."""
    router = Router(name="waakvlam")
    router.message.register(text, HasText())
    router.message.register(other)
    router.callback_query.register(press)
    return router
