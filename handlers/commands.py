"""What people type, as the front desk takes it; shared by the aiogram and python-telegram-bot adapters,
which only turn their library's update into a `Sender` and the message's text."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from bot.frontdesk.dispatch import FrontDesk, Sender
from flows import typed
from storage.uow import UnitOfWork


class TelegramUser(Protocol):
    """What both libraries' user objects say about the person."""

    @property
    def id(self) -> int: ...
    @property
    def full_name(self) -> str: ...
    @property
    def language_code(self) -> str | None: ...


NAME_LIMIT = 120


def sender_of(user: TelegramUser, chat_id: int, chat_type: str, message_id: int | None = None) -> Sender:
    # A Telegram name is typed by its owner: one line, no control or bidi characters, as every typed text.
    name = typed.one_line(user.full_name or "")[:NAME_LIMIT] or str(user.id)
    return Sender(user.id, name, chat_id, chat_type == "private", user.language_code, message_id)


WithArgs = Callable[[FrontDesk, UnitOfWork, Sender, str | None], Awaitable[None]]
Plain = Callable[[FrontDesk, UnitOfWork, Sender], Awaitable[None]]

# Dutch first; the English names work too. A command not listed gets the help text.
WITH_ARGS: dict[str, WithArgs] = {
    "start": FrontDesk.on_start,
    "signaal": FrontDesk.on_signal,
    "signal": FrontDesk.on_signal,
    "antwoord": FrontDesk.on_answer,
    "answer": FrontDesk.on_answer,
    "deactiveer": FrontDesk.on_deactivate,
    "deactivate": FrontDesk.on_deactivate,
    "taal": FrontDesk.on_language,
    "language": FrontDesk.on_language,
}
PLAIN: dict[str, Plain] = {
    "mijn": FrontDesk.on_mine,
    "mine": FrontDesk.on_mine,
    "open": FrontDesk.on_open,
    "waakvlam": FrontDesk.on_waakvlam,
    "waakvlammen": FrontDesk.on_waakvlammen,
    "cancel": FrontDesk.on_cancel,
    "stop": FrontDesk.on_cancel,
    "annuleren": FrontDesk.on_cancel,
    "terug": FrontDesk.on_back,
    "back": FrontDesk.on_back,
    "help": FrontDesk.on_help,
    "hulp": FrontDesk.on_help,
}


def parse_command(text: str) -> tuple[str, str | None, str | None] | None:
    """`/signaal@waakvlam_bot S-ABC` → ("signaal", "waakvlam_bot", "S-ABC"); None for plain text."""
    if not text.startswith("/"):
        return None
    head, *rest = text.split(maxsplit=1)
    name, _, mention = head[1:].partition("@")
    return name.lower(), mention or None, (rest[0] if rest else None)


async def on_text(desk: FrontDesk, uow: UnitOfWork, sender: Sender, text: str, bot_username: str) -> None:
    """A typed message: a command for this bot, or the answer to the current question. A command meant
    for another bot in a group is left to that bot."""
    parsed = parse_command(text)
    if parsed is None:
        await desk.on_text(uow, sender, text)
        return
    name, mention, args = parsed
    if mention is not None and mention.lower() != bot_username.lower():
        return
    if name in WITH_ARGS:
        await WITH_ARGS[name](desk, uow, sender, args)
    elif name in PLAIN:
        await PLAIN[name](desk, uow, sender)
    else:
        await desk.on_help(uow, sender)
