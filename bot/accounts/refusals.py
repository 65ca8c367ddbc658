"""Refused attempts from people nobody knows (a wrong or spent regiobeeld link), counted per source and
window in memory, so a flood neither grows the audit log nor reaches the database: the audit gets one row
when a source is first refused in a window and one more at 10, 100 and 1,000 refusals (with the count); past
`limit` a source is turned away without a look at the database. Per instance: behind a balancer each
instance counts its own share, which only lowers what one source can cause."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

MILESTONES = frozenset({1, 10, 100, 1000})


class Verdict(Enum):
    RECORD = "record"  # audit this refusal (a first, or a milestone: the count goes with it)
    QUIET = "quiet"  # counted only
    BLOCKED = "blocked"  # over the limit: answer at once, touch nothing


@dataclass
class Refusals:
    window: timedelta = timedelta(minutes=10)
    limit: int = 20  # refusals per source and window before the source is turned away unheard
    _counts: dict[str, tuple[datetime, int]] = field(default_factory=dict)

    def blocked(self, source: str, now: datetime) -> bool:
        """Whether this source is over its limit in the current window (ask before any work)."""
        start, count = self._counts.get(source, (now, 0))
        return now - start < self.window and count >= self.limit

    def refused(self, source: str, now: datetime) -> tuple[Verdict, int]:
        """Count one refusal of this source; what to do with it, and the count so far in the window."""
        start, count = self._counts.get(source, (now, 0))
        if now - start >= self.window:
            start, count = now, 0
        count += 1
        self._counts[source] = (start, count)
        if len(self._counts) > 10_000:  # forget windows that are over, so memory stays bounded
            self._counts = {k: v for k, v in self._counts.items() if now - v[0] < self.window}
        if count > self.limit:
            return Verdict.BLOCKED, count
        return (Verdict.RECORD if count in MILESTONES else Verdict.QUIET), count


def source_of(address: str | None) -> str:
    """A source as the audit may keep it: a short hash of the address, never the address itself."""
    return hashlib.sha256((address or "?").encode()).hexdigest()[:12]
