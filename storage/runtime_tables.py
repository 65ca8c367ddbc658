"""The host's tables: the inbox of updates, the outbox of messages, due work, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, Integer, SmallInteger, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base
from storage.crypto import EncryptedJSON


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
        Index("ix_outbox_chat", "chat_id", "id"),
        # The claim's chat-order check reads only rows still to go, not a busy group's whole history.
        Index(
            "ix_outbox_pending_chat",
            "chat_id",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
        # The claim takes replies (lane 0) before bulk (lane 1), oldest first in each: rows still to go only.
        # A claim walks it in order and stops at its limit. There is no index of when rows fall due: with
        # one (status, not_before), SQLite (and PostgreSQL on stale statistics) found the due rows by it,
        # checked every one's chat order against all the rows before it, and sorted: a busy group's
        # backlog all due at once made a claim of 0.6 s at 1,200 rows (issue 40, migration 0018).
        Index(
            "ix_outbox_pending_lane",
            "lane",
            "id",
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(10))
    # 0: a reply or notice for a person; 1: bulk (a batch of check-ins) that fills what replies leave.
    lane: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
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


class Lease(Base):
    """A role only one instance may play at a time (polling Telegram): who holds it, and until when. The
    holder renews it every few seconds; when it stops (killed, cut off), another takes it once it ran out."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime]


class SenderShare(Base):
    """Each running instance's part of the bot's one sending rate (Telegram's ~30 a second is the bot's):
    when it was last heard, and by how many instances it divides the rate now (bot/runtime/share.py)."""

    __tablename__ = "senders"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    seen_at: Mapped[datetime]
    share: Mapped[int] = mapped_column(SmallInteger)
