"""The Bot API call an outbox row asks for: send, edit, change the keyboard, or erase."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import structlog

from bot.runtime.observe import chat_kind
from bot.runtime.transport import Transport, Undeliverable
from storage.models import OutboxMessage

log = structlog.get_logger(__name__)
# The Bot API method each kind of row calls, as the metrics name it.
METHOD = {"send": "sendMessage", "edit": "editMessageText", "markup": "editMessageReplyMarkup"}


async def call(
    transport: Transport, row: OutboxMessage, message_id_of: Callable[[int], Awaitable[int | None]]
) -> int | None:
    """Make the call `row` asks for; the id of the message it sent or changed (None: not known)."""
    payload: dict[str, Any] = row.payload
    if row.kind == "send":
        return await transport.send(row.chat_id, payload["text"], payload["buttons"])
    # An edit or erasure names its message, or the row that sent it; a keyboard change always the row
    # (it went earlier in this chat's order, so its id is known).
    given = payload.get("message_id") if row.kind != "markup" else None
    message_id = int(given) if given is not None else await message_id_of(int(payload["ref"]))
    if message_id is None:
        return None
    if row.kind == "edit":
        await transport.edit(row.chat_id, message_id, payload["text"], payload["buttons"])
    elif row.kind == "erase":
        await erase(transport, row.chat_id, message_id, payload["text"])
    else:
        await transport.edit_markup(row.chat_id, message_id, payload["buttons"])
    return message_id


async def erase(transport: Transport, chat_id: int, message_id: int, text: str) -> None:
    """Delete a message; past Telegram's 48 hours (or where it may not), edit it down to `text`. A message
    that is gone already (deleted by hand) is fine as it is."""
    try:
        await transport.delete(chat_id, message_id)
    except Undeliverable:
        try:
            await transport.edit(chat_id, message_id, text, [])
        except Undeliverable as exc:
            log.info("outbox_erase_gone", chat_kind=chat_kind(chat_id), error=str(exc))
