"""python-telegram-bot handlers: parse the update, call the front desk once. No SQL, no wording here."""

from __future__ import annotations

from telegram import Update

from bot.frontdesk.dispatch import FrontDesk
from handlers import commands
from handlers.commands import sender_of
from storage.uow import UnitOfWork


async def route(update: Update, desk: FrontDesk, uow: UnitOfWork, bot_username: str) -> str | None:
    """Act on one update; for a pressed button, the short answer to show on the user's screen."""
    query = update.callback_query
    if query is not None:
        message = query.message
        if message is None:
            return ""
        sender = sender_of(query.from_user, message.chat.id, message.chat.type)
        return await desk.on_press(uow, sender, message.message_id, query.data or "")
    message = update.message
    if message is None or message.from_user is None:
        return None
    sender = sender_of(message.from_user, message.chat.id, message.chat.type, message.message_id)
    if message.text is None:
        await desk.on_unsupported(uow, sender)
    else:
        await commands.on_text(desk, uow, sender, message.text, bot_username)
    return None
