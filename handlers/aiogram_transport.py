"""The outbox's transport over aiogram's session: send and edit messages, answer a pressed button, and map
Telegram's answers to retry decisions. The calls go as plain JSON (`JsonSession.call`)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot

from bot.domain.outgoing import Buttons, app_of, url_of
from bot.runtime.transport import PollConflict, RetryLater, Transient, Undeliverable
from handlers.aiogram_session import JsonSession


class AiogramTransport:
    def __init__(self, bot: Bot) -> None:
        if not isinstance(bot.session, JsonSession):
            raise TypeError(
                "the outbox's calls go through JsonSession.call: build the Bot with a JsonSession"
            )
        self.bot, self.session = bot, bot.session

    async def send(self, chat_id: int, text: str, buttons: Buttons) -> int:
        """sendMessage; return the message id."""
        message = await self._call("sendMessage", _with_keyboard({"chat_id": chat_id, "text": text}, buttons))
        return int(message["message_id"])

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        """editMessageText (an unchanged text is no error)."""
        params = {"chat_id": chat_id, "message_id": message_id, "text": text}
        await self._edit("editMessageText", _with_keyboard(params, buttons))

    async def edit_markup(self, chat_id: int, message_id: int, buttons: Buttons) -> None:
        """editMessageReplyMarkup (unchanged buttons are no error)."""
        params = {"chat_id": chat_id, "message_id": message_id}
        await self._edit("editMessageReplyMarkup", _with_keyboard(params, buttons))

    async def delete(self, chat_id: int, message_id: int) -> None:
        """deleteMessage."""
        await self._call("deleteMessage", {"chat_id": chat_id, "message_id": message_id})

    async def answer(self, query_id: str, text: str | None) -> None:
        """Answer a pressed button (stops the phone's spinner), with a short text shown on top if any."""
        params: dict[str, Any] = {"callback_query_id": query_id}
        if text:
            params["text"] = text
        await self._call("answerCallbackQuery", params)

    async def _edit(self, method: str, params: dict[str, Any]) -> None:
        """Run an edit; 'not modified' means it already shows what we wanted."""
        try:
            await self._call(method, params)
        except Undeliverable as exc:
            if "not modified" not in str(exc):
                raise

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        try:
            status, answer = await self.session.call(self.bot, method, params)
        except Exception as exc:  # the network, a timeout, an answer that is not JSON: try again later
            raise Transient(f"{method}: {exc!r}") from exc
        if answer.get("ok") and 200 <= status < 300:
            return answer.get("result")
        raise refusal(status, answer)


def _with_keyboard(params: dict[str, Any], buttons: Buttons) -> dict[str, Any]:
    """The call's parameters with the buttons as the Bot API's `InlineKeyboardMarkup` (none: no keyboard)."""
    if buttons:
        rows = [[_button(label, data) for label, data in row] for row in buttons]
        params["reply_markup"] = {"inline_keyboard": rows}
    return params


def _button(label: str, data: str) -> dict[str, Any]:
    url, app = url_of(data), app_of(data)
    if app is not None:
        return {"text": label, "web_app": {"url": app}}
    return {"text": label, "url": url} if url is not None else {"text": label, "callback_data": data}


def refusal(status: int, answer: dict[str, Any]) -> Exception:
    """What Telegram's refusal means for the outbox: wait (429), give up (the chat or message is gone, the
    user blocked the bot, a bad request), or try again later (anything else, a server error included)."""
    description = str(answer.get("description", ""))
    retry_after = (answer.get("parameters") or {}).get("retry_after")
    if retry_after:
        return RetryLater(float(retry_after))
    if status == 409:
        return PollConflict(description)
    if status in (400, 403, 404):
        return Undeliverable(description)
    return Transient(f"{status} {description}")
