"""The outbox's transport over python-telegram-bot: send and edit messages, map its errors to retry
decisions."""

from __future__ import annotations

import os
import warnings
from collections.abc import Awaitable
from datetime import timedelta

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.domain.outgoing import Buttons, app_of, url_of
from bot.runtime.transport import RetryLater, Transient, Undeliverable


def keyboard(buttons: Buttons) -> InlineKeyboardMarkup | None:
    """Our buttons as python-telegram-bot's inline keyboard (None without any)."""
    if not buttons:
        return None
    rows = [[_button(label, data) for label, data in row] for row in buttons]
    return InlineKeyboardMarkup(rows)


def _button(label: str, data: str) -> InlineKeyboardButton:
    url, app = url_of(data), app_of(data)
    if app is not None:
        return InlineKeyboardButton(text=label, web_app=WebAppInfo(url=app))
    if url is not None:
        return InlineKeyboardButton(text=label, url=url)
    return InlineKeyboardButton(text=label, callback_data=data)


class PtbTransport:
    def __init__(self, bot: Bot) -> None:
        # Durations as timedelta, as python-telegram-bot 23 will give them (its documented opt-in, read on
        # each use): without it every 429 it raises warns of the change. Set when this adapter is chosen,
        # not when the module is imported.
        os.environ.setdefault("PTB_TIMEDELTA", "true")
        self.bot = bot

    async def send(self, chat_id: int, text: str, buttons: Buttons) -> int:
        """sendMessage; return the message id."""
        try:
            message = await self.bot.send_message(chat_id, text, reply_markup=keyboard(buttons))
        except Exception as exc:
            raise _translate(exc) from exc
        return message.message_id

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        """editMessageText (an unchanged text is no error)."""
        await _editing(
            self.bot.edit_message_text(
                text, chat_id=chat_id, message_id=message_id, reply_markup=keyboard(buttons)
            )
        )

    async def edit_markup(self, chat_id: int, message_id: int, buttons: Buttons) -> None:
        """editMessageReplyMarkup (unchanged buttons are no error)."""
        await _editing(
            self.bot.edit_message_reply_markup(
                chat_id=chat_id, message_id=message_id, reply_markup=keyboard(buttons)
            )
        )

    async def delete(self, chat_id: int, message_id: int) -> None:
        """deleteMessage."""
        try:
            await self.bot.delete_message(chat_id, message_id)
        except Exception as exc:
            raise _translate(exc) from exc


async def _editing(call: Awaitable[object]) -> None:
    """Run an edit; 'not modified' means it already shows what we wanted."""
    try:
        await call
    except BadRequest as exc:
        if "not modified" in exc.message:
            return
        raise Undeliverable(exc.message) from exc
    except Exception as exc:
        raise _translate(exc) from exc


def _translate(exc: Exception) -> Exception:
    if isinstance(exc, RetryAfter):
        return RetryLater(retry_seconds(exc))
    # BadRequest is a NetworkError in python-telegram-bot: ask for it first.
    if isinstance(exc, Forbidden | BadRequest):
        return Undeliverable(exc.message)
    if isinstance(exc, NetworkError):
        return Transient(exc.message)
    return Transient(repr(exc))


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asks us to wait, whichever type this python-telegram-bot gives: an int until 23
    (with a deprecation warning unless the process opted in), a timedelta after."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
