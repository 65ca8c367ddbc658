"""What a compare-and-set change may touch, by name and type: a misspelt or mistyped column is a type
error, not a silent no-op."""

from __future__ import annotations

from datetime import date, datetime
from typing import TypedDict

from bot.domain.agreements import AgreementStatus
from bot.domain.lifecycle import Status
from bot.domain.overleg import OverlegStatus
from bot.domain.regie import EscalationStatus, LineStatus, RegieStatus
from bot.domain.rhythm import Rhythm


class SignalChange(TypedDict, total=False):
    status: Status
    owner_desk: str | None
    owner_id: int | None
    handover_to: str | None
    handover_since: datetime | None
    urgent: bool
    joint_triage: bool
    outcome: str | None
    triage: str | None
    priority: int | None
    queued_at: datetime | None
    closed_at: datetime | None


class AgreementChange(TypedDict, total=False):
    status: AgreementStatus
    owner_id: int | None
    proposed_owner_id: int | None
    proposed_by: int | None
    rhythm: Rhythm
    end_on: date
    at_risk: bool
    no_contact_streak: int
    ended_at: datetime | None
    end_reason: str | None


class RegieChange(TypedDict, total=False):
    status: RegieStatus
    regisseur_id: int | None
    asked_id: int | None
    asked_by: int | None
    accepted_at: datetime | None
    closed_at: datetime | None
    outcome: str | None


class LineChange(TypedDict, total=False):
    owner_id: int
    status: LineStatus
    due_on: date
    reason: str | None
    closed_at: datetime | None


class EscalationChange(TypedDict, total=False):
    status: EscalationStatus
    rung: int
    deadline: datetime
    decided_by: int | None
    decided_at: datetime | None
    acts_id: int | None
    decision: str
    back_reason: str | None


class OverlegChange(TypedDict, total=False):
    status: OverlegStatus
    route: str | None
    lead: str | None
    proposer_desk: str | None
    proposed_by: int | None
    proposed_at: datetime | None
    decided_at: datetime | None
    climbed: bool


class PartChange(TypedDict, total=False):
    in_view: str | None
    vote: str | None
    note: str | None
    by_id: int | None
    at: datetime | None
    card_outbox_id: int | None
