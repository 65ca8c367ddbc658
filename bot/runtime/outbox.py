"""Send what the outbox holds: leased rows, Telegram's rate limits, retries that never double a message."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock
from bot.domain.outgoing import REPLY, Kind, Queued
from bot.runtime.batching import Batch, Progress
from bot.runtime.calls import METHOD, call
from bot.runtime.observe import Metrics, chat_kind
from bot.runtime.sent_marks import SentMarks
from bot.runtime.transport import (
    PRUNE_AT,
    ChatLimiters,
    Limits,
    RetryLater,
    Transient,
    Transport,
    Undeliverable,
)
from bot.runtime.turns import Turns
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)


class OutboxSender:
    """Drains due outbox rows; several instances may run against one database."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        transport: Transport,
        clock: Clock,
        limits: Limits,
        metrics: Metrics | None = None,
    ) -> None:
        self.sessions, self.transport, self.clock, self.limits = sessions, transport, clock, limits
        self.metrics = metrics or Metrics("waakvlam")
        # Bursts never above Telegram's ~30, however high the rate is set (a load test's fast-forward); a
        # reply takes the next turn before any check-in of a burst waiting for one.
        self._global = Turns(limits.per_second, min(limits.per_second, limits.burst))
        self.rate, self._may_send = limits.per_second, asyncio.Event()  # this instance's part (`share`)
        self._may_send.set()
        self._chats = ChatLimiters(limits)
        self._wake = asyncio.Event()
        self._wakes = 0  # wake-ups so far: a batch knows how many there were when it was claimed
        self.marks = SentMarks(sessions, clock)
        # Telegram message ids of rows delivered here, so an edit of a recent message needs no query.
        self._ids: dict[int, int] = {}
        self.sent = 0
        self.claims = 0
        # Rows handlers leased to this instance as they committed (`hand`), and chats whose newest rows
        # wait behind those for a claim.
        self._handed: set[asyncio.Task[None]] = set()
        self._held: set[int] = set()
        self._in_hand = 0  # replies claimed or handed here and not yet gone

    @property
    def batch(self) -> int:
        """About a second of sending: with two batches in hand at once (see `run`) a reply handed to this
        sender just after it claimed a burst of check-ins waits about two seconds behind them, not the
        seven that 200 rows took (the scale-out test's flake); and never more than a quarter of the lease,
        so a healthy sender never outlives its claim."""
        quarter_lease = self.rate * self.limits.lease_seconds / 4
        return max(1, min(self.limits.batch, int(self.rate), int(quarter_lease)))

    def share(self, part: float) -> None:
        """Send at this part of the bot's rate (bot/runtime/share.py); at 0, nothing until told again."""
        if part <= 0:
            self._may_send.clear()
            return
        self.rate = self.limits.per_second * part
        self._global.pace(self.rate, max(1.0, min(self.limits.per_second, self.limits.burst) * part))
        if not self._may_send.is_set():
            self._may_send.set()
            self.wake()  # claim what waited meanwhile

    def wake(self) -> None:
        """Look at the outbox now: something was queued."""
        self._wakes += 1
        self._wake.set()

    @property
    def lease(self) -> timedelta | None:
        """The lease for rows handed to this sender, or None while it has more than about a second of
        replies in hand: a new one would wait behind those, so it is left to a claim, which an idle
        instance may win. Check-ins in hand do not count: a reply takes its turn before them. None too
        while this instance has no part of the rate (bot/runtime/share.py)."""
        if self._in_hand >= max(1.0, self.rate) or not self._may_send.is_set():
            return None
        return timedelta(seconds=self.limits.lease_seconds)

    def hand(self, rows: list[Queued], held: set[int]) -> None:
        """Deliver rows a handler leased to this instance in its own transaction: a reply goes out without
        waiting for a claim. `held` are chats whose rows were not leased (an earlier row of theirs is still
        to go); once rows of such a chat have gone here, the sender claims again."""
        if len(self._held) > PRUNE_AT:
            self._held.clear()  # the idle poll still finds their rows
        self._held |= held
        if rows:
            task = asyncio.create_task(self._deliver_handed(rows))
            self._handed.add(task)
            task.add_done_callback(self._handed.discard)

    async def _deliver_handed(self, rows: list[Queued]) -> None:
        try:
            await self._deliver_rows(rows)
        except Exception:
            log.exception("outbox_drain_failed")
        chats = {row.chat_id for row in rows} & self._held
        if chats:
            self._held -= chats
            self.wake()

    async def run(self, stop: asyncio.Event, idle_poll: float = 1.0) -> None:
        """Send until `stop` is set; claim when woken by a commit here, when a batch goes out that may have
        held rows back, with a backlog, and every `idle_poll` seconds (retries and other instances' rows).

        The next batch is claimed while this one is still being sent (when about a second of it is left),
        so with a backlog the claim's query (it grows with the backlog: ~0.2 s at 100,000 rows) does not
        leave Telegram's rate unused. A chat with a row in hand is skipped by the next claim, so its order
        holds. Claiming earlier than that would queue new replies behind the whole batch in hand."""
        sending: Batch | None = None
        due = True
        while not stop.is_set():
            if not self._may_send.is_set():  # no part of the rate now: a claimed row's lease would run out
                woken, sending = await self._idle(sending, idle_poll)
                due = due or woken
                continue
            if not due and not self._wake.is_set():
                due, sending = await self._idle(sending, idle_poll)
                continue
            due = False
            # Cleared before claiming: a commit from here on sets it again, so no wake-up is missed.
            self._wake.clear()
            seen = self._wakes
            try:
                rows = await self._claim()
            except Exception:
                log.exception("outbox_claim_failed")
                rows = []
            if rows:
                progress = Progress(len(rows), low=max(1, int(self.rate)))
                batch = Batch(asyncio.create_task(self._deliver_rows(rows, progress)), seen)
                due = await self._settle(sending)  # at most two batches in hand
                sending = batch
                # Claim again only when this batch is nearly out (about a second of sending left): rows
                # claimed now would queue behind all of it, and an idle instance may be quicker.
                await progress.nearly_done.wait()
                due = due or len(rows) >= self.batch
        await self._settle(sending)
        await asyncio.gather(*self._handed)

    async def _idle(self, sending: Batch | None, idle_poll: float) -> tuple[bool, Batch | None]:
        """Wait for a wake-up, the batch in hand to go out, or the idle poll; say whether to claim."""
        woken = asyncio.create_task(self._wake.wait())
        waiting: set[asyncio.Future[Any]] = {woken} | ({sending.task} if sending else set())
        done, _ = await asyncio.wait(waiting, timeout=idle_poll, return_when=asyncio.FIRST_COMPLETED)
        woken.cancel()
        if sending is not None and sending.task.done():
            return await self._settle(sending) or not done, None
        return not done, sending

    async def _settle(self, batch: Batch | None) -> bool:
        """Wait for a batch to go out; true when rows may have been held back behind it: the claim skips
        a chat with a row in hand (a conversation's next question waits for its last one), and such a
        row was committed, with a wake-up, after the batch was claimed."""
        if batch is None:
            return False
        try:
            await batch.task
        except Exception:
            log.exception("outbox_drain_failed")
        return self._wakes != batch.seen

    async def _claim(self) -> list[Queued]:
        self.claims += 1
        async with UnitOfWork(self.sessions) as uow:
            rows = await uow.outbox.claim(
                self.clock.now(), timedelta(seconds=self.limits.lease_seconds), self.batch
            )
            await uow.commit()
        return rows

    async def _deliver_rows(self, rows: list[Queued], progress: Progress | None = None) -> None:
        self._in_hand += sum(row.lane == REPLY for row in rows)
        by_chat: dict[int, list[Queued]] = defaultdict(list)
        for row in rows:
            by_chat[row.chat_id].append(row)
        try:
            await asyncio.gather(*(self._deliver_chat(chat_rows, progress) for chat_rows in by_chat.values()))
        finally:
            if progress is not None:
                progress.nearly_done.set()

    async def _deliver_chat(self, rows: list[Queued], progress: Progress | None = None) -> None:
        marking: list[asyncio.Task[None]] = []
        try:
            await self._deliver_in_order(rows, progress, marking)
        finally:
            self._in_hand -= sum(row.lane == REPLY for row in rows)
            await asyncio.gather(*marking)

    async def _deliver_in_order(
        self, rows: list[Queued], progress: Progress | None, marking: list[asyncio.Task[None]]
    ) -> None:
        done = 0
        for index, row in enumerate(rows):
            if not self._chats.of(row.chat_id).has_capacity():
                # This chat is at its limit (a busy desk group: 20 a minute). Put its rest back for later
                # rather than wait here, which would hold up every other chat in the batch.
                await self._defer(rows[index:], self._chats.gap(row.chat_id))
                break
            if not await self._deliver(row, marking):
                # Keep the chat's order: later rows wait until this one has gone.
                await self._release(rows[index + 1 :])
                break
            done += 1
            if progress is not None:
                progress.took(1)
        if progress is not None:
            progress.took(len(rows) - done)  # the rest was put back for later

    async def _deliver(self, row: Queued, marking: list[asyncio.Task[None]] | None = None) -> bool:
        """Send one row. A new message's "sent" mark is committed before the chat's next row goes, so a
        crash never sends it twice out of order; an edit's mark may commit while the next row goes (a
        repeated edit shows the same, and Telegram answers "not modified")."""
        calls = self.metrics.calls
        method = METHOD[row.kind]
        try:
            async with self._chats.of(row.chat_id):
                if not self._may_send.is_set():
                    await self._may_send.wait()
                await self._global.take(row.lane)
                message_id = await call(self.transport, row, self._message_id_of)
        except RetryLater as exc:
            calls.labels(method, "retry_after").inc()
            log.warning("telegram_429", chat_kind=chat_kind(row.chat_id), retry_after=exc.retry_after)
            await self._retry(row, exc.retry_after, str(exc), count=False)
            return False
        except Transient as exc:
            calls.labels(method, "transient").inc()
            await self._retry(row, min(2 ** (row.attempts + 1), 300), str(exc), count=True)
            return False
        except Undeliverable as exc:
            calls.labels(method, "refused").inc()
            log.error(
                "outbox_undeliverable", chat_kind=chat_kind(row.chat_id), outbox_id=row.id, error=str(exc)
            )
            await self._retry(row, 0, str(exc), count=True, give_up=True)
            return True
        self.metrics.sent(method).inc()
        if row.kind is not Kind.SEND and marking is not None:
            marking.append(asyncio.create_task(self.marks.mark(row.id, message_id)))
        else:
            await self.marks.mark(row.id, message_id)
        if message_id is not None and row.kind is Kind.SEND:
            if len(self._ids) > 10_000:
                self._ids.clear()
            self._ids[row.id] = message_id
        self.sent += 1
        return True

    async def _message_id_of(self, outbox_id: int) -> int | None:
        if outbox_id in self._ids:
            return self._ids[outbox_id]
        async with UnitOfWork(self.sessions) as uow:
            return await uow.outbox.message_id_of(outbox_id)

    async def _retry(self, row: Queued, delay: float, error: str, count: bool, give_up: bool = False) -> None:
        give_up = give_up or (count and row.attempts + 1 >= self.limits.max_attempts)
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.retry(row.id, self.clock.now() + timedelta(seconds=delay), error, give_up, count)
            await uow.commit()

    async def _defer(self, rows: list[Queued], gap: float) -> None:
        """Put a chat's rows back at the chat's own pace (a desk group: one every ~3 s), each due when the
        chat has room for it. All at one moment, a busy group's backlog came back whole into every
        claim, crowding out replies (a soak of 800 signals into one group: answers of up to a second)."""
        now = self.clock.now()
        times = [now + timedelta(seconds=gap * (n + 1)) for n in range(len(rows))]
        await self._put_back(rows, times, "chat at its rate limit")

    async def _release(self, rows: list[Queued]) -> None:
        await self._put_back(rows, [self.clock.now()] * len(rows), "waiting for an earlier message")

    async def _put_back(self, rows: list[Queued], times: list[datetime], error: str) -> None:
        if not rows:
            return
        async with UnitOfWork(self.sessions) as uow:
            await uow.outbox.put_back([(row.id, at) for row, at in zip(rows, times, strict=True)], error)
            await uow.commit()
