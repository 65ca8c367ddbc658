"""Small counts stay hidden, also from sums (statistical disclosure control for the regiobeeld).

A *cube* holds counts per combination of its dimensions' members (month × gemeente × category, …). Every
table and filter of the page shows *functionals* of it: a cell picks, per dimension, one member or one
named group of members (all gemeenten, the last 3/6/12 months, all categories) and sums. We assume a reader
knows every functional we show, under any filter, and can add and subtract them.

- **Primary**: a functional worth 1 to 4 is hidden.
- **Secondary**: for each hidden functional F we hide a *witness*: a change of the underlying counts that
  moves F but leaves every shown functional as it was. Then the shown numbers fit more than one value of F,
  so no sum or difference of them gives F. The change is a product, per dimension, of one member (+1) or a
  pair (+1, −1); every functional it moves is hidden with it. Among the possible witnesses we pick the one
  that hides least (what is hidden already, zeros, small numbers), deterministically, so one set of counts
  always shows the same way whatever the filter.

All hidden cells look the same (`×`, never `<5`): knowing which were small would let bounds pin a number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import product

SMALL = 5  # counts from 1 to SMALL - 1 are never shown
HIDDEN = -1  # what get() returns for a hidden count
ALL = "+"  # the usual group: every member of a dimension

Key = tuple[str, ...]


@dataclass(frozen=True)
class Dim:
    """One dimension: its members, and the named groups of members a table may sum over."""

    members: tuple[str, ...]
    groups: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def summed(cls, members: Iterable[str], **more: Iterable[str]) -> Dim:
        """Members with ALL (every member) and any further named groups."""
        ms = tuple(dict.fromkeys(members))
        return cls(ms, {ALL: frozenset(ms), **{k: frozenset(v) for k, v in more.items()}})

    def span(self, option: str) -> frozenset[str]:
        """The members an option sums: a group's, or the member itself."""
        return self.groups.get(option, frozenset((option,)))

    def holding(self, member: str) -> tuple[str, ...]:
        """Every option whose sum includes this member."""
        return (member, *(g for g, ms in self.groups.items() if member in ms))

    def moved(self, plus: str, minus: str | None) -> tuple[str, ...]:
        """The options whose sum changes when `plus` goes up one and `minus` (if any) down one."""
        if minus is None:
            return self.holding(plus)
        return (plus, minus, *(g for g, ms in self.groups.items() if (plus in ms) != (minus in ms)))

    def witnesses(self, option: str) -> list[tuple[str, ...]]:
        """Per way to move this option's sum by one: the options that move with it."""
        inside = sorted(self.span(option))
        outside = [m for m in self.members if m not in self.span(option)]
        return [self.moved(a, b) for a in inside for b in (None, *outside)]


class Cube:
    """Counts over some dimensions, with what may be shown decided once for every filter."""

    def __init__(self, dims: Sequence[Dim], counts: Mapping[Key, int]) -> None:
        self.dims = tuple(dims)
        self._members = [frozenset(d.members) for d in self.dims]
        self._known: list[dict[str, list[tuple[str, ...]]]] = [{} for _ in self.dims]
        self.values: dict[Key, int] = {}
        for key, n in counts.items():
            if n:
                for option in product(*(d.holding(m) for d, m in zip(self.dims, key, strict=True))):
                    self.values[option] = self.values.get(option, 0) + n
        self._hidden: set[Key] | None = None

    @property
    def hidden(self) -> set[Key]:
        """What is not shown, decided on first use (a cube read only raw never pays for it)."""
        if self._hidden is None:
            self._hidden = set()
            covered: set[Key] = set()  # moved by a witness already hidden: not derivable
            for key in sorted(self.values, key=self._finest_first):
                if 0 < self.values[key] < SMALL:
                    self._hidden.add(key)
                    if key not in covered:
                        moved = self._witness(key)
                        self._hidden.update(moved)
                        covered.update(moved)
        return self._hidden

    def _ways(self, i: int, option: str) -> list[tuple[str, ...]]:
        """Dim.witnesses, once per option of a dimension."""
        ways = self._known[i].get(option)
        if ways is None:
            ways = self._known[i][option] = self.dims[i].witnesses(option)
        return ways

    def _finest_first(self, key: Key) -> tuple[int, Key]:
        """Cells before sums (a cell's witness often covers the sums' too), then in a stable order."""
        return (-sum(o in ms for o, ms in zip(key, self._members, strict=True)), key)

    def get(self, *key: str) -> int:
        """The count as it may be shown: the number, or HIDDEN."""
        return HIDDEN if key in self.hidden else self.values.get(key, 0)

    def raw(self, *key: str) -> int:
        """The true count, for what is not shown as a count (a median's bucket, a traffic light)."""
        return self.values.get(key, 0)

    def _cost(self, keys: Iterable[Key]) -> int:
        """What hiding these costs: nothing for what is hidden already, else one plus the count."""
        hidden, values = self.hidden, self.values
        return sum(0 if k in hidden else 1 + values.get(k, 0) for k in keys)

    def _witness(self, key: Key) -> list[Key]:
        """The functionals a cheap witness for `key` moves (key among them): per dimension in turn, the way
        to move it that costs least given the others (one pass; a free one is taken at once)."""
        choices = [self._ways(i, o) for i, o in enumerate(key)]
        pick = [min(c, key=len) for c in choices]
        for i, options in enumerate(choices):
            best = None
            for o in options:
                cost = self._cost(product(*pick[:i], o, *pick[i + 1 :]))
                if best is None or cost < best[0]:
                    best = (cost, o)
                    if cost == 0:
                        break
            pick[i] = best[1] if best else pick[i]
        return list(product(*pick))
