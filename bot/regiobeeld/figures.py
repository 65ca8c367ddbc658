"""The regiobeeld's figures: anonymous counts for the gemeenten and desks one person may see, over a
period, with small numbers protected. Never a signal's text, reference or a person's name.

History comes from the tallies (kept in the same transaction as each event, so it outlives the retention
purge and erasure); "now" (open, overdue, waiting) is counted from the open signals, as numbers only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.domain import pickup
from bot.domain.access import ADMIN, DESK_STAFF, STEERERS, may_see_region
from bot.domain.agreements import ACTIVE
from bot.domain.lifecycle import Status
from bot.domain.region import Region
from bot.domain.tallies import (
    DESK_OWN,
    EVERY_KIND,
    LADDER_COUNTS,
    WAAKVLAM_COUNTS,
    Counted,
    Outcome,
    TallyKind,
    TookHours,
    read,
)
from bot.regiobeeld.samenloop_figures import SamenloopFigures, queued_now, samenloop_figures
from bot.signals.werkvoorraad import overdue
from storage.models import Tally, User
from storage.ports import Work

SMALL = 5  # counts from 1 to SMALL - 1 are shown as "<5"
MIN_BASE = 10  # no percentage on a denominator below this
PERIODS = (3, 6, 12)
GREEN, ORANGE, RED, GREY = "green", "orange", "red", "grey"


def cell(n: int) -> str:
    """A count as it may be shown: 0, <5, or the number (the usual statistical-disclosure rule)."""
    return "<5" if 0 < n < SMALL else str(n)


def share(part: int, whole: int) -> str:
    """A percentage, or "–" where its base is under 10, or its part or the rest is a small count (with the
    base beside it, the share would give that count away)."""
    if whole < MIN_BASE or 0 < part < SMALL or 0 < whole - part < SMALL:
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


async def figures(uow: Work, region: Region, scope: Scope, filters: Filters, now: datetime) -> Figures:
    """The counts one person may see, for the period and filters asked, small numbers still raw."""
    today = now.astimezone(ZoneInfo(region.info.timezone)).date()
    months = months_back(today, filters.months)
    places = (filters.gemeente,) if filters.gemeente else scope.gemeenten
    by_month: dict[tuple[str, str], int] = defaultdict(int)
    by_gemeente: dict[tuple[str, str], int] = defaultdict(int)
    acute: dict[str, int] = defaultdict(int)
    relapse: dict[str, int] = defaultdict(int)
    elsewhere: dict[str, int] = defaultdict(int)
    desks = {d: DeskFigures(d, region.meldpunten[d].name) for d in scope.desks}
    # A desk's own figures only (counts off): what it picked up and how it closed.
    kinds = EVERY_KIND if scope.counts else DESK_OWN
    waakvlam: dict[str, dict[str, int]] = {m: defaultdict(int) for m in months}
    filed_by: dict[str, int] = defaultdict(int)
    alerts = {Counted.ACUTE: acute, Counted.RELAPSE: relapse, Counted.ELSEWHERE: elsewhere}
    tallies = await uow.tallies.of(kinds, places, months)
    for t in tallies:
        kind = read(t.kind)
        if kind is Counted.SIGNAL:
            if not filters.category or t.category == filters.category:
                by_month[t.month, t.category] += t.count
                by_gemeente[t.gemeente, t.category] += t.count
        elif kind is Counted.FILED_BY:
            filed_by[t.category] += t.count
        elif kind is Counted.WAAKVLAM_ENDED:
            waakvlam[t.month][t.category] += t.count  # "agreed" or "early"
        elif kind in WAAKVLAM_COUNTS:
            waakvlam[t.month][t.kind] += t.count
        elif kind in alerts:
            alerts[kind][t.month] += t.count
        elif kind is not None and t.category in desks:
            _desk_tally(desks[t.category], kind, t.count)
    for d in desks.values():
        await _desk_now(uow, region, d, places, now)
    live = await uow.agreements.in_gemeenten(places, [ACTIVE]) if scope.counts else []
    return Figures(
        months,
        places,
        by_month,
        by_gemeente,
        acute,
        relapse,
        list(desks.values()),
        waakvlam,
        len(live),
        sum(a.at_risk for a in live),
        dict(filed_by),
        dict(elsewhere),
        *_ladder(tallies, months),
        await _regie_now(uow, region, places, now) if scope.counts else {},
        samenloop_figures(
            tallies, months, await queued_now(uow, region, places, now) if scope.counts else {}
        ),
    )


async def _regie_now(uow: Work, region: Region, places: tuple[str, ...], now: datetime) -> dict[str, int]:
    """Regie as it stands: directed, asked, and open signals whose resident has no regisseur, by how many
    working days they have waited (under 5, 5 to 10, over 10)."""
    regies = await uow.regies.in_gemeenten(places)
    directed = {r.id for r in regies if r.regisseur_id is not None}
    counts: dict[str, int] = defaultdict(int)
    counts["directed"] = len(directed)
    counts["asked"] = len(regies) - len(directed)
    hours = region.hours()
    for s in await uow.signals.open_in(places, Status.CLOSED):
        if s.regie_id not in directed:
            days = hours.working_days_between(s.created_at, now)
            counts["without_" + ("under_5" if days < 5 else "5_10" if days <= 10 else "over_10")] += 1
    return dict(counts)


def _ladder(
    tallies: list[Tally], months: list[str]
) -> tuple[dict[str, dict[str, int]], dict[str, int], dict[str, dict[str, int]], dict[str, int]]:
    """Los op of schaal op: per month raised, solved and sent back; per reason; per rung; bottlenecks."""
    per_month: dict[str, dict[str, int]] = {m: defaultdict(int) for m in months}
    reasons: dict[str, int] = defaultdict(int)
    rungs: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    bottlenecks: dict[str, int] = defaultdict(int)
    for t in tallies:
        kind = read(t.kind)
        if kind is Counted.BOTTLENECK:
            bottlenecks[t.category] += t.count
        elif kind is Counted.PLAN_LINE:
            per_month[t.month][f"plan_{t.category}"] += t.count
        elif kind is Counted.DECISION_HOURS:
            rung, _, hours = t.category.partition(":")
            rungs[rung][f"h{hours}"] += t.count
        elif kind in LADDER_COUNTS:
            per_month[t.month][t.kind] += t.count
            if kind is Counted.ESCALATED:
                reasons[t.category] += t.count
            else:
                rungs[t.category][t.kind] += t.count
    return per_month, dict(reasons), {k: dict(v) for k, v in rungs.items()}, dict(bottlenecks)


def _desk_tally(d: DeskFigures, kind: TallyKind, count: int) -> None:
    if kind is Counted.PICKED_UP:
        d.picked += count
    elif kind is Counted.PICKED_IN_TIME:
        d.in_sla += count
    elif isinstance(kind, TookHours):
        d.took[kind.bucket] += count
    elif isinstance(kind, Outcome):
        d.outcomes[kind.code] = d.outcomes.get(kind.code, 0) + count


async def _desk_now(
    uow: Work, region: Region, d: DeskFigures, places: tuple[str, ...], now: datetime
) -> None:
    """Open, overdue and waiting-for-hand-over counts of one desk now, in these gemeenten."""
    desk = region.meldpunten[d.id]
    for s in await uow.signals.open_for_desk(d.id, Status.CLOSED):
        mine = s.owner_desk in (None, d.id) or s.handover_to == d.id  # not one another desk took
        if s.gemeente not in places or not mine:
            continue
        d.open_now += 1
        d.overdue_now += overdue(region, desk, s, now)
        d.waiting += s.status == Status.HANDOVER and s.handover_to == d.id
