"""Waakvlam agreements, their check-ins and their history."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Unpack

from sqlalchemy import delete, func, select, update

from bot.domain.agreements import AgreementStatus, CheckInStatus
from storage.changes import AgreementChange
from storage.models import Agreement, AgreementEvent, CheckIn
from storage.repositories.base import StaleState, _Repo


class Agreements(_Repo):
    async def add(self, agreement: Agreement, actor_id: int | None, at: datetime) -> Agreement:
        """Store a new agreement with its first history event (set up)."""
        self.session.add(agreement)
        await self.session.flush()
        await self.event(agreement.id, at, actor_id, "set_up")
        return agreement

    async def by_id(self, agreement_id: int) -> Agreement | None:
        """The agreement with this id, if any."""
        return await self.session.get(Agreement, agreement_id)

    async def by_ref(self, ref: str) -> Agreement | None:
        """The agreement with this reference (W-…), if any."""
        return await self.session.scalar(select(Agreement).where(Agreement.ref == ref))

    async def of_signal(self, signal_id: int) -> Agreement | None:
        """The latest agreement that follows up this signal, if any."""
        q = select(Agreement).where(Agreement.signal_id == signal_id).order_by(Agreement.id.desc())
        return await self.session.scalar(q.limit(1))

    async def change(self, agreement: Agreement, **values: Unpack[AgreementChange]) -> None:
        """Apply a change unless someone changed the agreement since it was read (compare-and-set)."""
        result = await self.session.execute(
            update(Agreement)
            .where(Agreement.id == agreement.id, Agreement.version == agreement.version)
            .values(version=agreement.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(0, agreement.id)
        await self.session.refresh(agreement)

    async def in_gemeenten(self, gemeenten: Collection[str], statuses: Collection[str]) -> list[Agreement]:
        """The agreements in these gemeenten and states, the soonest-ending first."""
        q = (
            select(Agreement)
            .where(Agreement.gemeente.in_(list(gemeenten)), Agreement.status.in_(list(statuses)))
            .order_by(Agreement.end_on, Agreement.id)
        )
        return list(await self.session.scalars(q))

    async def held_by(self, user_id: int, statuses: Collection[str]) -> list[Agreement]:
        """Agreements this person keeps, or is asked to take on."""
        q = select(Agreement).where(
            (Agreement.owner_id == user_id) | (Agreement.proposed_owner_id == user_id),
            Agreement.status.in_(list(statuses)),
        )
        return list(await self.session.scalars(q.order_by(Agreement.id)))

    async def by_resident(self, resident_key: str) -> list[Agreement]:
        """Every agreement about one resident (by the blind index), for export and erasure."""
        q = select(Agreement).where(Agreement.resident_key == resident_key).order_by(Agreement.id)
        return list(await self.session.scalars(q))

    async def delete(self, ids: list[int]) -> int:
        """Delete agreements; their check-ins and history go with them (ON DELETE CASCADE)."""
        if not ids:
            return 0
        result = await self.session.execute(delete(Agreement).where(Agreement.id.in_(ids)))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def purge_ended(self, before: datetime, dry_run: bool) -> int:
        """Delete (or, dry, count) the agreements that ended before `before`."""
        where = (Agreement.status == AgreementStatus.ENDED, Agreement.ended_at < before)
        if dry_run:
            return int(await self.session.scalar(select(func.count(Agreement.id)).where(*where)) or 0)
        result = await self.session.execute(delete(Agreement).where(*where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def event(
        self, agreement_id: int, at: datetime, actor_id: int | None, kind: str, note: str | None = None
    ) -> None:
        """Add a line to an agreement's history."""
        self.session.add(
            AgreementEvent(agreement_id=agreement_id, at=at, actor_id=actor_id, kind=kind, note=note)
        )
        await self.session.flush()

    async def events_of(self, agreement_id: int) -> list[AgreementEvent]:
        """An agreement's history, oldest first."""
        q = select(AgreementEvent).where(AgreementEvent.agreement_id == agreement_id)
        return list(await self.session.scalars(q.order_by(AgreementEvent.at, AgreementEvent.id)))

    async def add_checkin(self, checkin: CheckIn) -> CheckIn:
        """Store one planned check-in."""
        self.session.add(checkin)
        await self.session.flush()
        return checkin

    async def add_checkins(self, checkins: list[CheckIn]) -> None:
        """Add many check-ins at once (a batch's following ones); their ids are set when this returns."""
        self.session.add_all(checkins)
        await self.session.flush()

    async def checkin(self, checkin_id: int) -> CheckIn | None:
        """The check-in with this id, if any."""
        return await self.session.get(CheckIn, checkin_id)

    async def checkins_by_ids(self, ids: Collection[int]) -> list[CheckIn]:
        """These check-ins, in id order (a due batch)."""
        return list(
            await self.session.scalars(select(CheckIn).where(CheckIn.id.in_(list(ids))).order_by(CheckIn.id))
        )

    async def by_ids(self, ids: Collection[int]) -> dict[int, Agreement]:
        """These agreements, by id."""
        rows = await self.session.scalars(select(Agreement).where(Agreement.id.in_(list(ids))))
        return {a.id: a for a in rows}

    async def last_seqs(self, agreement_ids: Collection[int]) -> dict[int, int]:
        """The highest check-in number of each of these agreements."""
        q = (
            select(CheckIn.agreement_id, func.max(CheckIn.seq))
            .where(CheckIn.agreement_id.in_(list(agreement_ids)))
            .group_by(CheckIn.agreement_id)
        )
        return {a: int(n or 0) for a, n in (await self.session.execute(q)).all()}

    async def next_due(
        self, agreement_ids: Collection[int], statuses: Collection[str]
    ) -> dict[int, datetime]:
        """The earliest check-in in `statuses` of each agreement that has one, in one query."""
        q = select(CheckIn.agreement_id, CheckIn.due_at).where(
            CheckIn.agreement_id.in_(list(agreement_ids)), CheckIn.status.in_(list(statuses))
        )
        found: dict[int, datetime] = {}
        for agreement_id, due in (await self.session.execute(q)).all():
            if agreement_id not in found or due < found[agreement_id]:
                found[agreement_id] = due
        return found

    async def checkins_of(self, agreement_id: int) -> list[CheckIn]:
        """An agreement's check-ins, in order."""
        q = select(CheckIn).where(CheckIn.agreement_id == agreement_id).order_by(CheckIn.seq)
        return list(await self.session.scalars(q))

    async def last_seq(self, agreement_id: int) -> int:
        """The highest check-in number of one agreement (0 before the first)."""
        q = select(func.max(CheckIn.seq)).where(CheckIn.agreement_id == agreement_id)
        return int(await self.session.scalar(q) or 0)

    async def answer(
        self, checkin: CheckIn, answer: str, by: int, at: datetime, open_: Collection[str]
    ) -> bool:
        """Record an answer once: a double tap or a second device finds it already answered."""
        result = await self.session.execute(
            update(CheckIn)
            .where(CheckIn.id == checkin.id, CheckIn.status.in_(list(open_)))
            .values(status=CheckInStatus.ANSWERED, answer=answer, answered_by=by, answered_at=at)
            .execution_options(synchronize_session=False)
        )
        await self.session.refresh(checkin)
        return bool(result.rowcount)  # type: ignore[attr-defined]
