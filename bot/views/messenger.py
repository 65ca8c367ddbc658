"""Put messages in the outbox, inside the caller's unit of work, so a reply commits with its cause."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.clock import Clock
from bot.domain.outgoing import Buttons, Kind, Outgoing

TELEGRAM_TEXT_LIMIT = 4096
__all__ = ["Buttons", "Messenger", "OutboxPort", "split_text"]


class OutboxPort(Protocol):
    async def put(self, message: Outgoing, now: datetime) -> int: ...

    async def put_many(self, messages: list[Outgoing], now: datetime) -> None: ...


@dataclass
class Messenger:
    clock: Clock

    async def send(self, outbox: OutboxPort, chat_id: int, text: str, buttons: Buttons | None = None) -> int:
        """Queue a new message and return its outbox id; long text is split, buttons go on the last part."""
        return (await self.send_parts(outbox, chat_id, text, buttons))[-1]

    async def send_parts(
        self, outbox: OutboxPort, chat_id: int, text: str, buttons: Buttons | None = None
    ) -> list[int]:
        """Queue a new message; the outbox ids of its parts (one unless the text is over Telegram's limit)."""
        return [await outbox.put(message, self.clock.now()) for message in _parts(chat_id, text, buttons)]

    async def send_many(self, outbox: OutboxPort, messages: list[tuple[int, str, Buttons | None]]) -> None:
        """Queue many new messages at once (a batch of check-ins), without reading back their ids."""
        parts = [part for chat_id, text, buttons in messages for part in _parts(chat_id, text, buttons)]
        await outbox.put_many(parts, self.clock.now())

    async def edit_ref(
        self, outbox: OutboxPort, chat_id: int, outbox_id: int, text: str, buttons: Buttons | None = None
    ) -> None:
        """Queue an edit of a message queued earlier, found by its outbox id once it was sent."""
        edit = Outgoing(chat_id, Kind.EDIT, split_text(text)[0], buttons or [], ref=outbox_id)
        await outbox.put(edit, self.clock.now())

    async def retire(self, outbox: OutboxPort, chat_id: int, outbox_id: int) -> None:
        """Queue removing the buttons of a message queued earlier (found by its outbox id once sent)."""
        await outbox.put(Outgoing(chat_id, Kind.MARKUP, ref=outbox_id), self.clock.now())

    async def unbutton(self, outbox: OutboxPort, chat_id: int, message_id: int) -> None:
        """Queue removing the buttons of a message by its Telegram id (a tap on one no longer open)."""
        await outbox.put(Outgoing(chat_id, Kind.MARKUP, message_id=message_id), self.clock.now())

    async def erase(
        self,
        outbox: OutboxPort,
        chat_id: int,
        text: str,
        outbox_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        """Queue taking a message out of a chat: deleted if Telegram still allows it, else edited to `text`."""
        ref = outbox_id if message_id is None else None
        erasure = Outgoing(chat_id, Kind.ERASE, text, ref=ref, message_id=message_id)
        await outbox.put(erasure, self.clock.now())

    async def edit(
        self, outbox: OutboxPort, chat_id: int, message_id: int, text: str, buttons: Buttons | None = None
    ) -> None:
        """Queue an edit of a message the bot sent earlier (text and keyboard)."""
        edit = Outgoing(chat_id, Kind.EDIT, split_text(text)[0], buttons or [], message_id=message_id)
        await outbox.put(edit, self.clock.now())


def _parts(chat_id: int, text: str, buttons: Buttons | None) -> list[Outgoing]:
    """A new message as Telegram takes it: in parts under its limit, the buttons on the last one."""
    parts = split_text(text)
    last = len(parts) - 1
    return [
        Outgoing(chat_id, Kind.SEND, part, (buttons or []) if i == last else [])
        for i, part in enumerate(parts)
    ]


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Cut text into parts Telegram accepts, preferring line breaks."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    parts.append(text)
    return parts
