"""Put messages in the outbox, inside the caller's unit of work, so a reply commits with its cause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from bot.domain.clock import Clock

TELEGRAM_TEXT_LIMIT = 4096
Buttons = list[list[tuple[str, str]]]


class OutboxPort(Protocol):
    async def put(self, chat_id: int, kind: str, payload: dict[str, Any], now: Any) -> int: ...

    async def put_many(self, rows: list[tuple[int, str, dict[str, Any]]], now: Any) -> None: ...


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
        parts = split_text(text)
        ids = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            ids.append(
                await outbox.put(chat_id, "send", _payload(part, buttons if last else None), self.clock.now())
            )
        return ids

    async def send_many(self, outbox: OutboxPort, messages: list[tuple[int, str, Buttons | None]]) -> None:
        """Queue many new messages at once (a batch of check-ins), without reading back their ids."""
        rows: list[tuple[int, str, dict[str, Any]]] = []
        for chat_id, text, buttons in messages:
            parts = split_text(text)
            rows += [
                (chat_id, "send", _payload(part, buttons if i == len(parts) - 1 else None))
                for i, part in enumerate(parts)
            ]
        await outbox.put_many(rows, self.clock.now())

    async def edit_ref(
        self, outbox: OutboxPort, chat_id: int, outbox_id: int, text: str, buttons: Buttons | None = None
    ) -> None:
        """Queue an edit of a message queued earlier, found by its outbox id once it was sent."""
        payload = _payload(split_text(text)[0], buttons) | {"ref": outbox_id}
        await outbox.put(chat_id, "edit", payload, self.clock.now())

    async def retire(self, outbox: OutboxPort, chat_id: int, outbox_id: int) -> None:
        """Queue removing the buttons of a message queued earlier (found by its outbox id once sent)."""
        await outbox.put(chat_id, "markup", {"ref": outbox_id, "buttons": []}, self.clock.now())

    async def erase(
        self,
        outbox: OutboxPort,
        chat_id: int,
        text: str,
        outbox_id: int | None = None,
        message_id: int | None = None,
    ) -> None:
        """Queue taking a message out of a chat: deleted if Telegram still allows it, else edited to `text`."""
        where: dict[str, Any] = {"message_id": message_id} if message_id is not None else {"ref": outbox_id}
        await outbox.put(chat_id, "erase", _payload(text, None) | where, self.clock.now())

    async def edit(
        self, outbox: OutboxPort, chat_id: int, message_id: int, text: str, buttons: Buttons | None = None
    ) -> None:
        """Queue an edit of a message the bot sent earlier (text and keyboard)."""
        payload = _payload(split_text(text)[0], buttons) | {"message_id": message_id}
        await outbox.put(chat_id, "edit", payload, self.clock.now())


def _payload(text: str, buttons: Buttons | None) -> dict[str, Any]:
    return {"text": text, "buttons": [[list(b) for b in row] for row in buttons or []]}


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
