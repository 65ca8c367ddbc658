"""Regie on residents: who directs, who is asked, the plan, and its history."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Unpack

from sqlalchemy import delete, func, select, update

from bot.domain.regie import LIVE, RegieStatus
from storage.changes import LineChange, RegieChange
from storage.models import PlanLine, Regie, RegieEvent, Reminder, Signal
from storage.repositories.base import StaleState, _Repo


class Regies(_Repo):
    async def add(self, regie: Regie, actor_id: int | None) -> Regie:
        """Store a new regie with its first history event (asked)."""
        self.session.add(regie)
        await self.session.flush()
        await self.event(regie.id, regie.created_at, actor_id, "asked")
        return regie

    async def by_id(self, regie_id: int) -> Regie | None:
        """The regie with this id, if any."""
        return await self.session.get(Regie, regie_id)

    async def by_ids(self, ids: Collection[int]) -> dict[int, Regie]:
        """These regies, by id."""
        if not ids:
            return {}
        rows = await self.session.scalars(select(Regie).where(Regie.id.in_(list(ids))))
        return {r.id: r for r in rows}

    async def by_ref(self, ref: str) -> Regie | None:
        """The regie with this reference (R-…), if any."""
        return await self.session.scalar(select(Regie).where(Regie.ref == ref))

    async def live_of(self, resident_key: str) -> Regie | None:
        """The resident's regie that is asked or running (one at a time), if any."""
        q = select(Regie).where(Regie.resident_key == resident_key, Regie.status.in_(list(LIVE)))
        return await self.session.scalar(q.order_by(Regie.id.desc()).limit(1))

    async def change(self, regie: Regie, **values: Unpack[RegieChange]) -> None:
        """Apply a change unless someone changed the regie since it was read (compare-and-set)."""
        result = await self.session.execute(
            update(Regie)
            .where(Regie.id == regie.id, Regie.version == regie.version)
            .values(version=regie.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(0, regie.id)
        await self.session.refresh(regie)

    async def involving(self, user_id: int) -> list[Regie]:
        """The live regies this person directs or is asked to direct."""
        q = select(Regie).where(
            (Regie.regisseur_id == user_id) | (Regie.asked_id == user_id), Regie.status.in_(list(LIVE))
        )
        return list(await self.session.scalars(q.order_by(Regie.id)))

    async def in_gemeenten(self, gemeenten: Collection[str]) -> list[Regie]:
        """The live regies in these gemeenten, oldest first."""
        q = select(Regie).where(Regie.gemeente.in_(list(gemeenten)), Regie.status.in_(list(LIVE)))
        return list(await self.session.scalars(q.order_by(Regie.id)))

    async def link(self, regie_id: int, signal_ids: Collection[int]) -> None:
        """Tie these signals to the regie (their regisseur hears of them, their summaries name it)."""
        if signal_ids:
            await self.session.execute(
                update(Signal)
                .where(Signal.id.in_(list(signal_ids)))
                .values(regie_id=regie_id)
                .execution_options(synchronize_session="fetch")
            )

    async def event(
        self, regie_id: int, at: datetime, actor_id: int | None, kind: str, note: str | None = None
    ) -> None:
        """Add one event to a regie's history (a note is a code, never typed text)."""
        self.session.add(RegieEvent(regie_id=regie_id, at=at, actor_id=actor_id, kind=kind, note=note))
        await self.session.flush()

    async def events_of(self, regie_id: int) -> list[RegieEvent]:
        """A regie's history, oldest first."""
        q = select(RegieEvent).where(RegieEvent.regie_id == regie_id).order_by(RegieEvent.id)
        return list(await self.session.scalars(q))

    async def add_line(self, line: PlanLine) -> PlanLine:
        """Add a line to a regie's plan, numbered after the last."""
        last = await self.session.scalar(
            select(func.max(PlanLine.seq)).where(PlanLine.regie_id == line.regie_id)
        )
        line.seq = (last or 0) + 1
        self.session.add(line)
        await self.session.flush()
        return line

    async def line(self, line_id: int) -> PlanLine | None:
        """One plan line, if any."""
        return await self.session.get(PlanLine, line_id)

    async def lines_of(self, regie_id: int) -> list[PlanLine]:
        """A regie's plan, in order."""
        q = select(PlanLine).where(PlanLine.regie_id == regie_id).order_by(PlanLine.seq)
        return list(await self.session.scalars(q))

    async def change_line(self, line: PlanLine, **values: Unpack[LineChange]) -> None:
        """Apply a change to a plan line unless someone changed it since it was read (compare-and-set)."""
        result = await self.session.execute(
            update(PlanLine)
            .where(PlanLine.id == line.id, PlanLine.version == line.version)
            .values(version=line.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(0, line.id)
        await self.session.refresh(line)

    async def add_reminder(self, reminder: Reminder) -> Reminder:
        """Store a reminder someone set."""
        self.session.add(reminder)
        await self.session.flush()
        return reminder

    async def reminder(self, reminder_id: int) -> Reminder | None:
        """One reminder, if any."""
        return await self.session.get(Reminder, reminder_id)

    async def reminders_for(self, user_id: int, desk: str | None) -> list[Reminder]:
        """The reminders still to come that this person set, or that are for their desk, soonest first."""
        whose = Reminder.user_id == user_id
        if desk:
            whose = whose | (Reminder.desk == desk)
        q = select(Reminder).where(whose, Reminder.sent_at.is_(None)).order_by(Reminder.due_at, Reminder.id)
        return list(await self.session.scalars(q))

    async def forget_reminders(self, codes: Collection[str]) -> int:
        """Delete the reminders set on these codes (an erasure: nothing points at what is gone)."""
        if not codes:
            return 0
        result = await self.session.execute(delete(Reminder).where(Reminder.code.in_(list(codes))))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def by_resident(self, resident_key: str) -> list[Regie]:
        """Every regie about one resident, for export and erasure."""
        q = select(Regie).where(Regie.resident_key == resident_key).order_by(Regie.id)
        return list(await self.session.scalars(q))

    async def closed_before(self, before: datetime) -> list[Regie]:
        """Regies closed before this moment (the retention purge)."""
        q = select(Regie).where(Regie.status == RegieStatus.CLOSED, Regie.closed_at < before)
        return list(await self.session.scalars(q))

    async def delete(self, ids: list[int]) -> int:
        """Delete regies with their history (ON DELETE CASCADE)."""
        if not ids:
            return 0
        result = await self.session.execute(delete(Regie).where(Regie.id.in_(ids)))
        return int(result.rowcount)  # type: ignore[attr-defined]
