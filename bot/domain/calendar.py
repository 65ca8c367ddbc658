"""Working time as the Netherlands keeps it: Monday to Friday, not on a Dutch public holiday (`holidays`)."""

from __future__ import annotations

import functools
from datetime import date

import holidays


def working_day(day: date) -> bool:
    """Monday to Friday, not a Dutch public holiday."""
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


@functools.cache
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)
