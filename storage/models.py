"""Tables. Resident data is limited to an own reference, an area and what was seen."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.crypto import EncryptedJSON, EncryptedText
from storage.types import UTCDateTime


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20))
    org: Mapped[str] = mapped_column(String(120))
    gemeenten: Mapped[list[str]]
    meldpunt_id: Mapped[str | None] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(5), default="nl")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    org: Mapped[str] = mapped_column(String(120))
    gemeenten: Mapped[list[str]]
    meldpunt_id: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


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
    joint_triage: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20))
    # Bumped on every change: buttons carry it, and two desks acting at once cannot both win.
    version: Mapped[int] = mapped_column(Integer, default=0)
    owner_desk: Mapped[str | None] = mapped_column(String(60))
    # A desk asked to take the signal over; the owner desk stays responsible until it accepts.
    handover_to: Mapped[str | None] = mapped_column(String(60))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))
    # Set on a fast re-entry: the waakvlam agreement whose check-in raised it (its history is linked).
    agreement_id: Mapped[int | None] = mapped_column(Integer)
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


class InboxUpdate(Base):
    """Every Telegram update, stored before it is acted on (Telegram delivers at least once)."""

    __tablename__ = "inbox"
    __table_args__ = (
        # An instance waits for a chat's earlier updates in hand elsewhere: few rows are unfinished.
        Index(
            "ix_inbox_unfinished_chat",
            "chat_id",
            "update_id",
            postgresql_where=text("processed_at IS NULL"),
            sqlite_where=text("processed_at IS NULL"),
        ),
    )
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    received_at: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32))
    processed_at: Mapped[datetime | None] = mapped_column(index=True)


class OutboxMessage(Base):
    """A message to send or edit; rows are claimed with a lease so one sender sends each once."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "not_before"),
        Index("ix_outbox_chat", "chat_id", "id"),
        # The claim's chat-order check reads only rows still to go, not a busy group's whole history.
        Index(
            "ix_outbox_pending_chat",
            "chat_id",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    payload: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    not_before: Mapped[datetime]
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    telegram_message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)


class AuditEntry(Base):
    """Who did what, when: append-only (the database refuses updates and deletes). No resident data."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_actor", "actor_telegram_id", "action", "at"),
        Index("ix_audit_subject", "subject"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str | None] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]]


class DueWork(Base):
    """Work that falls due at a time (escalations, digests): claimed with a lease, done exactly once."""

    __tablename__ = "due_work"
    __table_args__ = (Index("ix_due_work_due", "status", "due_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # Unique per piece of work, so planning it twice (or on two instances) makes one row.
    key: Mapped[str] = mapped_column(String(120), unique=True)
    due_at: Mapped[datetime]
    payload: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(10), default="pending")
    claimed_until: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(32), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None]


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
    status: Mapped[str] = mapped_column(String(20))
    version: Mapped[int] = mapped_column(Integer, default=0)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Asked to take it on; the current owner (if any) keeps it until this person accepts.
    proposed_owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # "d:N" every N days, or "wd:0,3" on those weekdays (Monday is 0).
    rhythm: Mapped[str] = mapped_column(String(30))
    end_on: Mapped[str] = mapped_column(String(10))
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
    status: Mapped[str] = mapped_column(String(12))
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
