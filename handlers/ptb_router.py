"""python-telegram-bot handlers: read the update into a command for the front desk. No SQL, no wording."""

from __future__ import annotations

from telegram import Update

from bot.domain.incoming import Incoming, Other, Tapped, Typed
from handlers.commands import sender_of


def command_of(update: Update, bot_username: str) -> Incoming | None:
    """The command one update carries; None for one the bot does not act on."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None:
            return None
        sender = sender_of(query.from_user, message.chat.id, message.chat.type)
        return Tapped(sender, message.message_id, query.data or "")
    message = update.message
    if message is None or message.from_user is None:
        return None
    sender = sender_of(message.from_user, message.chat.id, message.chat.type, message.message_id)
    if message.text is None:
        return Other(sender)
    return Typed(sender, message.text, bot_username)
