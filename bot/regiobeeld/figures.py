"""The regiobeeld's figures: anonymous counts for the gemeenten and desks one person may see, over a
period, with small numbers protected. Never a signal's text, reference or a person's name.

History comes from the tallies (kept in the same transaction as each event, so it outlives the retention
purge and erasure); "now" (open, overdue, waiting) is counted from the open signals, as numbers only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import pickup
from bot.domain.access import ADMIN, DESK_STAFF, STEERERS, may_see_region
from bot.domain.region import Region
from bot.domain.tallies import (
    DESK_OWN,
    EVERY_BUCKET,
    EVERY_KIND,
    EVERY_OUTCOME,
    WAAKVLAM_COUNTS,
    Counted,
    read,
)
from bot.regiobeeld.counts import Counts, live_counts
from bot.regiobeeld.disclosure import ALL, HIDDEN, SMALL
from bot.regiobeeld.samenloop_figures import SamenloopFigures, samenloop_figures
from storage.models import User
from storage.ports import Work

MIN_BASE = 10  # no percentage on a denominator below this
PERIODS = (3, 6, 12)
GREEN, ORANGE, RED, GREY = "green", "orange", "red", "grey"


def cell(n: int) -> str:
    """A count as it may be shown: × where it is hidden (bot.regiobeeld.disclosure), <5 for a lone small
    number outside the tables (the weekly message), else the number."""
    return "×" if n == HIDDEN else "<5" if 0 < n < SMALL else str(n)


def share(part: int, whole: int) -> str:
    """A percentage, or "–" where its base is under 10, or its part or the rest is a small count (with the
    base beside it, the share would give that count away)."""
    if part == HIDDEN or whole < MIN_BASE or 0 < part < SMALL or 0 < whole - part < SMALL:
        return "–"
    return f"{round(100 * part / whole)}%"


def light(part: int, whole: int, green: float, orange: float) -> str:
    """The traffic light of a share: green at or above `green`, orange above `orange`, else red; grey
    where there are too few to judge."""
    if whole < MIN_BASE:
        return GREY
    ratio = part / whole
    return GREEN if ratio >= green else ORANGE if ratio >= orange else RED


@dataclass(frozen=True)
class Scope:
    """What one person may see: gemeenten (their signals) and desks (their lights). Desk staff see their
    desk only (`counts` off): its light, pick-up and outcomes, for the gemeenten it serves; the signals,
    waakvlam and acute counts of those gemeenten are the coordinators'."""

    gemeenten: tuple[str, ...]
    desks: tuple[str, ...]
    counts: bool = True


def scope_of(region: Region, user: User) -> Scope | None:
    """A coordinator, manager or bestuurder their gemeenten and the desks serving them, desk staff their desk (for the gemeenten it
    serves, without their counts), an admin the region; anyone else nothing."""
    if not may_see_region(user):
        return None
    everywhere = tuple(region.gemeenten)
    if user.role == ADMIN:
        return Scope(everywhere, tuple(region.meldpunten))
    if user.role in STEERERS:
        mine = tuple(g for g in user.gemeenten if g in region.gemeenten)
        desks = tuple(m.id for m in region.meldpunten.values() if m.scope != "gemeente" or m.gemeente in mine)
        return Scope(mine, desks) if mine else None
    if user.role == DESK_STAFF and user.meldpunt_id in region.meldpunten:
        desk = region.meldpunten[user.meldpunt_id]
        served = (desk.gemeente,) if desk.scope == "gemeente" and desk.gemeente else everywhere
        return Scope(served, (desk.id,), counts=False)
    return None


def months_back(today: date, n: int) -> list[str]:
    """The last n months, oldest first, ending with this one: ["2026-01", …, "2026-12"]."""
    y, m = today.year, today.month
    out = []
    for _ in range(n):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


