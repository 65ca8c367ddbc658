"""Run Waakvlam on aiogram: polling or webhook, the inbox gate as middleware, the outbox sender beside it."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramAPIError
from aiogram.types import TelegramObject, Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Core
from bot.outbox import OutboxSender
from bot.scheduler import build_scheduler
from bot.updates import UpdateGate
from handlers.aiogram_models import build_used
from handlers.aiogram_router import build_router
from handlers.aiogram_session import JsonSession
from handlers.aiogram_transport import AiogramTransport

log = structlog.get_logger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]


def chat_of(update: Update) -> int | None:
    if update.message is not None:
        return update.message.chat.id
    if update.callback_query is not None and update.callback_query.message is not None:
        return update.callback_query.message.chat.id
    return None


class GateMiddleware(BaseMiddleware):
    """Store the update, run its handler in one unit of work, then answer a pressed button."""

    def __init__(self, gate: UpdateGate) -> None:
        self.gate = gate

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        assert isinstance(event, Update)
        payload = event.model_dump(mode="json", exclude_none=True, by_alias=True)

        async def work(uow: Any) -> Any:
            return await handler(event, {**data, "uow": uow})

        result = await self.gate.handle(event.update_id, payload, chat_of(event), work)
        if event.callback_query is not None:
            with contextlib.suppress(TelegramAPIError):
                await event.callback_query.answer(text=result if isinstance(result, str) and result else None)
        return result


class AiogramRuntime:
    def __init__(self, core: Core, polling_timeout: int = 10) -> None:
        build_used()
        settings = core.settings
        token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
        session = (
            JsonSession(api=TelegramAPIServer.from_base(settings.api_base))
            if settings.api_base
            else JsonSession()
        )
        self.core = core
        self.bot = Bot(token, session=session)
        self.sender = OutboxSender(core.sessions, AiogramTransport(self.bot), core.clock, core.limits)
        self.gate = UpdateGate(
            core.sessions,
            core.clock,
            core.messenger,
            core.tr,
            self.sender.wake,
            shared=settings.mode == "webhook",
            handover=self.sender,
        )
        # Conversation state is ours (storage/, per chat and user): aiogram's FSM would only add a
        # middleware and a lock to every update.
        self.dp = Dispatcher(disable_fsm=True)
        self.dp["desk"] = core.frontdesk
        self.dp.update.outer_middleware(GateMiddleware(self.gate))
        self.dp.include_router(build_router())
        self.polling_timeout = polling_timeout
        self.started = asyncio.Event()

    async def replay(self) -> int:
        """Finish updates that were stored but not handled before a crash."""
        payloads = await self.gate.unfinished()
        for payload in payloads:
            await self.dp.feed_update(self.bot, Update.model_validate(payload, context={"bot": self.bot}))
        if payloads:
            log.info("replayed_updates", count=len(payloads))
        return len(payloads)

    async def run(self, stop: asyncio.Event) -> None:
        """Serve until `stop` is set, then finish cleanly."""
        sender_stop = asyncio.Event()
        sender = asyncio.create_task(self.sender.run(sender_stop))
        scheduler = build_scheduler(self.core, self.core.due_runner(self.sender.wake))
        # Updates stored by an instance that died mid-way are picked up again once their lease ran out.
        scheduler.add_job(
            self.replay, IntervalTrigger(seconds=60), id="inbox_replay", coalesce=True, max_instances=1
        )
        scheduler.start()
        try:
            await self.replay()
            if self.core.settings.mode == "webhook":
                await self._webhook(stop)
            else:
                await self._polling(stop)
        finally:
            scheduler.shutdown(wait=False)
            sender_stop.set()
            await sender
            await self.bot.session.close()

    async def _polling(self, stop: asyncio.Event) -> None:
        await self.bot.delete_webhook()
        self.dp.startup.register(self.started.set)
        polling = asyncio.create_task(
            self.dp.start_polling(
                self.bot,
                polling_timeout=self.polling_timeout,
                handle_signals=False,
                close_bot_session=False,
                allowed_updates=ALLOWED_UPDATES,
                # A backlog (after downtime, or a busy hour) waits at Telegram instead of in memory.
                tasks_concurrency_limit=self.core.settings.update_concurrency,
            )
        )
        await stop.wait()
        try:
            await self.dp.stop_polling()
        except RuntimeError:
            polling.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await polling

    async def _webhook(self, stop: asyncio.Event) -> None:
        settings = self.core.settings
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        app = web.Application()
        # handle_in_background=False: Telegram gets its 200 only after the update is stored and handled.
        SimpleRequestHandler(self.dp, self.bot, secret_token=secret, handle_in_background=False).register(
            app, path="/webhook"
        )
        setup_application(app, self.dp, bot=self.bot)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
        if settings.webhook_url:
            await self.bot.set_webhook(
                settings.webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
            )
        self.started.set()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()
