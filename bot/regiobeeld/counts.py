"""The counts behind the regiobeeld, as cubes with small numbers protected for every filter at once.

Every tally kind becomes a cube over month × gemeente × the parts of its category (`desk:verdict` has two),
summed over all gemeenten of the person's scope, over the last 3, 6 and 12 months and over each part. What
is counted *now* (open signals per desk, regie, the werkvoorraad, live agreements) is a cube over gemeente ×
item. The suppression (bot.regiobeeld.disclosure) is decided on the whole cube, so a filtered view and the
unfiltered one never give a small count away between them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from bot.domain.agreements import ACTIVE
from bot.domain.lifecycle import Status
from bot.domain.overleg import PRIORITIES
from bot.domain.region import Region
from bot.domain.tallies import TallyKind, code
from bot.regiobeeld.disclosure import ALL, Cube, Dim, Key
from bot.signals.triage import weeks_between
from bot.signals.werkvoorraad import overdue
from storage.models import Tally
from storage.ports import Work

PERIOD_GROUPS = (3, 6, 12)
LONG_AGO = timedelta(days=31)


class Counts:
    """The tallies of one scope over the last twelve months, and what is counted now, per gemeente."""

    def __init__(
        self,
        months: Sequence[str],
        gemeenten: Sequence[str],
        tallies: Sequence[Tally],
        live: Mapping[Key, int],
    ) -> None:
        self.months = list(months)
        self._month = Dim.summed(months, **{str(n): months[-n:] for n in PERIOD_GROUPS})
        self._gemeente = Dim.summed(gemeenten)
        self._base: dict[str, dict[Key, int]] = defaultdict(lambda: defaultdict(int))
        width: dict[str, int] = defaultdict(lambda: 1)
        for t in tallies:
            width[t.kind] = max(width[t.kind], t.category.count(":") + 1)
        for t in tallies:
            if t.month in self._month.members and t.gemeente in self._gemeente.members:
                parts = t.category.split(":") + [""] * (width[t.kind] - t.category.count(":") - 1)
                self._base[t.kind][(t.month, t.gemeente, *parts)] += t.count
        self._cubes: dict[str, Cube] = {}
        self._live = live

    def parts(self, kind: TallyKind, i: int = 0) -> list[str]:
        """The values the i-th part of this kind's category took (in the year, in the scope), sorted."""
        return sorted({k[2 + i] for k in self._base.get(code(kind), {}) if len(k) > 2 + i})

    def at(self, kind: TallyKind, when: str, where: str, *parts: str) -> int:
        """A count as it may be shown (or HIDDEN): `when` a month or a period ("3", "6", "12"), `where` a
        gemeente or ALL, each part a value or ALL (left out: ALL)."""
        cube = self._cube(code(kind))
        return cube.get(when, where, *self._pad(cube, parts))

    def raw(self, kind: TallyKind, when: str, where: str, *parts: str) -> int:
        """The true count, for what is shown as a bucket or a colour, never as a number."""
        cube = self._cube(code(kind))
        return cube.raw(when, where, *self._pad(cube, parts))

    def now(self, where: str, item: str) -> int:
        """What is counted now (or HIDDEN), in a gemeente or in ALL of the scope."""
        if "now" not in self._cubes:
            items = Dim(tuple(sorted({i for _, i in self._live})))
            self._cubes["now"] = Cube([self._gemeente, items], self._live)
        return self._cubes["now"].get(where, item)

    @staticmethod
    def _pad(cube: Cube, parts: tuple[str, ...]) -> tuple[str, ...]:
        return parts + (ALL,) * (len(cube.dims) - 2 - len(parts))

    def _cube(self, kind: str) -> Cube:
        if kind not in self._cubes:
            base = self._base.get(kind, {})
            width = max((len(k) - 2 for k in base), default=1)
            dims = [self._month, self._gemeente]
            dims += [Dim.summed(sorted({k[2 + i] for k in base})) for i in range(width)]
            self._cubes[kind] = Cube(dims, base)
        return self._cubes[kind]


async def live_counts(
    uow: Work,
    region: Region,
    gemeenten: Sequence[str],
    desks: Sequence[str],
    now: datetime,
    *,
    all_of_it: bool,
) -> tuple[dict[Key, int], dict[str, int]]:
    """What is counted now, per (gemeente, item): per desk `open:`, `overdue:`, `waiting:`; with
    `all_of_it` also regie (`regie:…`), the werkvoorraad per triaging desk and priority (`queued:desk:1`)
    and live agreements (`active`, `at_risk`). Beside it, per gemeente, the longest wait in the werkvoorraad
    in weeks (`desk:gemeente` → weeks): a duration, not a count."""
    counts: dict[Key, int] = defaultdict(int)
    oldest: dict[str, int] = {}
    places = set(gemeenten)
    for d in desks:
        desk = region.meldpunten[d]
        for s in await uow.signals.open_for_desk(d, Status.CLOSED):
            if s.gemeente not in places or not (s.owner_desk in (None, d) or s.handover_to == d):
                continue
            counts[s.gemeente, f"open:{d}"] += 1
            counts[s.gemeente, f"overdue:{d}"] += overdue(region, desk, s, now)
            counts[s.gemeente, f"waiting:{d}"] += s.status == Status.HANDOVER and s.handover_to == d
    if all_of_it:
        await _regie(uow, region, places, now, counts)
        for desk in (d for d in region.meldpunten.values() if d.triage):
            for s in await uow.signals.open_for_desk(desk.id, Status.CLOSED):
                if s.owner_desk == desk.id and s.priority in PRIORITIES and s.gemeente in places:
                    counts[s.gemeente, f"queued:{desk.id}:{s.priority}"] += 1
                    at = f"{desk.id}:{s.gemeente}"
                    oldest[at] = max(oldest.get(at, 0), weeks_between(s.queued_at, now))
        for a in await uow.agreements.in_gemeenten(list(places), [ACTIVE]):
            counts[a.gemeente, "active"] += 1
            counts[a.gemeente, "at_risk"] += bool(a.at_risk)
    return {k: n for k, n in counts.items() if n}, oldest


async def _regie(uow: Work, region: Region, places: set[str], now: datetime, counts: dict[Key, int]) -> None:
    """Regie as it stands: directed, asked, and open signals whose resident has no regisseur, by how many
    working days they have waited (under 5, 5 to 10, over 10)."""
    regies = await uow.regies.in_gemeenten(tuple(places))
    directed = {r.id for r in regies if r.regisseur_id is not None}
    for r in regies:
        counts[r.gemeente, "regie:directed" if r.id in directed else "regie:asked"] += 1
    hours = region.hours()
    for s in await uow.signals.open_in(tuple(places), Status.CLOSED):
        if s.regie_id not in directed:
            # A month ago is over 10 working days whatever the holidays: no need to count them one by one.
            long_ago = now - s.created_at > LONG_AGO
            days = 11 if long_ago else hours.working_days_between(s.created_at, now)
            counts[
                s.gemeente,
                "regie:without_" + ("under_5" if days < 5 else "5_10" if days <= 10 else "over_10"),
            ] += 1
