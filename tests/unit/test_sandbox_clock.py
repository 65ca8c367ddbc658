"""The sandbox's clock moves on by steps, is kept in the data folder, and goes back to the real time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingTime, working_days_later
from bot.sandbox.clock import ShiftedClock

AMS = ZoneInfo("Europe/Amsterdam")


def test_a_working_day_on_is_the_next_working_day_at_the_same_time(tmp_path: Path) -> None:
    clock = ShiftedClock.load(tmp_path / "clock.offset", WorkingTime())
    before = clock.now().astimezone(AMS)
    after = clock.jump("workday").astimezone(AMS)
    assert after.date() == working_days_later(before.date(), 1)
    assert (
        abs((after.replace(tzinfo=None) - datetime.combine(after.date(), before.time())).total_seconds()) < 5
    )


def test_steps_add_up_survive_a_restart_and_now_goes_back(tmp_path: Path) -> None:
    file = tmp_path / "clock.offset"
    clock = ShiftedClock.load(file, WorkingTime())
    clock.jump("hour")
    clock.jump("week")
    clock.jump("four_weeks")
    again = ShiftedClock.load(file, WorkingTime())
    assert again.offset == timedelta(hours=1, weeks=5)
    assert abs((again.now() - datetime.now(UTC)) - timedelta(hours=1, weeks=5)) < timedelta(seconds=5)
    again.jump("now")
    assert ShiftedClock.load(file, WorkingTime()).offset == timedelta()


def test_the_days_a_jump_passed_are_each_day_after_the_first_up_to_the_last() -> None:
    from bot.sandbox.clock import days_passed

    friday = datetime(2026, 11, 27, 22, 30, tzinfo=UTC)  # 23:30 in Amsterdam, still Friday
    assert [d.day for d in days_passed(friday, friday + timedelta(hours=1), "Europe/Amsterdam")] == [28]
    assert days_passed(friday, friday + timedelta(minutes=10), "Europe/Amsterdam") == []
    assert len(days_passed(friday, friday + timedelta(weeks=4), "Europe/Amsterdam")) == 28
    assert days_passed(friday, friday - timedelta(days=3), "Europe/Amsterdam") == []  # back to now
