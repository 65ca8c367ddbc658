"""Work that falls due at a time, leased with a compare-and-set."""

from __future__ import annotations

import secrets
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.jobs import Job
from storage.direct import Direct
from storage.models import DueWork
from storage.repositories.base import _Repo


def _plan(insert: Any) -> Any:
    """Plan one piece of work (`kind`, `key`, `due_at`, `payload` bound); a key planned before is ignored."""
    values: dict[str, Any] = {c: bindparam(c) for c in ("kind", "key", "due_at", "payload")}
    return (
        insert(DUE)
        .values({**values, "status": "pending", "attempts": 0})
        .on_conflict_do_nothing(index_elements=["key"])
    )


DUE = cast(Table, DueWork.__table__)
# On the driver's connection: the ORM's multi-row INSERT, compiled for its number of rows, cost ~0.9 ms of
# every signal filed (bench.sql_costs).
DUE_PLAN = Direct(_plan(sqlite_insert), postgresql=_plan(pg_insert))


class Due(_Repo):
    async def plan(self, job: Job, due_at: datetime, suffix: str = "") -> None:
        """Plan work once: a second plan with the same key is ignored (a suffix makes a planned job new)."""
        await self.plan_many([(job, due_at)], suffix)

    async def plan_many(self, rows: list[tuple[Job, datetime]], suffix: str = "") -> None:
        """Plan many pieces of work in one round (an executemany); keys planned before are ignored."""
        if not rows:
            return
        values = [
            {"kind": job.kind, "key": job.key(suffix), "due_at": at, "payload": job.payload()}
            for job, at in rows
        ]
        await DUE_PLAN.many(self.session, values)

    async def claim(
        self, now: datetime, lease: timedelta, limit: int, without: Collection[str] = ()
    ) -> list[DueWork]:
        """Lease due rows (not of the kinds `without`) with a compare-and-set; a row leased by a crashed
        instance comes back after its lease."""
        token = secrets.token_hex(8)
        free = or_(DueWork.claimed_until.is_(None), DueWork.claimed_until < now)
        candidates = (
            select(DueWork.id)
            .where(DueWork.status == "pending", DueWork.due_at <= now, free)
            .order_by(DueWork.due_at, DueWork.id)
            .limit(limit)
        )
        if without:
            candidates = candidates.where(DueWork.kind.not_in(list(without)))
        if self._postgres:
            # Locked once, in a CTE PostgreSQL must materialise: as a plain `IN (subquery)` the planner may
            # run the subquery again for each row it updates, and each run skips the rows just claimed and
            # returns the next ones, so a claim of 25 took every due row (100 of 100 in the test; with a
            # burst of check-ins, all of them in one unit of work that outlived its lease).
            chosen = (
                candidates.with_for_update(skip_locked=True)
                .cte("chosen")
                .prefix_with("MATERIALIZED", dialect="postgresql")
            )
            ids: Any = select(chosen.c.id)
        else:
            ids = candidates.scalar_subquery()
        await self.session.execute(
            update(DueWork)
            .where(DueWork.id.in_(ids), DueWork.status == "pending", free)
            .values(claimed_until=now + lease, claim_token=token, attempts=DueWork.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return list(await self.session.scalars(select(DueWork).where(DueWork.claim_token == token)))

    async def done(self, row_id: int, token: str, now: datetime) -> bool:
        """Mark done if this claimer still holds the lease; false when another took it over."""
        result = await self.session.execute(
            update(DueWork)
            .where(DueWork.id == row_id, DueWork.claim_token == token, DueWork.status == "pending")
            .values(status="done", done_at=now, claimed_until=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def done_many(self, row_ids: list[int], token: str, now: datetime) -> bool:
        """Mark a batch done if this claimer still holds every row's lease."""
        result = await self.session.execute(
            update(DueWork)
            .where(DueWork.id.in_(row_ids), DueWork.claim_token == token, DueWork.status == "pending")
            .values(status="done", done_at=now, claimed_until=None)
        )
        return bool(result.rowcount == len(row_ids))  # type: ignore[attr-defined]

    async def release(self, row_id: int, token: str) -> None:
        """Give a claimed row back at once (its work hit a conflict and was rolled back)."""
        await self.session.execute(
            update(DueWork)
            .where(DueWork.id == row_id, DueWork.claim_token == token, DueWork.status == "pending")
            .values(claimed_until=None, claim_token=None)
        )

    async def last_done(self, key_prefix: str) -> datetime | None:
        """When the latest finished row with this key prefix fell due (e.g. a desk's previous digest)."""
        q = select(func.max(DueWork.due_at)).where(
            DueWork.key.startswith(key_prefix), DueWork.status == "done"
        )
        return await self.session.scalar(q)

    async def pending(self, kind: str | None = None) -> list[DueWork]:
        """The work not done yet (of one kind, if given), soonest first."""
        q = select(DueWork).where(DueWork.status == "pending")
        if kind:
            q = q.where(DueWork.kind == kind)
        return list(await self.session.scalars(q.order_by(DueWork.due_at)))

    async def oldest_overdue(self, now: datetime) -> datetime | None:
        """When the longest-waiting work that is due now fell due (None: nothing is late)."""
        q = select(func.min(DueWork.due_at)).where(DueWork.status == "pending", DueWork.due_at <= now)
        return await self.session.scalar(q)
