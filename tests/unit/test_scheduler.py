"""The retention job is registered daily at 03:30 in the region's time zone, across DST."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from pydantic import SecretStr

from bot.app.core import build_core
from bot.app.scheduler import build_scheduler
from bot.app.settings import Settings
from tests.e2e.harness import DATA_KEY

AMS = ZoneInfo("Europe/Amsterdam")


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'x.db'}",
        secret_key=SecretStr("s" * 40),
        data_keys=SecretStr(DATA_KEY),
        _env_file=None,  # type: ignore[call-arg]
    )


def test_retention_runs_at_half_past_three_local_time_in_summer_and_winter(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path)
    core = build_core(settings)
    scheduler = build_scheduler(core.periodic(), core.due_runner())
    job = scheduler.get_job("retention_purge")
    assert job is not None and isinstance(job.trigger, CronTrigger)
    # Summer time ends on 25 October 2026 at 03:00 (back to 02:00): 03:30 that night is winter time.
    cases = [
        (datetime(2026, 10, 23, 12, 0, tzinfo=AMS), 24, 7200),
        (datetime(2026, 10, 24, 12, 0, tzinfo=AMS), 25, 3600),
        (datetime(2026, 10, 25, 12, 0, tzinfo=AMS), 26, 3600),
    ]
    for now, day, offset in cases:
        fire = job.trigger.get_next_fire_time(None, now)
        assert (fire.day, fire.hour, fire.minute, fire.utcoffset().total_seconds()) == (day, 3, 30, offset)


def test_digests_are_planned_at_eight_local_time_on_weekdays_across_dst(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = _settings(tmp_path)
    core = build_core(settings)
    job = build_scheduler(core.periodic(), core.due_runner()).get_job("desk_digests")
    assert job is not None
    friday = job.trigger.get_next_fire_time(None, datetime(2026, 10, 22, 9, 0, tzinfo=AMS))
    monday = job.trigger.get_next_fire_time(None, datetime(2026, 10, 23, 9, 0, tzinfo=AMS))
    assert (friday.day, friday.hour, friday.utcoffset().total_seconds()) == (23, 8, 7200)  # summer time
    assert (monday.day, monday.hour, monday.utcoffset().total_seconds()) == (
        26,
        8,
        3600,
    )  # weekend skipped, winter
