"""Working time: deadlines count desk hours on Dutch working days, in Amsterdam time, across DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.domain.calendar import WorkingTime, working_day
from bot.domain.region import DEFAULT_REGION, RegionError, load_region

AMS = ZoneInfo("Europe/Amsterdam")
DESK = WorkingTime()  # Monday to Friday 08:30–17:00, Europe/Amsterdam


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


@pytest.mark.parametrize(
    ("why", "filed", "hours", "due"),
    [
        ("inside one day", local(2026, 11, 23, 9), 4, local(2026, 11, 23, 13)),
        ("one working day later", local(2026, 11, 23, 9), 8.5, local(2026, 11, 24, 9)),
        ("Friday afternoon goes to Monday", local(2026, 11, 27, 16), 8.5, local(2026, 11, 30, 16)),
        ("filed at night counts from opening", local(2026, 11, 24, 2), 3, local(2026, 11, 24, 11, 30)),
        ("filed after closing counts from tomorrow", local(2026, 11, 24, 19), 1, local(2026, 11, 25, 9, 30)),
        ("filed on Saturday counts from Monday", local(2026, 11, 28, 10), 2, local(2026, 11, 30, 10, 30)),
        ("Koningsdag is skipped", local(2027, 4, 26, 9), 8.5, local(2027, 4, 28, 9)),
        ("Christmas and the weekend are skipped", local(2026, 12, 24, 10), 8.5, local(2026, 12, 28, 10)),
        ("Good Friday and Easter Monday are skipped", local(2027, 3, 25, 12), 17, local(2027, 3, 31, 12)),
        ("the DST change keeps local hours", local(2026, 10, 23, 16), 8.5, local(2026, 10, 26, 16)),
        ("exactly at closing stays that day", local(2026, 11, 23, 9), 8, local(2026, 11, 23, 17)),
        ("zero hours at night is the next opening", local(2026, 11, 23, 22), 0, local(2026, 11, 24, 8, 30)),
    ],
)
def test_add_working_hours(why: str, filed: datetime, hours: float, due: datetime) -> None:
    assert DESK.add_hours(filed.astimezone(UTC), hours) == due.astimezone(UTC), why


def test_the_dst_change_is_real_time_not_wall_time() -> None:
    # Friday 23 October 16:00 is 14:00 UTC (summer time); Monday 26 October 16:00 is 15:00 UTC (winter).
    due = DESK.add_hours(local(2026, 10, 23, 16).astimezone(UTC), 8.5)
    assert due == datetime(2026, 10, 26, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (local(2026, 11, 23, 9), local(2026, 11, 23, 11), 2),
        (local(2026, 11, 27, 16), local(2026, 11, 30, 9, 30), 2),  # Friday to Monday: the weekend is free
        (local(2026, 11, 23, 20), local(2026, 11, 24, 7), 0),  # a night is no working time
        (local(2026, 12, 24, 16), local(2026, 12, 28, 9, 30), 2),  # Christmas is no working time
        (local(2026, 11, 24, 11), local(2026, 11, 23, 9), 0),  # end before start
    ],
)
def test_hours_between(start: datetime, end: datetime, hours: float) -> None:
    assert DESK.hours_between(start.astimezone(UTC), end.astimezone(UTC)) == pytest.approx(hours)


def test_adding_and_counting_agree() -> None:
    start = local(2026, 12, 23, 15).astimezone(UTC)
    for hours in (0.5, 3, 8.5, 20, 40):
        assert DESK.hours_between(start, DESK.add_hours(start, hours)) == pytest.approx(hours)


def test_working_days_between_skips_weekends_and_holidays() -> None:
    friday = local(2026, 12, 18, 12).astimezone(UTC)
    assert DESK.working_days_between(friday, local(2026, 12, 18, 16).astimezone(UTC)) == 0
    assert DESK.working_days_between(friday, local(2026, 12, 21, 9).astimezone(UTC)) == 1
    # 21, 22, 23, 24 December, then 28 (25 and 26 are Christmas, 27 a Sunday)
    assert DESK.working_days_between(friday, local(2026, 12, 28, 9).astimezone(UTC)) == 5


def test_a_desk_with_its_own_hours() -> None:
    region = load_region()
    desk = next(iter(region.meldpunten.values()))
    assert region.hours_of(desk) == WorkingTime("Europe/Amsterdam", time(8, 30), time(17, 0))
    late = desk.model_copy(update={"opens": "12:00", "closes": "20:00", "sla_hours": 8.5})
    # Monday 09:00: counting starts at 12:00, eight hours to 20:00, the last half hour on Tuesday
    assert region.pick_up_by(late, local(2026, 11, 23, 9).astimezone(UTC)) == local(
        2026, 11, 24, 12, 30
    ).astimezone(UTC)


def test_a_region_file_whose_desk_closes_before_it_opens_names_the_line(tmp_path: Path) -> None:
    text = DEFAULT_REGION.read_text(encoding="utf-8").replace(
        "sla_hours = 8.5", 'sla_hours = 8.5\nopens = "18:00"', 1
    )
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RegionError, match=r"meldpunt\[0\]\.closes: a desk closes after it opens"):
        load_region(path)


def test_a_desk_that_closes_before_it_opens_is_refused() -> None:
    with pytest.raises(ValueError, match="closes after it opens"):
        WorkingTime(opens=time(17), closes=time(9))


@pytest.mark.parametrize(
    ("why", "start", "days", "due"),
    [
        ("Friday plus two is Tuesday", local(2026, 11, 27, 11), 2, local(2026, 12, 1, 11)),
        ("ten working days are two weeks", local(2026, 11, 23, 9), 10, local(2026, 12, 7, 9)),
        ("Christmas is no working day", local(2026, 12, 23, 10), 2, local(2026, 12, 28, 10)),
        ("a desk open 9 to 13 counts its own day", local(2026, 11, 23, 12), 1, local(2026, 11, 24, 12)),
    ],
)
def test_add_working_days_keeps_the_time_of_day(why: str, start: datetime, days: int, due: datetime) -> None:
    desk = WorkingTime(opens=time(9), closes=time(13)) if "9 to 13" in why else DESK
    assert desk.add_days(start.astimezone(UTC), days) == due.astimezone(UTC), why


def test_the_holidays_are_read_at_start_up_not_by_the_first_signal_filed() -> None:
    from bot.domain import calendar

    calendar._dutch_holidays.cache_clear()
    calendar.load_holidays(date(2026, 12, 6))  # `waakvlam run` does this before serving
    read = calendar._dutch_holidays.cache_info()
    assert read.currsize == 2
    assert not working_day(date(2026, 12, 25)) and not working_day(date(2027, 4, 27))  # kerst, koningsdag
    assert calendar._dutch_holidays.cache_info().misses == read.misses  # nothing read while filing
