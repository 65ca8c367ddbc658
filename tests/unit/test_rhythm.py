"""Check-in days: the rhythm, working days, 09:00 local across DST, months of different lengths."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import rhythm
from bot.domain.calendar import working_day
from bot.domain.rhythm import Rhythm
from flows.waakvlam import rhythm_of

ZONE = "Europe/Amsterdam"
days = st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31))


@given(days, st.integers(min_value=1, max_value=90))
def test_every_n_days_lands_on_a_working_day_at_most_a_long_weekend_late(after: date, n: int) -> None:
    day = rhythm.next_day(Rhythm.read(f"d:{n}"), after)
    assert working_day(day)
    assert timedelta(days=n) <= day - after <= timedelta(days=n + 4)  # Easter/Christmas at worst


@given(days, st.sets(st.integers(min_value=0, max_value=6), min_size=1))
def test_chosen_weekdays_are_kept_even_at_the_weekend(after: date, weekdays: set[int]) -> None:
    day = rhythm.next_day(Rhythm(weekdays=tuple(sorted(weekdays))), after)
    assert day.weekday() in weekdays and timedelta(days=1) <= day - after <= timedelta(days=7)


def test_a_dutch_holiday_moves_the_check_in_to_the_next_working_day() -> None:
    # A week after 20 April 2027 is King's Day (27 April), a Tuesday.
    assert rhythm.next_day(Rhythm.read("d:7"), date(2027, 4, 20)) == date(2027, 4, 28)


def test_nine_in_the_morning_stays_nine_across_the_dst_change() -> None:
    assert rhythm.at_local(date(2027, 3, 26), "09:00", ZONE) == datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
    assert rhythm.at_local(date(2027, 3, 29), "09:00", ZONE) == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 11, 23), 6, date(2027, 5, 23)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
    ],
)
def test_months_later_falls_back_to_the_last_day_of_a_short_month(
    start: date, months: int, end: date
) -> None:
    assert rhythm.add_months(start, months) == end


def test_the_flow_answers_become_a_stored_rhythm() -> None:
    assert rhythm_of({"rhythm": "w2"}) == "d:14"
    assert rhythm_of({"rhythm": "days", "every_days": "10"}) == "d:10"
    assert rhythm_of({"rhythm": "weekdays", "weekdays": ["1", "3"]}) == "wd:1,3"
    assert Rhythm.read("wd:3,1") == Rhythm(weekdays=(1, 3)) and Rhythm.read("wd:3,1").code() == "wd:1,3"
    assert Rhythm.read("d:14") == Rhythm(every=14)
    for wrong in ("wd:7", "d:0", "d:x", "wd:", "wd:1,x", "7", ""):
        with pytest.raises(ValueError):
            Rhythm.read(wrong)


def test_a_late_catch_up_keeps_the_rhythm_on_its_weekday() -> None:
    """Every 7 days from Monday 2 November; the catch-up went out on Thursday 3 December (the bot was down):
    the next one is Monday 7 December, not a Thursday."""
    assert rhythm.next_in_step(Rhythm.read("d:7"), date(2026, 11, 2), date(2026, 12, 3)) == date(2026, 12, 7)
    assert rhythm.next_in_step(Rhythm.read("d:7"), date(2026, 11, 30), date(2026, 11, 30)) == date(
        2026, 12, 7
    )
    assert rhythm.next_in_step(Rhythm.read("d:14"), date(2026, 11, 2), date(2026, 11, 16)) == date(
        2026, 11, 30
    )
    # Chosen weekdays stay as they were: the next chosen day after today.
    assert rhythm.next_in_step(Rhythm.read("wd:0"), date(2026, 11, 2), date(2026, 12, 3)) == date(2026, 12, 7)
