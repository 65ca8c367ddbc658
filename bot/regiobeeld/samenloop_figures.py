"""The regiobeeld's counts of samenloop and the routeeroverleg, from the tallies: per month the matches, the
overleggen started and decided; over the period why they started, what they decided and how long it took."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.pickup import BOUNDS
from bot.domain.tallies import SAMENLOOP_COUNTS, Counted, read
from storage.models import Tally


@dataclass
class SamenloopFigures:
    # per month: "samenloop" (matches), "overleg" (started), "overleg_besluit" (decided)
    per_month: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)  # why an overleg started
    routes: dict[str, int] = field(default_factory=dict)  # what it decided
    hours: list[int] = field(default_factory=lambda: [0] * (len(BOUNDS) + 1))  # working hours to decide


def samenloop_figures(tallies: Sequence[Tally], months: Sequence[str]) -> SamenloopFigures:
    """Sum the samenloop tallies of the period."""
    f = SamenloopFigures({m: defaultdict(int) for m in months})
    reasons: dict[str, int] = defaultdict(int)
    routes: dict[str, int] = defaultdict(int)
    for t in tallies:
        kind = read(t.kind)
        if kind not in SAMENLOOP_COUNTS or t.month not in f.per_month:
            continue
        if kind is Counted.OVERLEG_HOURS:
            if t.category.isdecimal() and int(t.category) < len(f.hours):
                f.hours[int(t.category)] += t.count
            continue
        f.per_month[t.month][t.kind] += t.count
        if kind is Counted.OVERLEG:
            reasons[t.category] += t.count
        elif kind is Counted.OVERLEG_DECIDED:
            routes[t.category] += t.count
    f.reasons, f.routes = dict(reasons), dict(routes)
    return f
