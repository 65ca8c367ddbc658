"""When the next check-in falls: pure date arithmetic in the region's time zone, on working days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import working_day

WEEKDAYS = 7


@dataclass(frozen=True)
class Rhythm:
    """How often a waakvlam asks: every `every` days, or on these weekdays (Monday is 0)."""

    every: int = 0
    weekdays: tuple[int, ...] = ()

    @classmethod
    def read(cls, text: str) -> Rhythm:
        """'d:N' → every N days; 'wd:0,3' → Mondays and Thursdays. ValueError on anything else."""
        kind, _, value = text.partition(":")
        if kind == "d" and value.isdigit() and 1 <= int(value) <= 366:
            return cls(every=int(value))
        if kind == "wd" and value and all(x.strip().isdigit() for x in value.split(",")):
            days = tuple(sorted({int(x) for x in value.split(",")}))
            if all(0 <= d < WEEKDAYS for d in days):
                return cls(weekdays=days)
        raise ValueError(f"not a rhythm: {text!r}")

    def code(self) -> str:
        """As it is stored: 'd:N' or 'wd:0,3'."""
        return f"wd:{','.join(map(str, self.weekdays))}" if self.weekdays else f"d:{self.every}"


def next_day(rhythm: Rhythm, after: date) -> date:
    """The day of the next check-in after `after`: N days on (moved to the next working day), or the
    next chosen weekday (kept as chosen, weekends included: someone chose them)."""
    every, weekdays = rhythm.every, rhythm.weekdays
    if weekdays:
        day = after + timedelta(days=1)
        while day.weekday() not in weekdays:
            day += timedelta(days=1)
        return day
    day = after + timedelta(days=every)
    while not working_day(day):
        day += timedelta(days=1)
    return day


def next_in_step(rhythm: Rhythm, last: date, today: date) -> date:
    """The next check-in after the one due on `last` and after `today`: days missed (the bot was down, or
    nobody was there) collapse into today's, and the rhythm stays on its days ("every 7 days" from a
    Monday stays on Mondays, however late the catch-up went out)."""
    every, weekdays = rhythm.every, rhythm.weekdays
    if weekdays or last >= today:
        return next_day(rhythm, max(last, today))
    steps = (today - last).days // every + 1
    day = last + timedelta(days=steps * every)
    while not working_day(day):
        day += timedelta(days=1)
    return day


def at_local(day: date, clock_time: str, zone: str) -> datetime:
    """`day` at `clock_time` (HH:MM) local, as UTC: 09:00 stays 09:00 across a DST change."""
    hour, minute = (int(x) for x in clock_time.split(":"))
    return datetime.combine(day, time(hour, minute), ZoneInfo(zone)).astimezone(UTC)


def local_day(moment: datetime, zone: str) -> date:
    """The calendar day `moment` falls on in `zone`."""
    return moment.astimezone(ZoneInfo(zone)).date()


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(d, day.day))
        except ValueError:
            continue
    raise AssertionError("unreachable")
