"""Los op of schaal op: the escalation ladder of a gemeente, as the region file gives it. Each rung says who
decides there (everyone with a role in the gemeente — a manager of the raiser's own organisation first — or
the staff of a desk) and how many working hours they have before it climbs by itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

ANYWHERE = "*"
# What a chase nobody answered calls to take a signal or regie (by code) up its gemeente's ladder
# (bot/regie/ladder.py: Climbing.stalled; the unit of work as its first argument).
Stalled = Callable[[Any, str], Awaitable[None]]
ROLES = ("manager", "coordinator", "bestuurder")  # who a rung may name by role


class Rung(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=80)
    role: str | None = None
    desk: str | None = None
    hours: float = Field(gt=0, le=400)

    @model_validator(mode="after")
    def _one_of(self) -> Rung:
        if (self.role is None) == (self.desk is None):
            raise ValueError("a rung names a role or a desk, not both")
        if self.role is not None and self.role not in ROLES:
            raise ValueError(f"role is one of {', '.join(ROLES)}")
        return self


class Ladder(BaseModel):
    """One gemeente's ladder ("*": every gemeente without its own). `text_roles`: the roles that read what
    was typed about the resident on an escalation's page (a bestuurder does not, unless named here)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    gemeente: str = ANYWHERE
    rung: tuple[Rung, ...] = Field(min_length=1, max_length=8)
    text_roles: tuple[str, ...] = ("manager", "coordinator", "meldpunt")


def ladder_for(ladders: Collection[Ladder], gemeente: str) -> Ladder | None:
    """The gemeente's own ladder, else the region's default, else none."""
    own = [lad for lad in ladders if lad.gemeente == gemeente]
    default = [lad for lad in ladders if lad.gemeente == ANYWHERE]
    return next(iter(own or default), None)


def problems(ladders: Collection[Ladder], gemeenten: Collection[str], desks: Collection[str]) -> list[str]:
    """What is wrong with the ladders against the region's gemeenten and desks (empty: nothing)."""
    found = []
    seen: set[str] = set()
    for i, lad in enumerate(ladders):
        if lad.gemeente in seen:
            found.append(f"ladder {i}: a second ladder for {lad.gemeente!r}")
        seen.add(lad.gemeente)
        if lad.gemeente not in (*gemeenten, ANYWHERE):
            found.append(f"ladder {i}: unknown gemeente {lad.gemeente!r}")
        found += [f"ladder {i}: unknown desk {r.desk!r}" for r in lad.rung if r.desk and r.desk not in desks]
    return found
