"""APScheduler only wakes our jobs; what is due lives in our tables (APScheduler 3 cannot share a job
store between processes). Each job here is safe to run on several instances at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.retention import RetentionPolicy, purge
from bot.accounts.takedown import TakeDown
from bot.domain.clock import Clock
from bot.regiobeeld.weekly import Weekly
from bot.runtime.due import DueRunner
from bot.signals.digest import Digests
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
MAX_PAUSE = 0.1  # seconds between due batches, at most
AHEAD_PAUSE = 0.5  # seconds before looking again while the outbox has enough bulk waiting


@dataclass(frozen=True)
class Periodic:
    """What the periodic jobs use, and nothing more of the application."""

    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    zone: str
    digest_time: str  # "HH:MM", working days
    retention: RetentionPolicy
    take_down: TakeDown
    digests: Digests
    weekly: Weekly


async def retention_purge(jobs: Periodic) -> None:
    """Delete what is past its retention period (idempotent: a second instance deletes nothing more)."""
    async with UnitOfWork(jobs.sessions) as uow:
        result = await purge(uow, jobs.clock, jobs.retention, jobs.take_down)
        await uow.commit()
    log.info("retention_purge", result=str(result))


async def due_tick(runner: DueRunner) -> None:
    """Run whatever has fallen due (escalations, digests, later check-ins), a batch at a time, leaving the
    rest of the bot at least as much of the event loop as each batch took. On SQLite no statement yields
    to the loop (storage/sqlite_inline.py): without the pause a burst of due rows (20,000 check-ins at
    09:00: 26 s, 100,000: minutes) held off every update, reply and send until its last batch; with only
    a turn of the loop between batches, sending ran at ~23 a second during the burst instead of 29. There
    is no hurry: the burst becomes outbox rows far faster than Telegram lets them go. So while about two
    seconds of bulk messages wait to go, the bulk kinds wait too (a reply written then finds the loop free
    but for a batch each half second), and other due work (an escalation's deadline) runs at once."""
    if runner.ticking.locked():
        return  # one round at a time: the one running takes what fell due meanwhile too
    async with runner.ticking:
        while True:
            started = time.thread_time()
            bulk = not await runner.ahead()
            if not await runner.run_once(bulk=bulk):
                if bulk:
                    return
                try:
                    await asyncio.sleep(AHEAD_PAUSE)  # only bulk work is due, and enough of it waits to go
                except asyncio.CancelledError:  # shutting down: the rows stay due for the next start
                    return
                continue
            await asyncio.sleep(min(time.thread_time() - started, MAX_PAUSE))


async def plan_digests(jobs: Periodic, runner: DueRunner, days: Sequence[date] = ()) -> None:
    """Plan today's desk digests and, on a Monday, the coordinators' regiobeeld message (once each per day,
    whichever instance gets here first), and send them. `days`: the days the sandbox's clock jumped
    past (today included), each planned as if the job had run then."""
    async with UnitOfWork(jobs.sessions) as uow:
        planned: list[date | None] = [*days] or [None]
        for day in planned:
            await jobs.digests.plan_today(uow, day)
            await jobs.weekly.plan_today(uow, day)
        await uow.commit()
    await due_tick(runner)


def build_scheduler(jobs: Periodic, runner: DueRunner) -> AsyncIOScheduler:
    """Register the periodic jobs in the region's time zone."""
    zone = ZoneInfo(jobs.zone)
    scheduler = AsyncIOScheduler(timezone=zone)
    scheduler.add_job(
        due_tick,
        IntervalTrigger(seconds=30),
        args=[runner],
        id="due_tick",
        coalesce=True,
        max_instances=2,  # a second finds the first still running (a burst) and returns: no "skipped" warning
        next_run_time=datetime.now(zone),  # at start-up too: catch up on what fell due while down
    )
    hour, minute = (int(x) for x in jobs.digest_time.split(":"))
    scheduler.add_job(
        plan_digests,
        CronTrigger(day_of_week="mon-fri", hour=hour, minute=minute, timezone=zone),
        args=[jobs, runner],
        id="desk_digests",
        coalesce=True,
        misfire_grace_time=4 * 3600,
    )
    scheduler.add_job(
        retention_purge,
        CronTrigger(hour=3, minute=30, timezone=zone),
        args=[jobs],
        id="retention_purge",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=6 * 3600,
    )
    return scheduler
