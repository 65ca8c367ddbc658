"""The tables of samenloop and the routeeroverleg: the keyed pseudonyms of match keys (never the key), and
the overleg in which several desks decide together who takes a signal. Imported by storage/models.py, which
names them for everyone else."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.overleg import OverlegStatus
from storage.base import Base
from storage.crypto import EncryptedText
from storage.types import Choice, coerce_on_set


class MatchKey(Base):
    """A keyed pseudonym of a resident's match key on one signal, regie or waakvlam; gone with it."""

    __tablename__ = "match_keys"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "p1:<key id>:<HMAC-SHA256>" under the newest data key when it was given (storage/crypto.py).
    pseudonym: Mapped[str] = mapped_column(String(90), index=True)
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"))
    regie_id: Mapped[int | None] = mapped_column(ForeignKey("regies.id", ondelete="CASCADE"))
    # The organisation of whoever gave it: a match with the same organisation is no news to anyone.
    org: Mapped[str] = mapped_column(String(120))
    gemeente: Mapped[str] = mapped_column(String(60))
    given_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class Overleg(Base):
    """A routeeroverleg on one signal: the desks taking part, a proposal (route and who leads), a decision."""

    __tablename__ = "overleggen"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    gemeente: Mapped[str] = mapped_column(String(60))
    status: Mapped[OverlegStatus] = mapped_column(Choice(OverlegStatus, 10))
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Why it started: "routing" (more than one desk), "desk" (a desk asked), "samenloop" (a match).
    reason: Mapped[str] = mapped_column(String(12))
    started_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    deadline: Mapped[datetime]
    climbed: Mapped[bool] = mapped_column(Boolean, default=False)
    # The proposal on the table (cleared by a Bezwaar): the route and the desk that leads.
    route: Mapped[str | None] = mapped_column(String(20))
    lead: Mapped[str | None] = mapped_column(String(60))
    proposer_desk: Mapped[str | None] = mapped_column(String(60))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime | None]
    decided_at: Mapped[datetime | None]


class OverlegPart(Base):
    """One desk in a routeeroverleg: whether the resident is in view there, its vote, its card."""

    __tablename__ = "overleg_parts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    overleg_id: Mapped[int] = mapped_column(ForeignKey("overleggen.id", ondelete="CASCADE"), index=True)
    meldpunt_id: Mapped[str] = mapped_column(String(60))
    in_view: Mapped[str | None] = mapped_column(String(10))  # "yes", "no", "earlier"
    vote: Mapped[str | None] = mapped_column(String(10))  # "agree", "object" (on the proposal on the table)
    # Why it objected: typed on the region's server, read privately by the desks taking part.
    note: Mapped[str | None] = mapped_column(EncryptedText)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime | None]
    card_outbox_id: Mapped[int | None] = mapped_column(Integer)


coerce_on_set(Overleg.status, OverlegStatus)


class AdviceQuestion(Base):
    """/advies: a professional asks a desk a question without a resident; the desk answers privately."""

    __tablename__ = "advice_questions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    desk: Mapped[str] = mapped_column(String(60), index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    gemeente: Mapped[str] = mapped_column(String(60))
    # Typed on the region's server (no names, no addresses: the guard runs on it), encrypted at rest.
    question: Mapped[str] = mapped_column(EncryptedText)
    answer: Mapped[str | None] = mapped_column(EncryptedText)
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    card_outbox_id: Mapped[int | None] = mapped_column(Integer)  # the desk's message, edited when answered
    # The signal it became, if either side turned it into one.
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id", ondelete="SET NULL"))
