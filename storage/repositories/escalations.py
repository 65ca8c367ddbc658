"""Escalations up a gemeente's ladder and their steps."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Unpack

from sqlalchemy import select, update

from bot.domain.regie import EscalationStatus, Step
from storage.changes import EscalationChange
from storage.models import Escalation, EscalationStep
from storage.repositories.base import StaleState, _Repo


class Escalations(_Repo):
    async def add(self, escalation: Escalation) -> Escalation:
        """Store a new escalation with its first step (raised)."""
        self.session.add(escalation)
        await self.session.flush()
        await self.step(escalation.id, 0, escalation.raised_at, escalation.raised_by, Step.RAISED)
        return escalation

    async def by_id(self, escalation_id: int) -> Escalation | None:
        """The escalation with this id, if any."""
        return await self.session.get(Escalation, escalation_id)

    async def by_ref(self, ref: str) -> Escalation | None:
        """The escalation with this code (E-…), if any."""
        return await self.session.scalar(select(Escalation).where(Escalation.ref == ref))

    async def open_about(self, subject: str) -> Escalation | None:
        """The open escalation about this regie or signal (by code), if any."""
        q = select(Escalation).where(
            Escalation.subject == subject, Escalation.status == EscalationStatus.OPEN
        )
        return await self.session.scalar(q.limit(1))

    async def in_gemeenten(self, gemeenten: Collection[str]) -> list[Escalation]:
        """Every escalation in these gemeenten (open and decided), oldest first."""
        q = select(Escalation).where(Escalation.gemeente.in_(list(gemeenten))).order_by(Escalation.id)
        return list(await self.session.scalars(q))

    async def change(self, escalation: Escalation, **values: Unpack[EscalationChange]) -> None:
        """Apply a change unless someone changed the escalation since it was read (compare-and-set)."""
        result = await self.session.execute(
            update(Escalation)
            .where(Escalation.id == escalation.id, Escalation.version == escalation.version)
            .values(version=escalation.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(0, escalation.id)
        await self.session.refresh(escalation)

    async def step(
        self, escalation_id: int, rung: int, at: datetime, actor_id: int | None, kind: Step
    ) -> None:
        """Add a step to an escalation's history."""
        self.session.add(
            EscalationStep(escalation_id=escalation_id, rung=rung, at=at, actor_id=actor_id, kind=kind)
        )
        await self.session.flush()

    async def steps_of(self, escalation_id: int) -> list[EscalationStep]:
        """An escalation's history, oldest first."""
        q = (
            select(EscalationStep)
            .where(EscalationStep.escalation_id == escalation_id)
            .order_by(EscalationStep.id)
        )
        return list(await self.session.scalars(q))
