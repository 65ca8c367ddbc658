"""From a Telegram update to a command for the front desk; shared by the aiogram and python-telegram-bot
adapters, which only read their library's update."""

from __future__ import annotations

from typing import Protocol

from bot.domain.incoming import Sender
from flows import typed


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
    """Who sent an update and from where; the name as one clean line."""
    name = typed.one_line(user.full_name or "")[:NAME_LIMIT] or str(user.id)
    return Sender(user.id, name, chat_id, chat_type == "private", user.language_code, message_id)