@dataclass(frozen=True)
class Filters:
    months: int = 12
    gemeente: str = ""
    category: str = ""

    @classmethod
    def read(cls, query: dict[str, str], scope: Scope) -> Filters:
        """From the page's URL; anything outside what this person may see is left out, never an error."""
        asked = query.get("maanden", "")
        # Only ASCII digits: "²".isdigit() is true, but int() refuses it.
        months = int(asked) if asked.isascii() and asked.isdigit() and len(asked) <= 3 else 12
        gemeente = query.get("gemeente", "")
        return cls(
            months if months in PERIODS else 12,
            gemeente if gemeente in scope.gemeenten else "",
            query.get("categorie", "")[:30],
        )


@dataclass
class DeskFigures:
    id: str
    name: str
    open_now: int = 0
    overdue_now: int = 0
    waiting: int = 0
    picked: int = 0
    in_sla: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    # pick-ups per bucket of working hours (bot.domain.pickup)
    took: list[int] = field(default_factory=lambda: [0] * (len(pickup.BOUNDS) + 1))
    # the true numbers behind the traffic light (a colour on ten or more, never shown as a count)
    raw_picked: int = 0
    raw_in_sla: int = 0


@dataclass
class Figures:
    months: list[str]
    gemeenten: tuple[str, ...]
    # (month, category) → count, and (gemeente, category) → count over the period
    by_month: dict[tuple[str, str], int]
    by_gemeente: dict[tuple[str, str], int]
    acute: dict[str, int]
    relapse: dict[str, int]
    desks: list[DeskFigures]
    # per month: check-ins sent and answered, agreements ended as agreed and early
    waakvlam: dict[str, dict[str, int]] = field(default_factory=dict)
    active_now: int = 0
    at_risk_now: int = 0
    # signals over the period by the kind of organisation that filed them (all categories)
    filed_by: dict[str, int] = field(default_factory=dict)
    # per month: signals that also play in another gemeente (the filer said so)
    elsewhere: dict[str, int] = field(default_factory=dict)
    # per month: escalations raised, solved (Los op) and sent back (Terug); over the period: per reason,
    # decisions per rung, and the system bottlenecks that were in the way, per kind
    ladder: dict[str, dict[str, int]] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    rungs: dict[str, dict[str, int]] = field(default_factory=dict)
    bottlenecks: dict[str, int] = field(default_factory=dict)
    # now: residents with a regisseur, regie asked but not accepted, open signals without a regisseur by age
    regie_now: dict[str, int] = field(default_factory=dict)
    samenloop: SamenloopFigures = field(default_factory=SamenloopFigures)
    # the tables' totals, protected as their cells are: per month and per gemeente (signals), who files
    month_total: dict[str, int] = field(default_factory=dict)
    gemeente_total: dict[str, int] = field(default_factory=dict)
    filed_total: int = 0


async def figures(uow: Work, region: Region, scope: Scope, filters: Filters, now: datetime) -> Figures:
    """The counts one person may see, for the period and filters asked: a count that is small, or that
    would give a small one away with any other filter's, is HIDDEN (bot.regiobeeld.disclosure)."""
    year = months_back(now.astimezone(ZoneInfo(region.info.timezone)).date(), 12)
    kinds = EVERY_KIND if scope.counts else DESK_OWN  # a desk's own figures only (counts off)
    tallies = [
        t
        for t in await uow.tallies.of(kinds, scope.gemeenten, year)
        if read(t.kind) not in DESK_OWN or t.category in scope.desks
    ]
    live, oldest = await live_counts(uow, region, scope.gemeenten, scope.desks, now, all_of_it=scope.counts)
    return counted(region, scope, filters, Counts(year, scope.gemeenten, tallies, live), oldest)


