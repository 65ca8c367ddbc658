"""Leases: one row per role that only one instance may hold (the poller), taken by compare-and-set; and each
running instance's part of the bot's sending rate."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from storage.repositories.base import _Repo
from storage.runtime_tables import Lease, SenderShare


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


class Senders(_Repo):
    async def beat(self, name: str, now: datetime, gone_before: datetime) -> tuple[int, dict[str, int]]:
        """Forget instances not heard since `gone_before`; say this one is here, dividing the rate by the
        number of instances heard (this one included); return that number, and the others with theirs.
        On PostgreSQL two beats take turns (a lock held to the commit): two instances starting at the same
        moment would otherwise each miss the other and both take the whole rate. A SQLite file serves one
        instance (`waakvlam check-config`): any other row is a killed predecessor's, forgotten at once."""
        if self._postgres:
            await self.session.execute(text("LOCK TABLE senders IN SHARE ROW EXCLUSIVE MODE"))
            gone = SenderShare.seen_at < gone_before
        else:
            gone = SenderShare.name != name
        await self.session.execute(delete(SenderShare).where(gone))
        rows = await self.session.execute(
            select(SenderShare.name, SenderShare.share).where(SenderShare.name != name)
        )
        others = {other: share for other, share in rows}
        count = len(others) + 1
        insert = postgresql.insert if self._postgres else sqlite.insert
        await self.session.execute(
            insert(SenderShare)
            .values(name=name, seen_at=now, share=count)
            .on_conflict_do_update(index_elements=["name"], set_={"seen_at": now, "share": count})
        )
        return count, others

    async def leave(self, name: str) -> None:
        """This instance stops sending: the others may share the rate without it at once."""
        await self.session.execute(delete(SenderShare).where(SenderShare.name == name))
