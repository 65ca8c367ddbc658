"""Run work that has fallen due. Each row's effects and its done mark commit together, so a crash
redoes nothing that was committed and loses nothing that was not; two instances never both run a row."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from storage.repositories import StaleState
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
Handler = Callable[[UnitOfWork, dict[str, object]], Awaitable[None]]
LEASE = timedelta(minutes=5)


@dataclass
class DueRunner:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    handlers: dict[str, Handler]
    on_commit: Callable[[], None] = lambda: None

    async def run_once(self, limit: int = 100) -> int:
        """Claim what is due and run each row in its own unit of work; return how many were done."""
        async with UnitOfWork(self.sessions) as uow:
            rows = await uow.due.claim(self.clock.now(), LEASE, limit)
            await uow.commit()
        done = 0
        for row in rows:
            handler = self.handlers.get(row.kind)
            try:
                async with UnitOfWork(self.sessions) as uow:
                    if handler is not None:
                        await handler(uow, dict(row.payload))
                    # Only the lease holder may finish: a row taken over after a long stall is not done twice.
                    if not await uow.due.done(row.id, row.claim_token or "", self.clock.now()):
                        await uow.rollback()
                        continue
                    await uow.commit()
                done += 1
            except StaleState:
                # Someone changed the same agreement or signal meanwhile: give the row back to run again.
                log.info("due_work_conflict", kind=row.kind, key=row.key)
                async with UnitOfWork(self.sessions) as uow:
                    await uow.due.release(row.id, row.claim_token or "")
                    await uow.commit()
            except Exception:
                log.exception("due_work_failed", kind=row.kind, key=row.key)
        if done:
            self.on_commit()
        return done
