"""What a transport adapter hands the bot: who sent an update, from where, and what it holds, as the
transport shaped it. bot/frontdesk/reading.py reads it into a command (bot/domain/commands.py)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sender:
    """Who sent an update, from where, as the transport saw it."""

    telegram_id: int
    name: str
    chat_id: int
    private: bool
    language: str | None = None
    # The message typed (a text's own id): kept with the conversation, so an erasure can delete it.
    message_id: int | None = None


@dataclass(frozen=True)
class Typed:
    """A text message: a command for this bot (`/signaal@waakvlam_bot S-ABC`) or an answer."""

    sender: Sender
    text: str
    bot_username: str = ""


@dataclass(frozen=True)
class Tapped:
    """A pressed inline button, on the message `message_id`, with its callback data as sent."""

    sender: Sender
    message_id: int
    data: str


@dataclass(frozen=True)
class Other:
    """A message without text: a photo, a sticker, a voice note."""

    sender: Sender


@dataclass(frozen=True)
class Posted:
    """A form on the region's server was sent (bot/forms): its text for the question shown at `version`, the
    answer to the personal-data guard (`choice`, `reason`). The sender was checked by Telegram's signature."""

    sender: Sender
    version: int
    text: str
    choice: str = ""
    reason: str = ""


Incoming = Typed | Tapped | Other | Posted


def parse_command(text: str) -> tuple[str, str | None, str | None] | None:
    """`/signaal@waakvlam_bot S-ABC` → ("signaal", "waakvlam_bot", "S-ABC"); None for plain text."""
    if not text.startswith("/"):
        return None
    head, *rest = text.split(maxsplit=1)
    name, _, mention = head[1:].partition("@")
    return name.lower(), mention or None, (rest[0] if rest else None)


def chat_kind(chat_id: int | None) -> str:
    """What a log line may say about a chat: its kind, not its id."""
    if chat_id is None:
        return "none"
    return "private" if chat_id > 0 else "group"
