"""The tables of regie on residents: the regie (one live per resident, by the blind index), its plan's
lines and its history. Imported by storage/models.py, which names them for everyone else."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.regie import LineStatus, RegieStatus
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
    """One line of a regie's plan: who does what (typed on the region's server, encrypted) by when."""

    __tablename__ = "plan_lines"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    regie_id: Mapped[int] = mapped_column(ForeignKey("regies.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
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


coerce_on_set(Regie.status, RegieStatus)
coerce_on_set(PlanLine.status, LineStatus)
