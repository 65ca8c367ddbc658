"""The instance's web side: /healthz, /readyz, /metrics and the application's pages (the regiobeeld) on the
web port, and in webhook mode Telegram's deliveries (on the same port when both are set alike)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any, Protocol

import structlog
from aiohttp import web

from bot.runtime.config import HostConfig
from bot.runtime.health import READY_WITHIN, Watch, add_health
from bot.runtime.webhook import add_webhook

log = structlog.get_logger(__name__)


class Host(Protocol):
    """What the web side asks of the instance that runs it (bot.runtime.host.Runtime)."""

    config: HostConfig
    watch: Watch
    started: asyncio.Event

    async def take(self, update: dict[str, Any]) -> None: ...
    async def set_webhook(self, url: str, secret: str) -> None: ...
    async def webhook_info(self) -> tuple[str, int | None]: ...


class WebFront:
    def __init__(self, runtime: Host, pages: Callable[[], web.Application] | None) -> None:
        self.runtime, self.config, self.watch, self._pages = runtime, runtime.config, runtime.watch, pages

    async def pages(self) -> web.AppRunner | None:
        """Serve the health endpoints and the pages on the web port, when one is set."""
        config = self.config
        if config.web_port is None:
            return None
        app = self._pages() if self._pages is not None else web.Application()
        add_health(app, self.watch, config.metrics)
        if config.mode == "webhook" and config.webhook_port == config.web_port:
            add_webhook(app, self.delivered, config.webhook_secret)
        return await _serve(app, config.web_listen, config.web_port)

    async def delivered(self, update: dict[str, Any]) -> None:
        """An update Telegram delivered to the webhook: Telegram reaches us."""
        self.watch.heard_now()
        await self.runtime.take(update)

    async def check_webhook(self) -> None:
        """Ask Telegram whether it delivers to our webhook without errors; readiness counts a good answer."""
        try:
            url, failed_at = await self.runtime.webhook_info()
        except Exception as exc:
            log.warning("webhook_check_failed", error=type(exc).__name__)
            return
        ours = url == self.config.webhook_url
        if ours and not (failed_at is not None and time.time() - failed_at < READY_WITHIN):
            self.watch.heard_now()
        else:
            log.warning("webhook_not_delivering", set_here=ours)

    async def webhook(self, stop: asyncio.Event) -> None:
        """Take Telegram's deliveries until `stop` is set (on their own port unless it is the web port)."""
        config = self.config
        runner = None
        if config.webhook_port != config.web_port:
            app = web.Application()
            add_webhook(app, self.delivered, config.webhook_secret)
            add_health(app, self.watch, config.metrics)
            runner = await _serve(app, config.webhook_listen, config.webhook_port)
        if config.webhook_url:
            await self.runtime.set_webhook(config.webhook_url, config.webhook_secret)
            await self.check_webhook()
        self.runtime.started.set()
        try:
            await stop.wait()
        finally:
            if runner is not None:
                await runner.cleanup()


async def _serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
