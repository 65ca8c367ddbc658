"""Tables. Resident data is limited to an own reference, an area and what was seen."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.access import Role
from bot.domain.agreements import AgreementStatus, CheckInStatus
from bot.domain.lifecycle import Status
from bot.domain.rhythm import Rhythm
from storage.base import Base as Base
from storage.crypto import EncryptedJSON, EncryptedText

# The host's tables (inbox, outbox, due work, audit) live in storage/runtime_tables.py; named here too.
# Regie on residents (bot/regie) lives in storage/regie_tables.py; named here too.
from storage.regie_tables import Escalation as Escalation
from storage.regie_tables import EscalationStep as EscalationStep
from storage.regie_tables import PlanLine as PlanLine
from storage.regie_tables import Regie as Regie
from storage.regie_tables import RegieEvent as RegieEvent
from storage.regie_tables import Reminder as Reminder
from storage.runtime_tables import AuditEntry as AuditEntry
from storage.runtime_tables import DueWork as DueWork
from storage.runtime_tables import InboxUpdate as InboxUpdate
from storage.runtime_tables import Lease as Lease
from storage.runtime_tables import OutboxMessage as OutboxMessage
from storage.runtime_tables import SenderShare as SenderShare

# Samenloop and the routeeroverleg (bot/samenloop) live in storage/samenloop_tables.py; named here too.
from storage.samenloop_tables import AdviceQuestion as AdviceQuestion
from storage.samenloop_tables import MatchKey as MatchKey
from storage.samenloop_tables import Overleg as Overleg
from storage.samenloop_tables import OverlegPart as OverlegPart
from storage.types import Choice, IsoDate, RhythmText, coerce_on_set


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(Choice(Role))
    org: Mapped[str] = mapped_column(String(120))
    org_kind: Mapped[str] = mapped_column(String(20), default="anders", server_default="anders")
    gemeenten: Mapped[list[str]]
    meldpunt_id: Mapped[str | None] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[Role] = mapped_column(Choice(Role))
    org: Mapped[str] = mapped_column(String(120))
    org_kind: Mapped[str] = mapped_column(String(20), default="anders", server_default="anders")
    gemeenten: Mapped[list[str]]
    meldpunt_id: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class LoginLink(Base):
    """A personal link into the regiobeeld page: single use, valid minutes; only its hash is kept."""

    __tablename__ = "login_links"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("chat_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[int] = mapped_column(BigInteger)
    flow: Mapped[str] = mapped_column(String(40))
    state: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The outbox row of the question on screen: its keyboard is removed when the next one is asked.
    asked_outbox_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime]


class Signal(Base):
    __tablename__ = "signals"
    __table_args__ = (
        Index("ix_signals_status_created", "status", "created_at"),
        Index("ix_signals_status_closed", "status", "closed_at"),
        # Nearly all signals are closed: the open ones (every desk's /open and digest) get their own index.
        Index(
            "ix_signals_open",
            "created_at",
            postgresql_where=text("status <> 'afgesloten'"),
            sqlite_where=text("status <> 'afgesloten'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    filer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    gemeente: Mapped[str] = mapped_column(String(60))
    categories: Mapped[list[str]]
    resident_ref: Mapped[str] = mapped_column(EncryptedText)
    # A keyed hash of the normalised reference: finds a resident's signals without decrypting all of them.
    resident_key: Mapped[str] = mapped_column(String(64), index=True)
    area: Mapped[str] = mapped_column(EncryptedText)
    description: Mapped[str] = mapped_column(EncryptedText)
    care_involved: Mapped[str] = mapped_column(String(10))
    care_orgs: Mapped[str | None] = mapped_column(EncryptedText)
    resident_knows: Mapped[str] = mapped_column(String(10))
    # Whether it also plays in another gemeente (yes / no / unknown); which one is not asked.
    elsewhere: Mapped[str] = mapped_column(String(10), default="unknown", server_default="unknown")
    joint_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[Status] = mapped_column(Choice(Status))
    # Bumped on every change: buttons carry it, and two desks acting at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=0)
    owner_desk: Mapped[str | None] = mapped_column(String(60))
    # A desk asked to take the signal over; the owner desk stays responsible until it accepts.
    handover_to: Mapped[str | None] = mapped_column(String(60))
    handover_since: Mapped[datetime | None]  # when it was asked: chased when nobody answers
    # Marked urgent by desk staff: first in /open and the digest.
    urgent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))
    # A triaging desk's verdict after Oppakken (bot/signals/triage.py); procesregie waiting for capacity is on
    # its werkvoorraad with a priority (1 first) since queued_at; priority 0: started.
    triage: Mapped[str | None] = mapped_column(String(20))
    priority: Mapped[int | None] = mapped_column(Integer)
    queued_at: Mapped[datetime | None]
    # Set on a fast re-entry: the waakvlam agreement whose check-in raised it (its history is linked).
    agreement_id: Mapped[int | None] = mapped_column(Integer)
    # The regie on its resident, when one was asked or set (bot/regie): its regisseur is told of it.
    regie_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class SignalRoute(Base):
    __tablename__ = "signal_routes"
    __table_args__ = (Index("ix_signal_routes_meldpunt", "meldpunt_id", "signal_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"))
    meldpunt_id: Mapped[str] = mapped_column(String(60))
    rule_ids: Mapped[list[str]]
    # The outbox row of this desk's summary message, edited as the signal moves on.
    summary_outbox_id: Mapped[int | None] = mapped_column(Integer)


class SignalMessage(Base):
    """A message the bot sent that shows a signal (a desk's summary, a private copy): after an erasure or the
    retention purge the bot deletes it, or edits it down to a fixed text. No foreign key: the row outlives
    its signal until that is done. The Telegram message id is copied in before its outbox row is purged."""

    __tablename__ = "signal_messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signal_id: Mapped[int] = mapped_column(Integer, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    outbox_id: Mapped[int | None] = mapped_column(Integer, index=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)


class SignalEvent(Base):
    """The history of a signal: the audit trail and the source of feedback and digests."""

    __tablename__ = "signal_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(EncryptedText)


class Tally(Base):
    """Anonymous counts for the regional picture; they outlive the signals they count."""

    __tablename__ = "tallies"
    __table_args__ = (UniqueConstraint("kind", "gemeente", "category", "month"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    gemeente: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(30), default="")
    month: Mapped[str] = mapped_column(String(7))
    count: Mapped[int] = mapped_column(Integer, default=0)


class Agreement(Base):
    """A waakvlam: who keeps light contact with a resident, how often, until when, and where to return."""

    __tablename__ = "agreements"
    __table_args__ = (Index("ix_agreements_status_end", "status", "end_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    # The signal it follows up, when there is one.
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id", ondelete="SET NULL"))
    resident_ref: Mapped[str] = mapped_column(EncryptedText)
    resident_key: Mapped[str] = mapped_column(String(64), index=True)
    gemeente: Mapped[str] = mapped_column(String(60))
    status: Mapped[AgreementStatus] = mapped_column(Choice(AgreementStatus))
    version: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Asked to take it on; the current owner (if any) keeps it until this person accepts.
    proposed_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "d:N" every N days, or "wd:0,3" on those weekdays (Monday is 0).
    rhythm: Mapped[Rhythm] = mapped_column(RhythmText)
    end_on: Mapped[date] = mapped_column(IsoDate)
    warning_categories: Mapped[list[str]]
    warning_signs: Mapped[str] = mapped_column(EncryptedText)
    return_desk: Mapped[str] = mapped_column(String(60))
    no_contact_streak: Mapped[int] = mapped_column(Integer, default=0)
    at_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(30))


class CheckIn(Base):
    """One due check-in of an agreement: planned, sent, answered (or missed)."""

    __tablename__ = "checkins"
    __table_args__ = (UniqueConstraint("agreement_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime]
    status: Mapped[CheckInStatus] = mapped_column(Choice(CheckInStatus, 12))
    sent_to: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[datetime | None]
    answer: Mapped[str | None] = mapped_column(String(12))
    answered_at: Mapped[datetime | None]
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class AgreementEvent(Base):
    """The history of an agreement: set up, accepted, check-in answers, changes, end."""

    __tablename__ = "agreement_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(EncryptedText)


# A status or role assigned as text is the enum member from then on, as it is when read back.
for _attribute, _enum in (
    (User.role, Role),
    (Invite.role, Role),
    (Signal.status, Status),
    (Agreement.status, AgreementStatus),
    (CheckIn.status, CheckInStatus),
):
    coerce_on_set(_attribute, _enum)
coerce_on_set(Agreement.rhythm, lambda value: value if isinstance(value, Rhythm) else Rhythm.read(value))
