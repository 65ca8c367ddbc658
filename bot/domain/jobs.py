"""Work that falls due later, as typed values: what each kind carries, its key, and how it is stored.

A job is planned as a row (kind, key, payload) and read back into the same value by the due runner, the
only place that decodes a payload; the handlers get a typed job, never a dict."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any, ClassVar, Self, get_type_hints


@dataclasses.dataclass(frozen=True)
class Job:
    """One piece of due work. Its key (kind and fields, in order) plans it once."""

    kind: ClassVar[str] = ""

    def key(self, suffix: str = "") -> str:
        """The row's unique key: `kind:field:field…`, with a suffix where one job is planned again."""
        parts = [self.kind, *(_text(getattr(self, f.name)) for f in dataclasses.fields(self))]
        return ":".join([*parts, suffix] if suffix else parts)

    def payload(self) -> dict[str, Any]:
        """The JSON the row keeps."""
        return {f.name: _json(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def read(cls, payload: dict[str, Any]) -> Self:
        """The job a stored payload describes; ValueError when it does not fit."""
        try:
            return cls(**{name: _value(kind, payload[name]) for name, kind in _fields(cls).items()})
        except (KeyError, TypeError) as exc:
            raise ValueError(f"{cls.kind}: payload does not fit") from exc


_FIELDS: dict[type[Job], dict[str, type]] = {}


def _fields(cls: type[Job]) -> dict[str, type]:
    if cls not in _FIELDS:
        hints = get_type_hints(cls)
        _FIELDS[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return _FIELDS[cls]


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _text(value: object) -> str:
    return str(_json(value))


def _value(kind: type, raw: object) -> object:
    if kind is datetime:
        return datetime.fromisoformat(str(raw))
    if kind is date:
        return date.fromisoformat(str(raw))
    if kind is int and isinstance(raw, (int, str)) and not isinstance(raw, bool):
        return int(raw)
    if kind is str and isinstance(raw, str):
        return raw
    raise ValueError(f"{raw!r} is no {kind.__name__}")


@dataclasses.dataclass(frozen=True)
class Escalate(Job):
    """Tier `tier` of a desk's overdue pick-up: reminder, coordinator, regional."""

    kind: ClassVar[str] = "sla"
    signal: int
    desk: str
    tier: int


@dataclasses.dataclass(frozen=True)
class SendDigest(Job):
    """One desk's morning digest for one day."""

    kind: ClassVar[str] = "digest"
    desk: str
    day: date


@dataclasses.dataclass(frozen=True)
class ChaseHandOver(Job):
    """A hand-over nobody answered since `since`: ask the receiver, then its coordinators."""

    kind: ClassVar[str] = "handover"
    signal: int
    to: str
    since: datetime
    tier: int


@dataclasses.dataclass(frozen=True)
class AskAftercare(Job):
    """Ask the closing desk whether the help really started, for the closing at `closed`."""

    kind: ClassVar[str] = "aftercare"
    signal: int
    closed: datetime


@dataclasses.dataclass(frozen=True)
class WatchIdle(Job):
    """A signal in hand with nothing happening since `since`: tier 1 asks the desk, tier 2 its coordinators."""

    kind: ClassVar[str] = "idle"
    signal: int
    since: datetime
    tier: int


@dataclasses.dataclass(frozen=True)
class SendWeekly(Job):
    """A coordinator's Monday message about their part of the region."""

    kind: ClassVar[str] = "regiobeeld_week"
    user: int
    day: date


@dataclasses.dataclass(frozen=True)
class SendCheckIn(Job):
    """Ask a waakvlam's contact person how the resident is doing."""

    kind: ClassVar[str] = "checkin"
    checkin: int


@dataclasses.dataclass(frozen=True)
class CheckInSilence(Job):
    """A check-in sent at `sent` (epoch seconds) still unanswered: tier 1 reminds, tier 2 flags a risk."""

    kind: ClassVar[str] = "checkin_grace"
    checkin: int
    tier: int
    sent: int


@dataclasses.dataclass(frozen=True)
class AgreementEnding(Job):
    """A week before an agreement's end on `end_on`: extend or let it end?"""

    kind: ClassVar[str] = "wv_ending"
    agreement: int
    end_on: date


@dataclasses.dataclass(frozen=True)
class AgreementEnd(Job):
    """The end date `end_on` has come: the agreement ends, unless it was extended."""

    kind: ClassVar[str] = "wv_end"
    agreement: int
    end_on: date


@dataclasses.dataclass(frozen=True)
class ChasePlanLine(Job):
    """A plan line past `due_on`: tier 1 asks the one named "Loopt dit nog?", tier 2 tells the regisseur and
    the coordinators (unless it was answered, or moved to a later date, meanwhile)."""

    kind: ClassVar[str] = "plan_line"
    line: int
    due_on: date
    tier: int


@dataclasses.dataclass(frozen=True)
class RegieFollowUp(Job):
    """Four weeks after a regie closed at `closed`: did the solution hold?"""

    kind: ClassVar[str] = "regie_followup"
    regie: int
    closed: datetime


@dataclasses.dataclass(frozen=True)
class EscalationDue(Job):
    """An escalation's rung `rung` ran out of time: it climbs by itself (from the top rung: a notice)."""

    kind: ClassVar[str] = "escalation"
    escalation: int
    rung: int


@dataclasses.dataclass(frozen=True)
class SendReminder(Job):
    """A reminder someone set (Herinner mij) is due."""

    kind: ClassVar[str] = "reminder"
    reminder: int


@dataclasses.dataclass(frozen=True)
class OverlegDue(Job):
    """A routeeroverleg's time to decide ran out: if still open, it goes up the ladder."""

    kind: ClassVar[str] = "overleg"
    overleg: int


JOBS: dict[str, type[Job]] = {
    cls.kind: cls
    for cls in (
        Escalate,
        SendDigest,
        ChaseHandOver,
        AskAftercare,
        WatchIdle,
        SendWeekly,
        SendCheckIn,
        CheckInSilence,
        AgreementEnding,
        AgreementEnd,
        ChasePlanLine,
        RegieFollowUp,
        EscalationDue,
        SendReminder,
        OverlegDue,
    )
}
