"""aiogram 3 handlers: parse the update, call the front desk once. No SQL, no wording here."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import CallbackQuery, Message, User

from bot.frontdesk import FrontDesk, Sender
from storage.uow import UnitOfWork


def sender_of(user: User, chat_id: int, chat_type: str) -> Sender:
    return Sender(user.id, user.full_name, chat_id, chat_type == "private", user.language_code)


def from_message(message: Message) -> Sender:
    assert message.from_user is not None
    return sender_of(message.from_user, message.chat.id, message.chat.type)


async def start(message: Message, command: CommandObject, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_start(uow, from_message(message), command.args)


async def signal(message: Message, command: CommandObject, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_signal(uow, from_message(message), command.args)


async def answer(message: Message, command: CommandObject, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_answer(uow, from_message(message), command.args)


async def open_signals(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_open(uow, from_message(message))


async def mine(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_mine(uow, from_message(message))


async def waakvlam(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_waakvlam(uow, from_message(message))


async def waakvlammen(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_waakvlammen(uow, from_message(message))


async def deactivate(message: Message, command: CommandObject, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_deactivate(uow, from_message(message), command.args)


async def cancel(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_cancel(uow, from_message(message))


async def back(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_back(uow, from_message(message))


async def language(message: Message, command: CommandObject, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_language(uow, from_message(message), command.args)


async def help_(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_help(uow, from_message(message))


async def unknown_command(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_help(uow, from_message(message))


async def text(message: Message, desk: FrontDesk, uow: UnitOfWork) -> None:
    await desk.on_text(uow, from_message(message), message.text or "")


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
    router.message.register(start, CommandStart())
    router.message.register(signal, Command("signaal", "signal"))
    router.message.register(mine, Command("mijn", "mine"))
    router.message.register(open_signals, Command("open"))
    router.message.register(answer, Command("antwoord", "answer"))
    router.message.register(waakvlam, Command("waakvlam"))
    router.message.register(waakvlammen, Command("waakvlammen"))
    router.message.register(deactivate, Command("deactiveer", "deactivate"))
    router.message.register(cancel, Command("cancel", "stop", "annuleren"))
    router.message.register(back, Command("terug", "back"))
    router.message.register(language, Command("taal", "language"))
    router.message.register(help_, Command("help", "hulp"))
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(text, F.text)
    router.message.register(other)
    router.callback_query.register(press)
    return router
