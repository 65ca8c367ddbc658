"""Route a signal by the region's ordered rules; return the desks and the reasons, never guess."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.region import GEMEENTE, Condition, Meldpunt, Reason, Region, Rule


@dataclass(frozen=True)
class Facts:
    """What routing may look at: no resident data, only the classification of the signal."""

    gemeente: str
    categories: frozenset[str]
    care_involved: str | None = None


@dataclass(frozen=True)
class RoutedDesk:
    meldpunt: Meldpunt
    rules: tuple[Rule, ...]

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Why the signal goes to this desk, one reason per rule that chose it."""
        return tuple(r.reason for r in self.rules)


@dataclass(frozen=True)
class Decision:
    desks: tuple[RoutedDesk, ...]

    @property
    def joint_triage(self) -> bool:
        """More than one desk matched: the desks agree together who takes it (routeeroverleg)."""
        return len(self.desks) > 1


def matches(when: Condition, facts: Facts) -> bool:
    """Say whether a rule's condition holds for these facts."""
    cats = facts.categories
    return (
        (not when.categories_any or bool(cats & set(when.categories_any)))
        and set(when.categories_all) <= cats
        and not cats & set(when.categories_none)
        and (not when.gemeenten or facts.gemeente in when.gemeenten)
        and (when.care_involved is None or when.care_involved == facts.care_involved)
    )


def route(region: Region, facts: Facts) -> Decision:
    """Evaluate the rules top to bottom and collect every matching desk with the rules that chose it."""
    if facts.gemeente not in region.gemeenten:
        raise ValueError(f"unknown gemeente {facts.gemeente!r}")
    chosen: dict[str, list[Rule]] = {}
    for rule in region.rules:
        if rule.fallback and chosen:
            continue
        if not matches(rule.when, facts):
            continue
        for target in _targets(rule.route, facts.gemeente):
            chosen.setdefault(target, []).append(rule)
        if rule.final:
            break
    return Decision(tuple(RoutedDesk(region.meldpunten[mid], tuple(rules)) for mid, rules in chosen.items()))


def _targets(route_ids: Iterable[str], gemeente: str) -> list[str]:
    return [r.replace(GEMEENTE, gemeente) for r in route_ids]
