"""What the regiobeeld counts, as typed kinds: each event adds one to a (kind, gemeente, category, month)
row, in its own transaction, so the counts outlive the signals and agreements they count. A kind is kept
as its code (`signal`, `outcome_help`, `pickup_3`); read() turns a code back into the kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain import pickup
from bot.domain.lifecycle import OUTCOMES


class Counted(StrEnum):
    """The kinds with a fixed code; the category column says more where a kind has one."""

    SIGNAL = "signal"  # per category seen
    FILED_BY = "filed_by"  # per kind of organisation that filed
    ACUTE = "acute"  # "bel 112": nothing filed
    RELAPSE = "relapse"  # a fast re-entry from a waakvlam
    ELSEWHERE = "elsewhere"  # the filer said it also plays in another gemeente
    PICKED_UP = "picked_up"  # per desk
    PICKED_IN_TIME = "picked_in_sla"  # per desk, within its pick-up time
    CHECKIN_SENT = "checkin_sent"
    CHECKIN_ANSWERED = "checkin_answered"
    WAAKVLAM_ENDED = "wv_ended"  # category "agreed" or "early"
    ESCALATED = "escalated"  # up a gemeente's ladder, per reason
    ESCALATION_SOLVED = "esc_solved"  # Los op, per rung (its number, from 1)
    ESCALATION_RETURNED = "esc_returned"  # Terug, per rung
    BOTTLENECK = "knelpunt"  # a system bottleneck in the way, per kind (flows/closing.BOTTLENECKS)
    PLAN_LINE = "plan_line"  # a regie's plan line closed: "on_time", "late" or "not_done"
    DECISION_HOURS = "esc_hours"  # working hours a rung took to decide: "rung:bucket" (bot.domain.pickup)
    MATCH = "samenloop"  # a match key equal to another organisation's: per kind of item ("signal", …)
    OVERLEG = "overleg"  # a routeeroverleg started, per reason (bot.domain.overleg.REASONS)
    OVERLEG_DECIDED = "overleg_besluit"  # decided, per route (bot.domain.overleg.ROUTES)
    OVERLEG_HOURS = "overleg_hours"  # working hours it took to decide, per bucket (bot.domain.pickup)
    TRIAGED = "triage"  # a triaging desk's verdict: "desk:verdict" (bot.domain.overleg.TRIAGE)
    ADVICE = "advies"  # an advice question (/advies): "desk:kind of organisation that asked"
    WAITED = "waited"  # procesregie started after waiting on the werkvoorraad: "desk:weeks" (12: 12 or more)


@dataclass(frozen=True)
class Outcome:
    """A desk closed a signal with this outcome (per desk)."""

    code: str


@dataclass(frozen=True)
class TookHours:
    """A desk picked a signal up within this bucket of working hours (bot.domain.pickup; per desk)."""

    bucket: int


TallyKind = Counted | Outcome | TookHours
ALERTS = (Counted.ACUTE, Counted.RELAPSE, Counted.ELSEWHERE)  # per gemeente and month, no category
WAAKVLAM_COUNTS = (Counted.CHECKIN_SENT, Counted.CHECKIN_ANSWERED, Counted.WAAKVLAM_ENDED)
LADDER_COUNTS = (
    Counted.ESCALATED,
    Counted.ESCALATION_SOLVED,
    Counted.ESCALATION_RETURNED,
    Counted.BOTTLENECK,
)
SAMENLOOP_COUNTS = (
    Counted.MATCH,
    Counted.OVERLEG,
    Counted.OVERLEG_DECIDED,
    Counted.OVERLEG_HOURS,
    Counted.TRIAGED,
    Counted.WAITED,
    Counted.ADVICE,
)
EVERY_OUTCOME = tuple(Outcome(o) for o in OUTCOMES)
EVERY_BUCKET = tuple(TookHours(i) for i in range(len(pickup.BOUNDS) + 1))
# What a desk's own regiobeeld counts: how fast it picked up and how it closed.
DESK_OWN: tuple[TallyKind, ...] = (Counted.PICKED_UP, Counted.PICKED_IN_TIME, *EVERY_OUTCOME, *EVERY_BUCKET)
EVERY_KIND: tuple[TallyKind, ...] = (
    Counted.SIGNAL,
    Counted.FILED_BY,
    *ALERTS,
    *WAAKVLAM_COUNTS,
    *LADDER_COUNTS,
    Counted.PLAN_LINE,  # the regie's plan lines closed, per month
    Counted.DECISION_HOURS,  # how long a rung took to decide
    *SAMENLOOP_COUNTS,
    *DESK_OWN,
)


def code(kind: TallyKind) -> str:
    """The kind as the tallies table keeps it."""
    if isinstance(kind, Outcome):
        return f"outcome_{kind.code}"
    if isinstance(kind, TookHours):
        return f"pickup_{kind.bucket}"
    return kind.value


_BY_CODE = {code(k): k for k in EVERY_KIND}


def read(text: str) -> TallyKind | None:
    """The kind a stored code names; None for a code no release counts any more."""
    return _BY_CODE.get(text)


def month(moment: datetime, zone: str) -> str:
    """The month a count falls in, in the region's time zone: `2026-12`."""
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m")
