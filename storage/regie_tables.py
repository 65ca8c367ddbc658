"""The tables of regie on residents: the regie (one live per resident, by the blind index), its plan's
lines and its history, and escalations up the ladder. Imported by storage/models.py, which names them for everyone else."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.regie import EscalationStatus, LineStatus, RegieStatus
from storage.base import Base
from storage.crypto import EncryptedText
from storage.types import Choice, IsoDate, coerce_on_set


class Regie(Base):
    """Regie on one resident (by the blind index): who directs, who is asked to, who asked."""

    __tablename__ = "regies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    resident_key: Mapped[str] = mapped_column(String(64), index=True)
    gemeente: Mapped[str] = mapped_column(String(60))
    # The signal it was asked from.
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id", ondelete="SET NULL"))
    status: Mapped[RegieStatus] = mapped_column(Choice(RegieStatus, 10))
    version: Mapped[int] = mapped_column(Integer, default=0)
    regisseur_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Asked to direct; the regisseur (or, before there is one, whoever asked) keeps it until they accept.
    asked_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    asked_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    # How it closed (bot/domain/regie.CLOSE_OUTCOMES); four weeks later the regisseur is asked if it held.
    outcome: Mapped[str | None] = mapped_column(String(20))


class PlanLine(Base):
    """One line of a regie's plan: who (a professional, or an organisation until one of it accepts) does what
    (typed on the region's server, encrypted) by when."""

    __tablename__ = "plan_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regie_id: Mapped[int] = mapped_column(ForeignKey("regies.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    # The one who does it; None while it names an organisation (`org`) and nobody of it has accepted yet.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    org: Mapped[str | None] = mapped_column(String(120))
    what: Mapped[str] = mapped_column(EncryptedText)
    due_on: Mapped[date] = mapped_column(IsoDate)
    status: Mapped[LineStatus] = mapped_column(Choice(LineStatus, 10))
    version: Mapped[int] = mapped_column(Integer, default=0)
    reason: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class RegieEvent(Base):
    """The history of a regie: asked, declined (with the reason's code), accepted, a signal linked."""

    __tablename__ = "regie_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regie_id: Mapped[int] = mapped_column(ForeignKey("regies.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(60))


class Escalation(Base):
    """Los op of schaal op: a regie or a signal taken up the gemeente's ladder, rung by rung."""

    __tablename__ = "escalations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True)
    gemeente: Mapped[str] = mapped_column(String(60))
    # What it is about: a regie, or a signal (by code, as shown; by id, to act on).
    subject: Mapped[str] = mapped_column(String(16))
    regie_id: Mapped[int | None] = mapped_column(ForeignKey("regies.id", ondelete="CASCADE"), index=True)
    signal_id: Mapped[int | None] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(EncryptedText, default="")
    rung: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[EscalationStatus] = mapped_column(Choice(EscalationStatus, 10))
    version: Mapped[int] = mapped_column(Integer, default=0)
    # None: raised by the bot itself (a chase nobody answered); the regisseur then hears what happens.
    raised_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raised_at: Mapped[datetime]
    # Until when the rung it is at may decide; then it climbs by itself.
    deadline: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None]
    # Los op: who acts, and the decision (typed on the form); Terug: why (a code).
    acts_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(EncryptedText, default="")
    back_reason: Mapped[str | None] = mapped_column(String(20))


class EscalationStep(Base):
    """An escalation's history, rung by rung: raised, climbed (by hand or by itself), solved, sent back."""

    __tablename__ = "escalation_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id", ondelete="CASCADE"), index=True)
    rung: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(20))


class Reminder(Base):
    """Herinner mij: a reminder someone set on a signal, regie or waakvlam (by code), for themselves or
    their desk, due at a moment. No text: the code says what it is about."""

    __tablename__ = "reminders"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    desk: Mapped[str | None] = mapped_column(String(60))  # for the desk's chat instead of the person
    due_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


coerce_on_set(Regie.status, RegieStatus)
coerce_on_set(Escalation.status, EscalationStatus)
coerce_on_set(PlanLine.status, LineStatus)
