"""APScheduler only wakes our jobs; what is due lives in our tables (APScheduler 3 cannot share a job
store between processes). Each job here is safe to run on several instances at once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.accounts.retention import purge
from bot.runtime.due import DueRunner
from storage.uow import UnitOfWork

if TYPE_CHECKING:  # the core builds the scheduler; the jobs only take it
    from bot.app.core import Core

log = structlog.get_logger(__name__)
MAX_PAUSE = 0.1  # seconds between due batches, at most


async def retention_purge(core: Core) -> None:
    """Delete what is past its retention period (idempotent: a second instance deletes nothing more)."""
    async with UnitOfWork(core.sessions) as uow:
        result = await purge(uow, core.clock, core.settings.retention_policy(), core.take_down)
        await uow.commit()
    log.info("retention_purge", result=str(result))


async def due_tick(runner: DueRunner) -> None:
    """Run whatever has fallen due (escalations, digests, later check-ins), a batch at a time, leaving the
    rest of the bot at least as much of the event loop as each batch took. On SQLite no statement yields
    to the loop (storage/sqlite_inline.py): without the pause a burst of due rows (20,000 check-ins at
    09:00: 26 s, 100,000: minutes) held off every update, reply and send until its last batch; with only
    a turn of the loop between batches, sending ran at ~23 a second during the burst instead of 29. There
    is no hurry: the burst becomes outbox rows far faster than Telegram lets them go."""
    while True:
        started = time.thread_time()
        if not await runner.run_once():
            return
        await asyncio.sleep(min(time.thread_time() - started, MAX_PAUSE))


async def plan_digests(core: Core, runner: DueRunner, days: Sequence[date] = ()) -> None:
    """Plan today's desk digests and, on a Monday, the coordinators' regiobeeld message (once each per day,
    whichever instance gets here first), and send them. `days`: the days the sandbox's clock jumped
    past (today included), each planned as if the job had run then."""
    async with UnitOfWork(core.sessions) as uow:
        planned: list[date | None] = [*days] or [None]
        for day in planned:
            await core.digests.plan_today(uow, day)
            await core.weekly.plan_today(uow, day)
        await uow.commit()
    await due_tick(runner)


def build_scheduler(core: Core, runner: DueRunner) -> AsyncIOScheduler:
    """Register the periodic jobs in the region's time zone."""
    zone = ZoneInfo(core.region.info.timezone)
    scheduler = AsyncIOScheduler(timezone=zone)
    scheduler.add_job(
        due_tick,
        IntervalTrigger(seconds=30),
        args=[runner],
        id="due_tick",
        coalesce=True,
        max_instances=1,
        next_run_time=datetime.now(zone),  # at start-up too: catch up on what fell due while down
    )
    hour, minute = (int(x) for x in core.region.escalation.digest_time.split(":"))
    scheduler.add_job(
        plan_digests,
        CronTrigger(day_of_week="mon-fri", hour=hour, minute=minute, timezone=zone),
        args=[core, runner],
        id="desk_digests",
        coalesce=True,
        misfire_grace_time=4 * 3600,
    )
    scheduler.add_job(
        retention_purge,
        CronTrigger(hour=3, minute=30, timezone=zone),
        args=[core],
        id="retention_purge",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=6 * 3600,
    )
    return scheduler
