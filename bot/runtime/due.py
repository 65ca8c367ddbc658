"""Run work that has fallen due. Each row's effects and its done mark commit together, so a crash
redoes nothing that was committed and loses nothing that was not; two instances never both run a row.

Kinds that fall due by the thousand (check-ins at 09:00) also have a batch handler: one unit of work
for the whole claimed batch. If the batch fails, its rows run one by one, so one bad row stops nothing."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock
from bot.domain.jobs import Job
from storage.models import DueWork
from storage.ports import Work
from storage.repositories import StaleState
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
J = TypeVar("J", bound=Job)
Handler = Callable[[UnitOfWork, Any], Awaitable[None]]
BatchHandler = Callable[[UnitOfWork, list[Any]], Awaitable[None]]
LEASE = timedelta(minutes=5)
BATCH = 10
AHEAD = 60  # bulk messages waiting to go (about two seconds of sending) before bulk due work waits for them


class Handlers:
    """What runs each kind of job: one handler per job type (and a batch handler where it has one)."""

    def __init__(self) -> None:
        self.one: dict[str, tuple[type[Job], Handler]] = {}
        self.batch: dict[str, BatchHandler] = {}

    def on(self, job: type[J], handler: Callable[[Work, J], Awaitable[None]]) -> Handlers:
        """Run `handler` for each due `job`; a kind has one handler."""
        if job.kind in self.one:
            raise ValueError(f"job {job.kind!r} has a handler already")
        self.one[job.kind] = (job, handler)
        return self

    def batched(self, job: type[J], handler: Callable[[Work, list[J]], Awaitable[None]]) -> Handlers:
        """Run `handler` once for all of a claim's due `job`s (its one-by-one handler stays the fallback)."""
        self.batch[job.kind] = handler
        return self

    def read(self, row: DueWork) -> tuple[Job, Handler] | None:
        """The typed job a row holds and its handler; None for an unknown kind or a payload that does not fit."""
        known = self.one.get(row.kind)
        if known is None:
            return None
        try:
            return known[0].read(dict(row.payload)), known[1]
        except ValueError:
            log.error("due_work_unreadable", kind=row.kind, key=row.key)
            return None


@dataclass
class DueRunner:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    handlers: Handlers
    on_commit: Callable[[], None] = lambda: None
    lease: timedelta = LEASE
    ticking: asyncio.Lock = field(default_factory=asyncio.Lock)  # held by the scheduler's round (due_tick)

    async def run_once(self, limit: int = BATCH, bulk: bool = True) -> int:
        """Claim what is due and run it (without the kinds that make bulk messages, unless `bulk`); return how
        many rows were done. Batches stay small: the sender and every update share this event loop, and on
        SQLite a batch holds it until done (ten check-ins ~25 ms: what a reply written during a 09:00 burst
        may wait for it, bench.burst)."""
        without = () if bulk else tuple(self.handlers.batch)
        async with UnitOfWork(self.sessions) as uow:
            rows = await uow.due.claim(self.clock.now(), self.lease, limit, without)
            await uow.commit()
        by_kind: dict[str, list[DueWork]] = defaultdict(list)
        single: list[DueWork] = []
        for row in rows:
            (by_kind[row.kind] if row.kind in self.handlers.batch else single).append(row)
        done = 0
        for kind, batch in by_kind.items():
            if await self._run_batch(self.handlers.batch[kind], batch):
                done += len(batch)
            else:
                single += batch
        for row in single:
            done += await self._run_one(row)
        if done:
            self.on_commit()
        return done

    async def ahead(self) -> bool:
        """Whether enough bulk messages wait to go that making more now would only hold the loop: a burst
        becomes outbox rows far faster than Telegram lets them leave."""
        async with UnitOfWork(self.sessions) as uow:
            return await uow.outbox.bulk_beyond(AHEAD)

    async def _run_batch(self, handler: BatchHandler, rows: list[DueWork]) -> bool:
        token = rows[0].claim_token or ""
        try:
            async with UnitOfWork(self.sessions) as uow:
                jobs = [self.handlers.read(r) for r in rows]
                await handler(uow, [j for j, _ in filter(None, jobs)])
                if not await uow.due.done_many([r.id for r in rows], token, self.clock.now()):
                    await uow.rollback()
                    return False
                await uow.commit()
            return True
        except Exception:
            log.warning("due_batch_failed_running_one_by_one", kind=rows[0].kind, rows=len(rows))
            return False

    async def _run_one(self, row: DueWork) -> int:
        known = self.handlers.read(row)
        try:
            async with UnitOfWork(self.sessions) as uow:
                if known is not None:  # an unknown or unreadable row is marked done: it would never run
                    await known[1](uow, known[0])
                # Only the lease holder may finish: a row taken over after a long stall is not done twice.
                if not await uow.due.done(row.id, row.claim_token or "", self.clock.now()):
                    await uow.rollback()
                    return 0
                await uow.commit()
            return 1
        except StaleState:
            # Someone changed the same agreement or signal meanwhile: give the row back to run again.
            log.info("due_work_conflict", kind=row.kind, key=row.key)
            async with UnitOfWork(self.sessions) as uow:
                await uow.due.release(row.id, row.claim_token or "")
                await uow.commit()
        except Exception:
            log.exception("due_work_failed", kind=row.kind, key=row.key)
        return 0
