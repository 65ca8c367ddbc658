"""Run Waakvlam on aiogram: polling or webhook, the inbox gate as middleware, the outbox sender beside it."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import TelegramObject, Update

from bot.domain.incoming import Incoming
from bot.runtime.gate import UpdateGate
from bot.runtime.host import ALLOWED_UPDATES, Runtime, Serving
from bot.runtime.transport import RetryLater, Transient, Undeliverable
from handlers.aiogram_models import build_used
from handlers.aiogram_router import build_router
from handlers.aiogram_session import JsonSession
from handlers.aiogram_transport import AiogramTransport, refusal


def chat_of(update: Update) -> int | None:
    """The chat an update came from, if it has one."""
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    return None


class GateMiddleware(BaseMiddleware):
    """Store the update, run its handler in one unit of work, then answer a pressed button."""

    def __init__(self, gate: UpdateGate, transport: AiogramTransport) -> None:
        self.gate, self.transport = gate, transport

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if not isinstance(event, Update):  # registered on the update observer: every event is one
            raise TypeError(f"not an update: {type(event).__name__}")
        # A polled update was stored as Telegram sent it; a webhook's is stored here, as aiogram read it.
        payload = (
            {}
            if self.gate.stored_here(event.update_id)
            else event.model_dump(mode="json", exclude_none=True, by_alias=True)
        )

        # The handler only reads the update into a command; the gate stores it and acts in its transaction.
        command = await handler(event, data)
        result = await self.gate.act(
            event.update_id, payload, chat_of(event), command if isinstance(command, Incoming) else None
        )
        if event.callback_query is not None:
            # A lost answer only leaves the spinner turning a little longer: not worth a retry.
            with contextlib.suppress(Transient, Undeliverable, RetryLater):
                await self.transport.answer(event.callback_query.id, result or None)
        return result


class AiogramRuntime(Runtime):
    def __init__(self, serving: Serving, polling_timeout: int = 10) -> None:
        build_used()
        config = serving.config
        session = (
            JsonSession(api=TelegramAPIServer.from_base(config.api_base))
            if config.api_base
            else JsonSession()
        )
        self.bot = Bot(config.token, session=session)
        transport = AiogramTransport(self.bot)
        super().__init__(serving, transport, polling_timeout)
        # Conversation state is ours (storage/, per chat and user): aiogram's FSM would only add a
        # middleware and a lock to every update.
        self.dp = Dispatcher(disable_fsm=True)
        self.dp.update.outer_middleware(GateMiddleware(self.gate, transport))
        self.dp.include_router(build_router())

    async def _open(self) -> None:
        """aiogram needs nothing before its first update."""

    async def feed(self, update: dict[str, Any]) -> None:
        """Hand one stored update to aiogram's dispatcher."""
        await self.dp.feed_update(self.bot, Update.model_validate(update, context={"bot": self.bot}))

    async def _get_updates(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"timeout": wait, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            params["offset"] = offset
        if not isinstance(self.bot.session, JsonSession):
            raise TypeError("the bot was built with our JSON session")
        status, answer = await self.bot.session.call(
            self.bot, "getUpdates", params, limit=wait + 10, exact=True
        )
        if not answer.get("ok") or not isinstance(answer.get("result"), list):
            raise refusal(status, answer)
        return [u for u in answer["result"] if isinstance(u, dict)]

    async def _delete_webhook(self) -> None:
        await self.bot.delete_webhook()

    async def set_webhook(self, url: str, secret: str) -> None:
        """setWebhook, for the updates the bot takes."""
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def webhook_info(self) -> tuple[str, int | None]:
        """getWebhookInfo: the address and when delivery last failed."""
        info = await self.bot.get_webhook_info()
        failed = info.last_error_date
        return info.url, int(failed.timestamp()) if failed is not None else None

    async def _close(self) -> None:
        await self.bot.session.close()
