"""What every adapter's runtime does around its library: the outbox sender, the inbox gate, the
scheduler, replaying updates a crash left unfinished, and polling or the webhook until told to stop."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from typing import Any

import structlog
from aiohttp import web
from apscheduler.triggers.interval import IntervalTrigger

from bot.app import Core
from bot.outbox import OutboxSender, Transport
from bot.scheduler import build_scheduler
from bot.updates import UpdateGate
from handlers.webhook import webhook_app

log = structlog.get_logger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]


class Runtime(ABC):
    def __init__(self, core: Core, transport: Transport) -> None:
        self.core = core
        self.sender = OutboxSender(core.sessions, transport, core.clock, core.limits)
        self.gate = UpdateGate(
            core.sessions,
            core.clock,
            core.messenger,
            core.tr,
            self.sender.wake,
            shared=core.settings.mode == "webhook",
            handover=self.sender,
        )
        self.started = asyncio.Event()

    @abstractmethod
    async def feed(self, update: dict[str, Any]) -> None:
        """Handle one update as Telegram sent it (JSON), through the gate."""

    @abstractmethod
    async def _polling(self, stop: asyncio.Event) -> None:
        """Poll Telegram until `stop` is set; set `started` once polling."""

    @abstractmethod
    async def _set_webhook(self, url: str, secret: str | None) -> None: ...

    @abstractmethod
    async def _open(self) -> None:
        """Get the library ready to handle updates (before replaying any)."""

    @abstractmethod
    async def _close(self) -> None: ...

    async def replay(self) -> int:
        """Finish updates that were stored but not handled before a crash."""
        payloads = await self.gate.unfinished()
        for payload in payloads:
            await self.feed(payload)
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
            await self._open()
            await self.replay()
            if self.core.settings.mode == "webhook":
                await self._webhook(stop)
            else:
                await self._polling(stop)
        finally:
            scheduler.shutdown(wait=False)
            sender_stop.set()
            self.sender.wake()
            await sender
            await self._close()

    async def _webhook(self, stop: asyncio.Event) -> None:
        settings = self.core.settings
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        runner = web.AppRunner(webhook_app(self.feed, secret), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, settings.webhook_listen, settings.webhook_port).start()
        if settings.webhook_url:
            await self._set_webhook(settings.webhook_url, secret)
        self.started.set()
        try:
            await stop.wait()
        finally:
            await runner.cleanup()


def build_runtime(core: Core, polling_timeout: int = 10) -> Runtime:
    """The runtime of the adapter the settings name (aiogram unless told otherwise)."""
    if core.settings.adapter == "ptb":
        from handlers.ptb_runtime import PtbRuntime

        return PtbRuntime(core, polling_timeout)
    from handlers.aiogram_runtime import AiogramRuntime

    return AiogramRuntime(core, polling_timeout)
