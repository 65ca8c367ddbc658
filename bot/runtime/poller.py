"""Polling Telegram with several instances: one polls, the others stand by.

Telegram serves one getUpdates consumer per bot token (a second gets 409 Conflict), so instances sharing
one database elect the poller with a lease (`leases` table: holder and expiry). The holder renews it every
`RENEW` seconds and polls while it holds it; the others try to take it every `RENEW` seconds and meanwhile
send the outbox and run due work as every instance does. A poller that dies (kill -9, cut off from the
database) stops renewing; another takes over once the lease ran out, within `TTL + RENEW` seconds. It asks
Telegram from the last confirmed offset, so the updates the dead one had not confirmed come again and the
inbox (unique on update_id) keeps each from being handled twice.

A 409 from Telegram (something else polls this token, or a webhook is set) is logged once, clearly; the
instance gives the lease up and steps back for `STEP_BACK` seconds."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock
from bot.runtime.transport import PollConflict
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
LEASE_NAME = "poller"
TTL, RENEW, STEP_BACK = 15.0, 5.0, 30.0


class PollerLease:
    """The poller's lease in the database, for one instance (`holder`: its name)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock, holder: str) -> None:
        self.sessions, self.clock, self.holder = sessions, clock, holder

    async def take(self) -> bool:
        """Take or renew the lease; whether this instance holds it now. A database error counts as no."""
        try:
            async with UnitOfWork(self.sessions) as uow:
                now = self.clock.now()
                held = await uow.leases.take(LEASE_NAME, self.holder, now, now + timedelta(seconds=TTL))
                await uow.commit()
        except Exception as exc:
            log.warning("poller_lease_unreachable", error=type(exc).__name__)
            return False
        return held

    async def release(self) -> None:
        """Give the poller's lease up (on stopping), so another instance takes over at once."""
        with contextlib.suppress(Exception):
            async with UnitOfWork(self.sessions) as uow:
                await uow.leases.release(LEASE_NAME, self.holder, self.clock.now())
                await uow.commit()

    async def current(self) -> str | None:
        """Who polls now (None when nobody holds the lease)."""
        async with UnitOfWork(self.sessions) as uow:
            return await uow.leases.holder(LEASE_NAME, self.clock.now())


class Standby:
    """The election around one instance's polling loop: lead while holding the lease, else wait for it."""

    def __init__(self, lease: PollerLease, started: asyncio.Event) -> None:
        self.lease, self.started = lease, started
        self.leading = False
        # time.monotonic() of the last successful getUpdates (or of taking the lease, before the first)
        self.last_polled: float | None = None
        self._conflict_logged = False

    def polled(self) -> None:
        """Note that this instance just heard from getUpdates."""
        self.last_polled = time.monotonic()

    async def run(self, stop: asyncio.Event, poll: Callable[[asyncio.Event], Awaitable[None]]) -> None:
        """Until `stop`: whenever this instance holds the lease, `poll(until)` with an event set when the
        lease is lost or `stop` is set."""
        while not stop.is_set():
            if not await self.lease.take():
                self.started.set()
                await _wait(stop, RENEW)
                continue
            if not self.leading:
                log.info("poller_leading", instance=self.lease.holder)
                self.polled()  # readiness counts from here until the first answer comes
            self.leading = True
            self.started.set()
            pause = await self._lead(stop, poll)
            self.leading = False
            if pause:
                await _wait(stop, pause)

    async def _lead(self, stop: asyncio.Event, poll: Callable[[asyncio.Event], Awaitable[None]]) -> float:
        """Poll while the lease holds; how long to stand back afterwards (0: try again at once)."""
        until = asyncio.Event()
        keeper = asyncio.create_task(self._keep(stop, until))
        try:
            await poll(until)
        except PollConflict as exc:
            if not self._conflict_logged:
                log.error(
                    "telegram_conflict",
                    detail=str(exc)[:200],
                    advice=(
                        "another process polls this bot token, or a webhook is set: this instance steps "
                        "back and tries again later"
                    ),
                )
                self._conflict_logged = True
            await self.lease.release()
            return STEP_BACK
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
        if stop.is_set():
            await self.lease.release()  # stopping cleanly: another takes over at once
            return 0.0
        log.warning("poller_lease_lost", instance=self.lease.holder)
        return RENEW

    async def _keep(self, stop: asyncio.Event, until: asyncio.Event) -> None:
        """Renew the lease every RENEW seconds; set `until` when it is lost or `stop` is set."""
        while True:
            if await _wait(stop, RENEW) or not await self.lease.take():
                until.set()
                return


async def _wait(event: asyncio.Event, seconds: float) -> bool:
    """Wait for `event` at most `seconds`; whether it is set."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), seconds)
    return event.is_set()
