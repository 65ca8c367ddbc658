"""A made-up year of anonymous counts for the sandbox, so that its regiobeeld page has something to show:
signals per gemeente, category and month, pick-ups and outcomes per desk, escalations and bottlenecks,
samenloop and routeeroverleggen. Made
once, on an empty table; the same every time (a fixed seed). Nothing here is about anyone."""

from __future__ import annotations

import random
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.lifecycle import OUTCOMES
from bot.domain.overleg import REASONS, ROUTES, TRIAGE
from bot.domain.region import Region
from bot.domain.tallies import Counted, Outcome, TookHours, code
from bot.regiobeeld.figures import months_back
from flows.closing import BOTTLENECKS
from flows.regie import ESCALATION_REASONS
from storage.models import Tally
from storage.uow import UnitOfWork

TRIAGING = ("zvhd", "veilig-thuis")
CATEGORIES = ("confused", "nuisance", "self_neglect", "debts", "loneliness")
# Who files, as a share of the signals (made up): police and housing most, then welzijn.
FILERS = {"politie": 30, "woningcorporatie": 25, "welzijn": 20, "huisarts": 10, "zorg": 6, "gemeente": 5}


async def seed_counts(uow: UnitOfWork, region: Region, now: datetime) -> int:
    """Add the demo year unless there are counts already; return how many rows were added."""
    if await uow.tallies.all():
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo numbers, not a secret
    months = months_back(now.astimezone(ZoneInfo(region.info.timezone)).date(), 12)
    rows: list[Tally] = []
    who = random.Random(2027)  # noqa: S311 - its own, so the other demo numbers stay as they were
    for i, g in enumerate(region.gemeenten):
        size = 3 if g == "assen" else 1 + i % 3  # Assen the busiest; small places have small numbers
        for month_index, m in enumerate(months):
            signals = [rng.randint(0, 6 * size) + month_index // 3 for _ in CATEGORIES]
            rows += [
                Tally(kind=Counted.SIGNAL, gemeente=g, category=c, month=m, count=n)
                for c, n in zip(CATEGORIES, signals, strict=True)
            ]
            rows += [
                Tally(kind=Counted.FILED_BY, gemeente=g, category=kind, month=m, count=n)
                for kind, n in zip(FILERS, _split(who, sum(signals), list(FILERS.values())), strict=True)
            ]
            rows.append(
                Tally(kind=Counted.ACUTE, gemeente=g, category="", month=m, count=rng.randint(0, size))
            )
            sent = rng.randint(5, 20) * size
            rows.append(Tally(kind=Counted.CHECKIN_SENT, gemeente=g, category="", month=m, count=sent))
            answered = round(sent * rng.uniform(0.7, 1.0))
            rows.append(
                Tally(kind=Counted.CHECKIN_ANSWERED, gemeente=g, category="", month=m, count=answered)
            )
            rows += [
                Tally(kind=Counted.WAAKVLAM_ENDED, gemeente=g, category=how, month=m, count=rng.randint(0, 3))
                for how in ("agreed", "early")
            ]
            rows.append(
                Tally(kind=Counted.RELAPSE, gemeente=g, category="", month=m, count=rng.randint(0, 2))
            )
            rows.append(
                Tally(kind=Counted.ELSEWHERE, gemeente=g, category="", month=m, count=rng.randint(0, size))
            )
    ladder = random.Random(2028)  # noqa: S311 - its own again: the numbers above stay as they were
    for i, g in enumerate(region.gemeenten):
        rows += [t for m in months for t in _ladder(ladder, g, m, 3 if g == "assen" else 1 + i % 3)]
    for desk in region.meldpunten.values():
        places = [desk.gemeente] if desk.scope == "gemeente" and desk.gemeente else ["assen"]
        for m in months:
            picked = rng.randint(0, 14)
            for g in places:
                rows.append(
                    Tally(kind=Counted.PICKED_UP, gemeente=g, category=desk.id, month=m, count=picked)
                )
                in_sla = round(picked * rng.uniform(0.6, 1.0))
                rows.append(
                    Tally(kind=Counted.PICKED_IN_TIME, gemeente=g, category=desk.id, month=m, count=in_sla)
                )
                for i, n in enumerate(_spread(rng, picked)):
                    rows.append(
                        Tally(kind=code(TookHours(i)), gemeente=g, category=desk.id, month=m, count=n)
                    )
                outcome = rng.choice(list(OUTCOMES))
                rows.append(
                    Tally(kind=code(Outcome(outcome)), gemeente=g, category=desk.id, month=m, count=picked)
                )
    await uow.tallies.add([r for r in rows if r.count])
    return len(rows)


def _ladder(rng: random.Random, g: str, m: str, size: int) -> list[Tally]:
    """Escalations per reason, their decisions per rung, plan lines closed, and system bottlenecks per kind,
    for one month."""
    rows = [
        Tally(kind=Counted.ESCALATED, gemeente=g, category=r, month=m, count=rng.randint(0, size))
        for r in ESCALATION_REASONS
    ]
    rows += [
        Tally(kind=kind, gemeente=g, category=str(rung), month=m, count=rng.randint(0, size))
        for rung in range(1, 5)
        for kind in (Counted.ESCALATION_SOLVED, Counted.ESCALATION_RETURNED)
    ]
    rows += [
        Tally(
            kind=Counted.DECISION_HOURS,
            gemeente=g,
            category=f"{rung}:{b}",
            month=m,
            count=rng.randint(0, size),
        )
        for rung in range(1, 5)
        for b in range(2, 7)
    ]
    rows += [
        Tally(kind=Counted.PLAN_LINE, gemeente=g, category=how, month=m, count=rng.randint(0, 3 * size))
        for how in ("on_time", "late", "not_done")
    ]
    rows += [
        Tally(kind=Counted.BOTTLENECK, gemeente=g, category=b, month=m, count=rng.randint(0, 2 * size))
        for b in BOTTLENECKS
    ]
    return rows + _samenloop(rng, g, m, size)


def _samenloop(rng: random.Random, g: str, m: str, size: int) -> list[Tally]:
    """Possible samenloop found, routeeroverleggen started (per reason) and decided (per route, with the
    working hours they took), for one month."""
    rows = [Tally(kind=Counted.MATCH, gemeente=g, category="", month=m, count=rng.randint(0, 2 * size))]
    rows += [
        Tally(kind=Counted.OVERLEG, gemeente=g, category=r, month=m, count=rng.randint(0, size))
        for r in REASONS
    ]
    rows += [
        Tally(kind=Counted.OVERLEG_DECIDED, gemeente=g, category=r, month=m, count=rng.randint(0, size))
        for r in ROUTES
    ]
    rows += [
        Tally(kind=Counted.OVERLEG_HOURS, gemeente=g, category=str(b), month=m, count=rng.randint(0, size))
        for b in range(1, 6)
    ]
    rows += [  # advice questions to the regional desks, by kind of organisation that asked
        Tally(kind=Counted.ADVICE, gemeente=g, category=f"{desk}:{k}", month=m, count=rng.randint(0, size))
        for desk in TRIAGING
        for k in ("politie", "woningcorporatie", "welzijn")
    ]
    for desk in TRIAGING:  # the triaging desks' verdicts, and how long procesregie waited to start
        rows += [
            Tally(
                kind=Counted.TRIAGED, gemeente=g, category=f"{desk}:{v}", month=m, count=rng.randint(0, size)
            )
            for v in TRIAGE
        ]
        rows += [
            Tally(
                kind=Counted.WAITED, gemeente=g, category=f"{desk}:{w}", month=m, count=rng.randint(0, size)
            )
            for w in range(5)
        ]
    return rows


def _spread(rng: random.Random, n: int) -> list[int]:
    """n pick-ups over the nine buckets of working hours, most within a day."""
    counts = [0] * 9
    for _ in range(n):
        counts[min(8, int(rng.expovariate(0.6)))] += 1
    return counts


def _split(rng: random.Random, n: int, weights: list[int]) -> list[int]:
    """n signals over the kinds of filer, by weight."""
    counts = [0] * len(weights)
    for i in rng.choices(range(len(weights)), weights=weights, k=n):
        counts[i] += 1
    return counts
