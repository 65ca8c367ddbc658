"""The regiobeeld's counts of samenloop and the routeeroverleg, from the tallies: per month the matches, the
overleggen started and decided; over the period why they started, what they decided and how long it took."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.domain.overleg import PRIORITIES, TRIAGE
from bot.domain.pickup import BOUNDS
from bot.domain.region import Region
from bot.domain.tallies import Counted
from bot.regiobeeld.counts import Counts
from bot.regiobeeld.disclosure import ALL

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
    c: Counts, region: Region, months: Sequence[str], when: str, where: str, oldest: dict[str, int]
) -> SamenloopFigures:
    """The samenloop and triage figures of one filter, read from the protected counts; `oldest`: per
    "desk:gemeente" the longest wait on the werkvoorraad now, in weeks."""
    per_month = {m: {k.value: c.at(k, m, where) for k in PER_MONTH} for m in months}
    triaging = [d.id for d in region.meldpunten.values() if d.triage]
    places = {g for g in (where,) if g != ALL}
    return SamenloopFigures(
        per_month,
        {r: c.at(Counted.OVERLEG, when, where, r) for r in c.parts(Counted.OVERLEG)},
        {r: c.at(Counted.OVERLEG_DECIDED, when, where, r) for r in c.parts(Counted.OVERLEG_DECIDED)},
        [c.raw(Counted.OVERLEG_HOURS, when, where, str(i)) for i in range(len(BOUNDS) + 1)],
        {d: {v: c.at(Counted.TRIAGED, when, where, d, v) for v in TRIAGE} for d in triaging},
        {d: [c.raw(Counted.WAITED, when, where, d, str(w)) for w in range(MAX_WEEKS + 1)] for d in triaging},
        {d: c.at(Counted.ADVICE, when, where, d) for d in c.parts(Counted.ADVICE)},
        {k: c.at(Counted.ADVICE, when, where, ALL, k) for k in c.parts(Counted.ADVICE, 1)},
        {
            d: {str(n): c.now(where, f"queued:{d}:{n}") for n in PRIORITIES}
            | {"oldest": max((w for at, w in oldest.items() if _in(at, d, places)), default=0)}
            for d in triaging
        },
    )


PER_MONTH = (Counted.MATCH, Counted.OVERLEG, Counted.OVERLEG_DECIDED, Counted.ADVICE)


def _in(at: str, desk: str, places: set[str]) -> bool:
    """Whether a "desk:gemeente" key is this desk's, in the gemeente filtered on (any without a filter)."""
    d, _, g = at.partition(":")
    return d == desk and (not places or g in places)
