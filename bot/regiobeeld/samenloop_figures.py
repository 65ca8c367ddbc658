"""The regiobeeld's counts of samenloop and the routeeroverleg, from the tallies: per month the matches, the
overleggen started and decided; over the period why they started, what they decided and how long it took."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.lifecycle import Status
from bot.domain.overleg import PRIORITIES
from bot.domain.pickup import BOUNDS
from bot.domain.region import Region
from bot.domain.tallies import SAMENLOOP_COUNTS, Counted, TallyKind, read
from bot.signals.triage import weeks_between
from storage.models import Tally
from storage.ports import Work

MAX_WEEKS = 12  # a wait of 12 weeks or more counts as 12


@dataclass
class SamenloopFigures:
    # per month: "samenloop" (matches), "overleg" (started), "overleg_besluit" (decided)
    per_month: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)  # why an overleg started
    routes: dict[str, int] = field(default_factory=dict)  # what it decided
    hours: list[int] = field(default_factory=lambda: [0] * (len(BOUNDS) + 1))  # working hours to decide
    # per triaging desk: its verdicts, and the weeks procesregie waited before it started (0–12)
    triage: dict[str, dict[str, int]] = field(default_factory=dict)
    waited: dict[str, list[int]] = field(default_factory=dict)
    # advice questions (/advies) over the period, per desk and per kind of organisation that asked
    advice_desk: dict[str, int] = field(default_factory=dict)
    advice_kind: dict[str, int] = field(default_factory=dict)
    # now, per triaging desk: waiting per priority ("1", "2", "3") and the longest wait in weeks ("oldest")
    queued: dict[str, dict[str, int]] = field(default_factory=dict)


def samenloop_figures(
    tallies: Sequence[Tally], months: Sequence[str], queued: dict[str, dict[str, int]]
) -> SamenloopFigures:
    """Sum the samenloop and triage tallies of the period; `queued`: the werkvoorraad now."""
    f = SamenloopFigures({m: defaultdict(int) for m in months}, queued=queued)
    for t in tallies:
        kind = read(t.kind)
        if kind in SAMENLOOP_COUNTS and t.month in f.per_month:
            _add(f, kind, t)
    return f


def _add(f: SamenloopFigures, kind: TallyKind | None, t: Tally) -> None:
    """One tally row into the figures: per month, and by the category's parts where it has them."""
    desk, _, what = t.category.partition(":")
    if kind is Counted.TRIAGED:
        f.triage.setdefault(desk, {})[what] = f.triage.get(desk, {}).get(what, 0) + t.count
    elif kind is Counted.WAITED:
        if what.isdecimal() and int(what) <= MAX_WEEKS:
            f.waited.setdefault(desk, [0] * (MAX_WEEKS + 1))[int(what)] += t.count
    elif kind is Counted.OVERLEG_HOURS:
        if t.category.isdecimal() and int(t.category) < len(f.hours):
            f.hours[int(t.category)] += t.count
    else:
        f.per_month[t.month][t.kind] += t.count
        if kind is Counted.ADVICE:
            _bump(f.advice_desk, desk, t.count)
            _bump(f.advice_kind, what, t.count)
        elif kind is Counted.OVERLEG:
            _bump(f.reasons, t.category, t.count)
        elif kind is Counted.OVERLEG_DECIDED:
            _bump(f.routes, t.category, t.count)


def _bump(counts: dict[str, int], key: str, by: int) -> None:
    counts[key] = counts.get(key, 0) + by


async def queued_now(
    uow: Work, region: Region, places: Sequence[str], now: datetime
) -> dict[str, dict[str, int]]:
    """Each triaging desk's werkvoorraad now, in these gemeenten: waiting per priority, the longest wait."""
    out: dict[str, dict[str, int]] = {}
    for desk in (d for d in region.meldpunten.values() if d.triage):
        queued = [
            s
            for s in await uow.signals.open_for_desk(desk.id, Status.CLOSED)
            if s.owner_desk == desk.id and s.priority in PRIORITIES and s.gemeente in places
        ]
        counts = {str(n): sum(s.priority == n for s in queued) for n in PRIORITIES}
        counts["oldest"] = max((weeks_between(s.queued_at, now) for s in queued), default=0)
        out[desk.id] = counts
    return out
