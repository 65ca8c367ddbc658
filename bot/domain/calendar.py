"""Working time as the Netherlands keeps it: the one calendar every deadline in the product counts in.

A working day is Monday to Friday and not a Dutch public holiday (`holidays`). A desk works from its
opening to its closing time on working days, in the region's time zone (default 08:30–17:00,
Europe/Amsterdam). Pick-up deadlines and escalation tiers are counted in working hours, stalled signals
and check-in reminders in working days, so a Friday-afternoon signal is chased on Monday, not on Sunday.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays

HOUR = timedelta(hours=1)


def working_day(day: date) -> bool:
    """Monday to Friday, not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def working_day_from(day: date) -> date:
    """`day` when it is a working day, else the first working day after it."""
    while not working_day(day):
        day += timedelta(days=1)
    return day


def working_days_later(day: date, n: int) -> date:
    """The n-th working day after `day`."""
    while n > 0:
        day += timedelta(days=1)
        if working_day(day):
            n -= 1
    return day


def load_holidays(today: date) -> None:
    """Read this year's and next year's public holidays now: the holidays package imports its country
    module on first use (~95 ms with the loop standing still), which was the slowest answer of a run, to
    whoever filed the first signal after a start (bench.throughput --think)."""
    for year in (today.year, today.year + 1):
        _dutch_holidays(year)


@functools.cache
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def clock_time(text: str) -> time:
    """'08:30' → time(8, 30)."""
    hour, minute = (int(x) for x in text.split(":"))
    return time(hour, minute)


@dataclass(frozen=True)
class WorkingTime:
    """One desk's working hours in one time zone: add working hours to a moment, or count them."""

    zone: str = "Europe/Amsterdam"
    opens: time = time(8, 30)
    closes: time = time(17, 0)

    def __post_init__(self) -> None:
        if self.closes <= self.opens:
            raise ValueError(f"a desk closes after it opens, not at {self.closes} after {self.opens}")

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The desk's open hours on `day` (local), as UTC moments; None on a day off."""
        if not working_day(day):
            return None
        tz = ZoneInfo(self.zone)
        start = datetime.combine(day, self.opens, tz).astimezone(UTC)
        return start, datetime.combine(day, self.closes, tz).astimezone(UTC)

    def local_day(self, moment: datetime) -> date:
        """The calendar day `moment` falls on here."""
        return moment.astimezone(ZoneInfo(self.zone)).date()

    def add_hours(self, start: datetime, hours: float) -> datetime:
        """The moment `hours` working hours after `start`; counting begins at the next opening when the
        desk is closed. Zero hours gives `start` itself in working time, else the next opening."""
        left = timedelta(hours=hours)
        day = self.local_day(start)
        while True:
            window = self.window(day)
            if window is not None:
                begin = max(window[0], start)
                if begin <= window[1] and (left <= window[1] - begin):
                    return begin + left
                if begin < window[1]:
                    left -= window[1] - begin
            day += timedelta(days=1)

    def hours_between(self, start: datetime, end: datetime) -> float:
        """Working hours from `start` to `end` (0 when `end` is not later)."""
        total = timedelta()
        day = self.local_day(start)
        while start < end and day <= self.local_day(end):
            window = self.window(day)
            if window is not None:
                begin, finish = max(window[0], start), min(window[1], end)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total / HOUR

    def add_days(self, start: datetime, days: int) -> datetime:
        """`days` full working days after `start`: Friday 11:00 plus two is Tuesday 11:00."""
        opened = datetime.combine(date.min, self.opens)
        length = (datetime.combine(date.min, self.closes) - opened).total_seconds() / 3600
        return self.add_hours(start, days * length)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days from `start`'s day to `end`'s day (the same day is 0)."""
        day, last, n = self.local_day(start), self.local_day(end), 0
        while day < last:
            day += timedelta(days=1)
            n += working_day(day)
        return n

    def at(self, day: date, when: time) -> datetime:
        """`day` at `when` local, as UTC: 09:00 stays 09:00 across a DST change."""
        return datetime.combine(day, when, ZoneInfo(self.zone)).astimezone(UTC)
