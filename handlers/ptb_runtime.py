"""Run Waakvlam on python-telegram-bot: one handler takes every update through the inbox gate; polling
or the shared webhook endpoint; the outbox sender beside it."""

from __future__ import annotations

import contextlib
import warnings
from typing import Any

from telegram import Update
from telegram.error import Conflict, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler
from telegram.warnings import PTBUserWarning

from bot.runtime.host import ALLOWED_UPDATES, Runtime, Serving
from bot.runtime.transport import PollConflict
from handlers.ptb_request import AiohttpRequest
from handlers.ptb_router import command_of
from handlers.ptb_transport import PtbTransport


class PtbRuntime(Runtime):
    def __init__(self, serving: Serving, polling_timeout: int = 10) -> None:
        config = serving.config
        # Due work is ours (bot/app/scheduler.py, in database rows): no job queue of its own.
        builder = (
            Application.builder()
            .token(config.token)
            .concurrent_updates(config.update_concurrency)
            .job_queue(None)
            # Its networking on aiohttp (handlers/ptb_request.py); long polls wait up to
            # `polling_timeout` seconds on the server: their read timeout allows for that.
            .request(AiohttpRequest())
            .get_updates_request(AiohttpRequest(connections=1, read_timeout=polling_timeout + 10))
        )
        if config.api_base:
            builder = builder.base_url(f"{config.api_base.rstrip('/')}/bot")
        self.app = builder.build()
        super().__init__(serving, PtbTransport(self.app.bot), polling_timeout)
        self.app.add_handler(TypeHandler(Update, self._on_update))
        self._opened = False

    async def _on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat

        # A polled update was stored as Telegram sent it; a webhook's is stored here.
        payload = {} if self.gate.stored_here(update.update_id) else update.to_dict()
        command = command_of(update, self.app.bot.username)
        result = await self.gate.act(
            update.update_id, payload, chat.id if chat is not None else None, command
        )
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer(text=result or None)

    async def feed(self, update: dict[str, Any]) -> None:
        """Hand one stored update to python-telegram-bot's handlers."""
        await self.app.process_update(Update.de_json(update, self.app.bot))

    async def _open(self) -> None:
        await self.app.initialize()  # asks getMe: the bot's name, for commands addressed to it
        await self.app.start()
        self._opened = True

    async def _get_updates(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        """Telegram's JSON as it came: the front door checks it before the library reads it (the library's
        own `get_updates` parses the whole batch, so one odd update would stop polling for everyone)."""
        params: dict[str, Any] = {"timeout": wait, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            params["offset"] = offset
        try:
            with warnings.catch_warnings():  # "use Bot.getUpdates": that is the parsing we must avoid here
                warnings.simplefilter("ignore", PTBUserWarning)
                result = await self.app.bot.do_api_request(
                    "getUpdates", api_kwargs=params, read_timeout=wait + 10
                )
        except Conflict as exc:
            raise PollConflict(exc.message) from exc
        return [u for u in result if isinstance(u, dict)] if isinstance(result, list) else []

    async def _delete_webhook(self) -> None:
        await self.app.bot.delete_webhook()

    async def set_webhook(self, url: str, secret: str) -> None:
        """setWebhook, for the updates the bot takes."""
        await self.app.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)

    async def webhook_info(self) -> tuple[str, int | None]:
        """getWebhookInfo: the address and when delivery last failed."""
        info = await self.app.bot.get_webhook_info()
        failed = info.last_error_date
        return info.url, int(failed.timestamp()) if failed is not None else None

    async def _close(self) -> None:
        if self._opened:
            await self.app.stop()
            await self.app.shutdown()
