"""The Bot API call an outbox row asks for: send, edit, change the keyboard, or erase."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import structlog

from bot.domain.outgoing import Kind, Queued
from bot.runtime.observe import chat_kind
from bot.runtime.transport import Transport, Undeliverable

log = structlog.get_logger(__name__)
# The Bot API method each kind of row calls, as the metrics name it.
METHOD = {
    Kind.SEND: "sendMessage",
    Kind.EDIT: "editMessageText",
    Kind.MARKUP: "editMessageReplyMarkup",
    Kind.ERASE: "deleteMessage",
}


async def call(
    transport: Transport, row: Queued, message_id_of: Callable[[int], Awaitable[int | None]]
) -> int | None:
    """Make the call `row` asks for; the id of the message it sent or changed (None: not known)."""
    message = row.message
    if message.kind is Kind.SEND:
        return await transport.send(message.chat_id, message.text, message.buttons)
    # An edit, keyboard change or erasure names its message, or the row that sent it (that went earlier in
    # this chat's order, so its id is known).
    given = message.message_id
    message_id = given if given is not None else await message_id_of(message.ref or 0)
    if message_id is None:
        return None
    if message.kind is Kind.EDIT:
        await transport.edit(message.chat_id, message_id, message.text, message.buttons)
    elif message.kind is Kind.ERASE:
        await erase(transport, message.chat_id, message_id, message.text)
    else:
        await transport.edit_markup(message.chat_id, message_id, message.buttons)
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
