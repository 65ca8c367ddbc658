"""Leases: one row per role that only one instance may hold (the poller), taken by compare-and-set."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.repositories.base import _Repo
from storage.runtime_tables import Lease


class Leases(_Repo):
    async def take(self, name: str, holder: str, now: datetime, until: datetime) -> bool:
        """Take or renew `name` for `holder` until `until`: True when it is this holder's now. It is taken
        only when free (never held, released or run out) or held by this holder already; two instances
        taking at once both run the same compare-and-set, and one wins."""
        renewed = await self.session.execute(
            update(Lease)
            .where(Lease.name == name, (Lease.holder == holder) | (Lease.expires_at < now))
            .values(holder=holder, expires_at=until)
        )
        if renewed.rowcount:  # type: ignore[attr-defined]
            return True
        insert = postgresql.insert if self._postgres else sqlite.insert
        added = await self.session.execute(
            insert(Lease)
            .values(name=name, holder=holder, expires_at=until)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        return bool(added.rowcount)  # type: ignore[attr-defined]

    async def release(self, name: str, holder: str, now: datetime) -> None:
        """Give `name` up at once (stepping back, stopping), so another need not wait for it to run out."""
        await self.session.execute(
            update(Lease).where(Lease.name == name, Lease.holder == holder).values(expires_at=now)
        )

    async def holder(self, name: str, now: datetime) -> str | None:
        """Who holds `name` now (None when nobody does)."""
        return await self.session.scalar(
            select(Lease.holder).where(Lease.name == name, Lease.expires_at >= now)
        )
