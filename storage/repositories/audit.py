"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, func, select

from storage.direct import Direct
from storage.models import (
    AuditEntry,
)
from storage.repositories.base import _Repo

AUDIT = cast(Table, AuditEntry.__table__)
_FIELDS = ("at", "actor_user_id", "actor_telegram_id", "action", "subject", "detail")
# Nearly every form sent and many updates add a line: one INSERT on the driver's connection, not an ORM
# flush of one object (storage/direct.py).
AUDIT_ADD = Direct(AUDIT.insert().values({f: bindparam(f) for f in _FIELDS}))


class Audit(_Repo):
    """Append only: there is no update or delete here, and the database refuses them too."""

    async def add(self, entry: AuditEntry) -> None:
        """Add an audit line (the entry itself stays out of the session)."""
        await AUDIT_ADD.count(self.session, {f: getattr(entry, f) for f in _FIELDS})

    async def count(self, telegram_id: int, action: str, since: datetime) -> int:
        """How often this person did `action` since `since`."""
        q = select(func.count(AuditEntry.id)).where(
            AuditEntry.actor_telegram_id == telegram_id, AuditEntry.action == action, AuditEntry.at >= since
        )
        return int(await self.session.scalar(q) or 0)

    async def query(
        self,
        telegram_id: int | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        """The audit lines matching who, what and when, oldest first."""
        q = select(AuditEntry)
        if telegram_id is not None:
            q = q.where(AuditEntry.actor_telegram_id == telegram_id)
        if subject is not None:
            q = q.where(AuditEntry.subject == subject)
        if since is not None:
            q = q.where(AuditEntry.at >= since)
        if until is not None:
            q = q.where(AuditEntry.at < until)
        return list(await self.session.scalars(q.order_by(AuditEntry.id).limit(limit)))