def counted(region: Region, scope: Scope, filters: Filters, c: Counts, oldest: dict[str, int]) -> Figures:
    """The figures of one filter, read from the protected counts."""
    when, where, what = str(filters.months), filters.gemeente or ALL, filters.category or ALL
    months = c.months[-filters.months :]
    places = (filters.gemeente,) if filters.gemeente else scope.gemeenten
    cats = [filters.category] if filters.category else c.parts(Counted.SIGNAL)
    sig = Counted.SIGNAL
    ends = ("agreed", "early")
    return Figures(
        months,
        places,
        {(m, k): c.at(sig, m, where, k) for m in months for k in cats},
        {(g, k): c.at(sig, when, g, k) for g in places for k in cats},
        {m: c.at(Counted.ACUTE, m, where) for m in months},
        {m: c.at(Counted.RELAPSE, m, where) for m in months},
        [_desk(c, region, d, when, where) for d in scope.desks],
        {
            m: {k: c.at(k, m, where) for k in WAAKVLAM_COUNTS[:2]}
            | {e: c.at(Counted.WAAKVLAM_ENDED, m, where, e) for e in ends}
            for m in months
        },
        c.now(where, "active"),
        c.now(where, "at_risk"),
        {k: c.at(Counted.FILED_BY, when, where, k) for k in c.parts(Counted.FILED_BY)},
        {m: c.at(Counted.ELSEWHERE, m, where) for m in months},
        *_ladder(c, months, when, where),
        {k: c.now(where, f"regie:{k}") for k in REGIE_NOW},
        samenloop_figures(c, region, months, when, where, oldest),
        month_total={m: c.at(sig, m, where, what) for m in months},
        gemeente_total={g: c.at(sig, when, g, what) for g in places},
        filed_total=c.at(Counted.FILED_BY, when, where),
    )


REGIE_NOW = ("directed", "asked", "without_under_5", "without_5_10", "without_over_10")


def _desk(c: Counts, region: Region, d: str, when: str, where: str) -> DeskFigures:
    """One desk: open, overdue and waiting now; picked up, in time, outcomes and how fast, in the period."""
    return DeskFigures(
        d,
        region.meldpunten[d].name,
        c.now(where, f"open:{d}"),
        c.now(where, f"overdue:{d}"),
        c.now(where, f"waiting:{d}"),
        c.at(Counted.PICKED_UP, when, where, d),
        c.at(Counted.PICKED_IN_TIME, when, where, d),
        {o.code: c.at(o, when, where, d) for o in EVERY_OUTCOME},
        [c.raw(b, when, where, d) for b in EVERY_BUCKET],
        raw_picked=c.raw(Counted.PICKED_UP, when, where, d),
        raw_in_sla=c.raw(Counted.PICKED_IN_TIME, when, where, d),
    )


def _ladder(
    c: Counts, months: list[str], when: str, where: str
) -> tuple[dict[str, dict[str, int]], dict[str, int], dict[str, dict[str, int]], dict[str, int]]:
    """Los op of schaal op: per month raised, solved and sent back and plan lines closed; per reason; per
    rung (decided, and the working hours it took as raw buckets); the system bottlenecks."""
    decided = (Counted.ESCALATION_SOLVED, Counted.ESCALATION_RETURNED)
    per_month = {
        m: {k.value: c.at(k, m, where) for k in (Counted.ESCALATED, *decided)}
        | {f"plan_{p}": c.at(Counted.PLAN_LINE, m, where, p) for p in ("on_time", "late", "not_done")}
        for m in months
    }
    reasons = {r: c.at(Counted.ESCALATED, when, where, r) for r in c.parts(Counted.ESCALATED)}
    rungs: dict[str, dict[str, int]] = {}
    for k in decided:
        for rung in c.parts(k):
            rungs.setdefault(rung, {})[k.value] = c.at(k, when, where, rung)
    for rung in c.parts(Counted.DECISION_HOURS):
        for bucket in c.parts(Counted.DECISION_HOURS, 1):
            h = c.raw(Counted.DECISION_HOURS, when, where, rung, bucket)
            rungs.setdefault(rung, {})[f"h{bucket}"] = h
    bottlenecks = {b: c.at(Counted.BOTTLENECK, when, where, b) for b in c.parts(Counted.BOTTLENECK)}
    return per_month, reasons, rungs, bottlenecks
