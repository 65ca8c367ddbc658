"""The append-only audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from storage.models import (
    AuditEntry,
)
from storage.repositories.base import _Repo


class Audit(_Repo):
    """Append only: there is no update or delete here, and the database refuses them too."""

    async def add(self, entry: AuditEntry) -> None:
        """Add an audit line."""
        self.session.add(entry)
        await self.session.flush()

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
