"""The outbox's transport over aiogram: send and edit messages, map Telegram errors to retry decisions."""

from __future__ import annotations

from collections.abc import Awaitable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.outbox import Buttons, RetryLater, Transient, Undeliverable


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    rows = [[InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows)


class AiogramTransport:
    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, text: str, buttons: Buttons) -> int:
        try:
            message = await self.bot.send_message(chat_id, text, reply_markup=keyboard(buttons))
        except Exception as exc:
            raise _translate(exc) from exc
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        await _editing(
            self.bot.edit_message_text(
                text=text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard(buttons)
            )
        )

    async def edit_markup(self, chat_id: int, message_id: int, buttons: Buttons) -> None:
        await _editing(
            self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=keyboard(buttons)
            )
        )


async def _editing(call: Awaitable[object]) -> None:
    """Run an edit; 'not modified' means it already shows what we wanted."""
    try:
        await call
    except TelegramBadRequest as exc:
        if "not modified" in exc.message:
            return
        raise Undeliverable(exc.message) from exc
    except Exception as exc:
        raise _translate(exc) from exc


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, TelegramRetryAfter):
        return RetryLater(exc.retry_after)
    if isinstance(exc, TelegramNetworkError | TelegramServerError):
        return Transient(str(exc))
    if isinstance(exc, TelegramForbiddenError | TelegramBadRequest | TelegramNotFound):
        return Undeliverable(str(exc))
    return Transient(repr(exc))
