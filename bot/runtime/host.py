"""What every adapter's runtime does around its library: the outbox sender, the inbox gate, the
scheduler, replaying updates a crash left unfinished, and polling or the webhook until told to stop.

Polling is ours, not the library's: an update is confirmed to Telegram (the next getUpdates' offset) only
once it is committed to the inbox. A library's own polling confirms a batch as it asks for the next one,
which may be before our commit: a crash there lost the update for good."""

from __future__ import annotations

import asyncio
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import structlog
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock
from bot.runtime import admission
from bot.runtime.budget import SenderBudget, Spent
from bot.runtime.config import HostConfig as HostConfig
from bot.runtime.gate import Serve, UpdateGate
from bot.runtime.health import Watch
from bot.runtime.observe import Metrics
from bot.runtime.outbox import OutboxSender
from bot.runtime.poller import PollerLease, Standby
from bot.runtime.share import RateShare
from bot.runtime.transport import Limits, PollConflict, Transport
from bot.runtime.web_front import WebFront
from bot.views.i18n import Translator
from bot.views.messenger import Messenger

log = structlog.get_logger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
# After a failed getUpdates (the network, Telegram's 5xx), wait this long before asking again, doubling to
# the most.
POLL_RETRY, POLL_RETRY_MAX = 0.5, 30.0


