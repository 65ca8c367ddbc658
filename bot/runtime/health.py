"""/healthz, /readyz and /metrics: what an orchestrator and Prometheus ask of an instance.

- /healthz: the process answers (liveness). Nothing else is checked, so a database outage does not make
  an orchestrator restart every instance in a loop.
- /readyz: whether *this instance* can serve: the database answers, and Telegram was heard
  from within `READY_WITHIN` seconds: with polling, this instance's last successful getUpdates (a standby
  instance is ready while another holds the poller's lease); with the webhook, the last update Telegram
  delivered or the last getWebhookInfo that showed our address without a delivery error. 503 with the
  reasons otherwise. The outbox backlog is shared by every instance, so it is no reason to take one out of
  the balancer (a flood would take them all out): it is a gauge in /metrics, with an alert in
  deploy/alerts.yml.
- /metrics: Prometheus's text format, only when `metrics` is on; the gauges are read at each scrape."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock
from bot.runtime.observe import Metrics
from bot.runtime.poller import LEASE_NAME, Standby
from storage.uow import UnitOfWork

READY_WITHIN = 60.0


@dataclass
class Watch:
    """What readiness and the metrics read from one instance."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    metrics: Metrics
    standby: Standby
    mode: str = "polling"
    # The webhook: time.monotonic() of the last update delivered, or of a getWebhookInfo that was fine.
    heard: float | None = None

    def heard_now(self) -> None:
        """Note that Telegram was heard from just now (readiness counts it)."""
        self.heard = time.monotonic()

    async def gauges(self) -> int:
        """Read the backlog, the due-work lag and the lease into the gauges; the backlog."""
        metrics = self.metrics
        async with UnitOfWork(self.sessions) as uow:
            now = self.clock.now()
            backlog, oldest = await uow.outbox.backlog()
            overdue = await uow.due.oldest_overdue(now)
            holder = await uow.leases.holder(LEASE_NAME, now) if self.mode == "polling" else None
        metrics.outbox_backlog.set(backlog)
        metrics.outbox_oldest.set(max(0.0, (now - oldest).total_seconds()) if oldest else 0)
        metrics.due_lag.set((now - overdue).total_seconds() if overdue else 0)
        metrics.poller.labels(metrics.instance).set(1 if self.standby.leading else 0)
        metrics.poller_holder.set(1 if holder else 0)
        return backlog

    async def readiness(self) -> list[str]:
        """What keeps this instance from being ready (empty: ready)."""
        try:
            await self.gauges()
        except Exception as exc:
            return [f"database unreachable ({type(exc).__name__})"]
        problems = []
        heard = self._telegram()
        if heard:
            problems.append(heard)
        return problems

    def _telegram(self) -> str | None:
        now = time.monotonic()
        if self.mode == "webhook":
            if self.heard is None or now - self.heard > READY_WITHIN:
                return f"no webhook update or webhook check within {READY_WITHIN:.0f} s"
            return None
        if not self.standby.leading:
            return None  # standing by: sending and due work go on; another instance polls
        last = self.standby.last_polled
        if last is None or now - last > READY_WITHIN:
            return f"no successful getUpdates within {READY_WITHIN:.0f} s"
        return None


def add_health(app: web.Application, watch: Watch, metrics_on: bool) -> None:
    """Add /healthz, /readyz and (when on) /metrics to an aiohttp application."""

    async def healthz(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def readyz(request: web.Request) -> web.Response:
        problems = await watch.readiness()
        body: dict[str, Any] = {"status": "ready" if not problems else "not ready", "problems": problems}
        body["telegram"] = (
            "webhook" if watch.mode == "webhook" else "polling" if watch.standby.leading else "standby"
        )
        return web.json_response(body, status=200 if not problems else 503)

    async def metrics(request: web.Request) -> web.Response:
        # Without the database the counters still answer; the gauges keep their last values.
        with contextlib.suppress(Exception):
            await watch.gauges()
        body = generate_latest(watch.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    if metrics_on:
        app.router.add_get("/metrics", metrics)
