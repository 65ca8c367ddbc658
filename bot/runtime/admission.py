"""Which updates may come in at all: checked on the update as Telegram's JSON, before it is stored or parsed.

Refused, and audited by the caller: ids that no Telegram id can be (not a whole number from 1 to 2^63 - 1:
our columns are 64-bit), a sender that is a bot, an update without a sender or without the sender's first
name, a text that is not a non-empty string, and a private chat whose id is not its sender's (Telegram never
sends that; a forged `from.id` beside the attacker's own chat would be). Both adapters get the same verdict,
before either library reads the update.

An update whose strings cannot be written as UTF-8 (a lone surrogate, "\\ud800") or whose numbers do not
fit 64 bits is let in but kept as unreadable: `storable` escapes it for the inbox.
"""

from __future__ import annotations

from typing import Any

import orjson

INT64_MAX = 2**63 - 1
CALLBACK_DATA_MAX = 64


def telegram_id(text: str) -> int | None:
    """A Telegram id typed as a command's argument: plain ASCII digits that fit our 64-bit columns."""
    text = text.strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 19:
        return None
    number = int(text)
    return number if _id(number) else None


def chat_of(update: dict[str, Any]) -> int | None:
    """The chat an update belongs to (a message's, or a pressed button's message's)."""
    message = update.get("message")
    if not isinstance(message, dict):
        query = update.get("callback_query")
        message = query.get("message") if isinstance(query, dict) else None
    chat = message.get("chat") if isinstance(message, dict) else None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    return chat_id if _id(chat_id, signed=True) else None


def sender_of(update: dict[str, Any]) -> int | None:
    """The sender's Telegram id, when it is one."""
    body = update.get("message") or update.get("callback_query")
    sender = body.get("from") if isinstance(body, dict) else None
    sender_id = sender.get("id") if isinstance(sender, dict) else None
    return sender_id if _id(sender_id) else None


def refusal(update: dict[str, Any]) -> str | None:
    """Why this update may not come in, or None when it may."""
    if not _id(update.get("update_id"), zero=True):
        return "bad_update_id"
    if isinstance(update.get("message"), dict):
        return _message_refusal(update["message"])
    query = update.get("callback_query")
    if isinstance(query, dict):
        data = query.get("data")
        if data is not None and (not isinstance(data, str) or len(data.encode()) > CALLBACK_DATA_MAX):
            return "bad_callback_data"
        if not isinstance(query.get("message"), dict):
            return None  # a button on an inline message: nothing the bot offers; the library ignores it
        return _message_refusal(query["message"], query.get("from"))
    # Nothing we asked for (allowed_updates names messages and button presses only): a library would warn
    # about it with the whole update quoted, so it stops here.
    return "unknown_kind"


def _message_refusal(message: dict[str, Any], sender: Any = None) -> str | None:
    sender = sender if sender is not None else message.get("from")
    chat = message.get("chat")
    if not isinstance(sender, dict) or not isinstance(chat, dict):
        return "no_sender"
    if not _id(sender.get("id")) or not _id(chat.get("id"), signed=True):
        return "bad_id"
    if not _id(message.get("message_id"), zero=True):
        return "bad_message_id"
    if sender.get("is_bot") is True:
        return "from_bot"
    if not isinstance(sender.get("first_name"), str):
        return "no_name"
    if "text" in message and (not isinstance(message["text"], str) or not message["text"]):
        return "bad_text"
    if chat.get("type") == "private" and chat["id"] != sender["id"]:
        return "chat_is_not_sender"
    if chat.get("type") not in ("private", "group", "supergroup"):
        return "chat_type"
    return None


def storable(update: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The update as the inbox keeps it and the library reads it, and whether it is readable.

    A pressed button's message comes without its keyboard: it is the bot's own, nothing reads it, and
    parsing its buttons took half of aiogram's work on such an update. What the stored JSON (orjson) cannot
    hold, a string that UTF-8 cannot hold or a number past 64 bits, is kept escaped ("\\ud800", the
    number as text), and the update is not acted on."""
    update = _without_keyboard(update)
    try:
        orjson.dumps(update)
    except orjson.JSONEncodeError:
        return _escaped(update), False
    return update, True


def _without_keyboard(update: dict[str, Any]) -> dict[str, Any]:
    query = update.get("callback_query")
    message = query.get("message") if isinstance(query, dict) else None
    if not isinstance(message, dict) or "reply_markup" not in message:
        return update
    message = {k: v for k, v in message.items() if k != "reply_markup"}
    return {**update, "callback_query": {**query, "message": message}}  # type: ignore[dict-item]


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**64:
        return str(value)
    if isinstance(value, dict):
        return {_escaped(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _id(value: Any, signed: bool = False, zero: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    if signed:
        return value != 0 and -INT64_MAX <= value <= INT64_MAX
    return (0 if zero else 1) <= value <= INT64_MAX