@dataclass(frozen=True)
class Serving:
    """What the host needs from the application; the composition root (bot/app) hands it over."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    messenger: Messenger
    tr: Translator
    limits: Limits
    serve: Serve
    # The application's scheduled jobs (due work, digests, the purge), given the outbox sender's wake-up.
    scheduler: Callable[[Callable[[], None]], AsyncIOScheduler]
    config: HostConfig = field(default_factory=HostConfig)
    # The application's web pages, given the outbox sender's wake-up (a form's post queues replies).
    pages: Callable[[Callable[[], None]], web.Application] | None = None


class Runtime(ABC):
    def __init__(self, serving: Serving, transport: Transport, polling_timeout: int = 10) -> None:
        self.serving = serving
        self.config = config = serving.config
        self.polling_timeout = polling_timeout
        self.metrics = Metrics(config.instance)
        self.sender = OutboxSender(serving.sessions, transport, serving.clock, serving.limits, self.metrics)
        self.gate = UpdateGate(
            serving.sessions,
            serving.clock,
            serving.messenger,
            serving.tr,
            self.sender.wake,
            default_locale=serving.config.default_locale,
            shared=serving.config.mode == "webhook",
            direct=self.sender,
            serve=serving.serve,
            metrics=self.metrics,
        )
        self.share = RateShare(serving.sessions, serving.clock, config.instance, self._share)
        self.budget = SenderBudget(config.sender_burst, config.sender_per_second)
        self.started = asyncio.Event()
        self.standby = Standby(PollerLease(serving.sessions, serving.clock, config.instance), self.started)
        self.watch = Watch(
            serving.sessions,
            serving.clock,
            self.metrics,
            self.standby,
            mode=config.mode,
        )
        pages, wake = serving.pages, self.sender.wake
        self.front = WebFront(self, (lambda: pages(wake)) if pages is not None else None)

    def _share(self, part: float) -> None:
        self.sender.share(part)
        self.metrics.outbox_share.set(part)

    @abstractmethod
    async def feed(self, update: dict[str, Any]) -> None:
        """Handle one update as Telegram sent it (JSON), through the gate."""

    @abstractmethod
    async def _get_updates(self, offset: int | None, wait: int) -> list[dict[str, Any]]:
        """One getUpdates call (long polling), the updates as Telegram's JSON; raise on failure."""

    @abstractmethod
    async def _delete_webhook(self) -> None: ...

    @abstractmethod
    async def set_webhook(self, url: str, secret: str) -> None:
        """setWebhook: ask Telegram to deliver to `url`, with `secret` in each delivery's header."""

    @abstractmethod
    async def webhook_info(self) -> tuple[str, int | None]:
        """getWebhookInfo: the address Telegram delivers to, and when its last delivery failed (Unix)."""

    @abstractmethod
    async def _open(self) -> None:
        """Get the library ready to handle updates (before replaying any)."""

    @abstractmethod
    async def _close(self) -> None: ...

    async def take(self, update: dict[str, Any]) -> None:
        """Let one update in through the front door: refuse what may not come in, else handle it."""
        if await self._admitted(update):
            await self._feed_safely(admission.storable(update)[0])

    async def _admitted(self, update: dict[str, Any]) -> bool:
        """Whether an update may come in: within its sender's budget (bot.runtime.budget) and well-formed
        (bot.runtime.admission); one that may not is dropped, audited once for a flood's whole run."""
        sender, update_id = admission.sender_of(update), update.get("update_id")
        spent = self.budget.spend(sender) if sender is not None else Spent.OK
        reason = "flood" if spent is not Spent.OK else admission.refusal(update)
        if reason is None:
            return True
        if spent is Spent.OVER:
            self.metrics.updates.labels("refused").inc()  # counted, nothing written
            return False
        await self.gate.refuse(update_id if isinstance(update_id, int) else -1, sender, reason)
        return False

    async def _feed_safely(self, update: dict[str, Any]) -> None:
        try:
            await self.feed(update)
        except Exception as exc:
            # The library could not read it (the gate catches everything after that): close it, never loop.
            # Only the error's kind is logged: a library's message quotes the update's text.
            log.warning("update_unreadable", update_id=update["update_id"], error=type(exc).__name__)
            await self.gate.give_up(int(update["update_id"]))

    async def _polling(self, stop: asyncio.Event) -> None:
        """Poll while this instance holds the poller's lease (bot.runtime.poller), until `stop` is set."""
        await self.standby.run(stop, self._poll)

    async def _poll(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set. A batch is stored (committed, claimed here) before the offset moves past
        it; then its updates are handled, at most `update_concurrency` at once, while the next batch is
        fetched. A backlog waits at Telegram, not in memory."""
        await self._delete_webhook()
        slots = asyncio.Semaphore(self.config.update_concurrency)
        running: set[asyncio.Task[None]] = set()
        offset: int | None = None
        retry = POLL_RETRY
        stopping = asyncio.create_task(stop.wait())
        try:
            while not stop.is_set():
                polled = asyncio.create_task(self._get_updates(offset, self.polling_timeout))
                await asyncio.wait({polled, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if not polled.done():
                    polled.cancel()
                    with contextlib.suppress(asyncio.CancelledError, Exception):
                        await polled
                    break
                try:
                    updates = polled.result()
                    self.standby.polled()
                    admitted = await self._store(updates)
                except PollConflict:
                    raise
                except Exception as exc:
                    log.warning("polling_failed", error=repr(exc), retry_in=retry)
                    await asyncio.wait({stopping}, timeout=retry)
                    retry = min(retry * 2, POLL_RETRY_MAX)
                    continue
                retry = POLL_RETRY
                if updates:
                    offset = max(int(u["update_id"]) for u in updates) + 1
                for update in admitted:
                    await slots.acquire()
                    task = asyncio.create_task(self._feed_safely(update))
                    running.add(task)
                    task.add_done_callback(running.discard)
                    task.add_done_callback(lambda _: slots.release())
        finally:
            stopping.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def _store(self, updates: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Refuse what may not come in; commit the rest to the inbox. Return the updates to handle: an
        update that could only be kept escaped is stored, closed as unreadable and not handled."""
        admitted = [u for u in updates if await self._admitted(u)]
        kept = [(u, *admission.storable(u)) for u in admitted]
        await self.gate.store([(int(u["update_id"]), admission.chat_of(u), safe) for u, safe, _ in kept])
        for u, _, readable in kept:
            if not readable:
                log.warning("update_unreadable", update_id=u["update_id"], error="not_storable")
                await self.gate.give_up(int(u["update_id"]))
        return [safe for _, safe, readable in kept if readable]

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
        sender_stop, share_stop = asyncio.Event(), asyncio.Event()
        await self.share.beat()  # this instance's part of the bot's rate, before its first message
        beating = asyncio.create_task(self.share.run(share_stop))
        sender = asyncio.create_task(self.sender.run(sender_stop))
        scheduler = self.serving.scheduler(self.sender.wake)
        # Updates stored by an instance that died mid-way are picked up again once their lease ran out.
        scheduler.add_job(
            self.replay, IntervalTrigger(seconds=60), id="inbox_replay", coalesce=True, max_instances=1
        )
        if self.config.mode == "webhook":
            scheduler.add_job(
                self.front.check_webhook,
                IntervalTrigger(seconds=30),
                id="webhook_check",
                coalesce=True,
                max_instances=1,
            )
        scheduler.start()
        pages = await self.front.pages()
        try:
            await self._open()
            await self.replay()
            if self.config.mode == "webhook":
                await self.front.webhook(stop)
            else:
                await self._polling(stop)
        finally:
            if pages is not None:
                await pages.cleanup()
            scheduler.shutdown(wait=False)
            sender_stop.set()
            self.sender.wake()
            await sender
            share_stop.set()
            await beating  # its last beat takes this instance's part out
            await self._close()
