"""APScheduler only wakes our jobs; what is due lives in our tables (APScheduler 3 cannot share a job
store between processes). Each job here is safe to run on several instances at once."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import structlog
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.app import Core
from bot.services.retention import purge
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)


async def retention_purge(core: Core) -> None:
    """Delete what is past its retention period (idempotent: a second instance deletes nothing more)."""
    async with UnitOfWork(core.sessions) as uow:
        result = await purge(uow, core.clock, core.settings.retention_policy())
        await uow.commit()
    log.info("retention_purge", result=str(result))


def build_scheduler(core: Core) -> AsyncIOScheduler:
    """Register the periodic jobs in the region's time zone."""
    zone = ZoneInfo(core.region.info.timezone)
    scheduler = AsyncIOScheduler(timezone=zone)
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
