"""The sandbox's own time: the wall clock plus an offset the page moves on, so that what happens later (a
reminder, an escalation, "Loopt dit nog?", a check-in, the Monday digest) can be shown in minutes. It is kept
in the data folder, so a restart keeps the sandbox's date; a region's deployment never has one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingTime, working_days_later

STEPS = ("hour", "workday", "week", "four_weeks", "now")
OFFSET_FILE = "clock.offset"  # in the sandbox's data folder


def days_passed(before: datetime, after: datetime, zone: str) -> list[date]:
    """The local days a jump moved into: after `before`'s day up to and including `after`'s (none back)."""
    first, last = (moment.astimezone(ZoneInfo(zone)).date() for moment in (before, after))
    return [first + timedelta(days=n) for n in range(1, (last - first).days + 1)]


@dataclass
class ShiftedClock:
    """Real time moved on by `offset`; `jump` moves it further (never back, except to now)."""

    file: Path
    hours: WorkingTime
    offset: timedelta = field(default_factory=timedelta)

    @classmethod
    def load(cls, file: Path, hours: WorkingTime) -> ShiftedClock:
        """The sandbox clock as it was left (its shift kept in `file`)."""
        seconds = float(file.read_text()) if file.exists() else 0.0
        return cls(file, hours, timedelta(seconds=max(seconds, 0.0)))

    def now(self) -> datetime:
        """The real time, shifted by however far the sandbox jumped."""
        return datetime.now(UTC) + self.offset

    def jump(self, step: str) -> datetime:
        """Move on one step: an hour, to the next working day at the same time, a week, four weeks; or back
        to the real time."""
        now = self.now()
        if step == "now":
            self.offset = timedelta()
        elif step == "workday":
            local = now.astimezone(ZoneInfo(self.hours.zone))
            day = working_days_later(local.date(), 1)
            self.offset += self.hours.at(day, local.time()) - now
        else:
            self.offset += {"hour": timedelta(hours=1), "week": timedelta(weeks=1)}.get(
                step, timedelta(weeks=4)
            )
        self.file.write_text(str(self.offset.total_seconds()))
        return self.now()
