"""The audit trail: who did what and when. Details name fields and references, never their contents."""

from __future__ import annotations

from typing import Any

from bot.domain.clock import Clock
from storage.models import AuditEntry, User
from storage.ports import Work


async def record(
    uow: Work,
    clock: Clock,
    action: str,
    *,
    actor: User | None = None,
    telegram_id: int | None = None,
    subject: str | None = None,
    **detail: Any,
) -> None:
    """Append one entry to the audit log, in the caller's unit of work."""
    await uow.audit.add(
        AuditEntry(
            at=clock.now(),
            actor_user_id=actor.id if actor else None,
            actor_telegram_id=actor.telegram_id if actor else telegram_id,
            action=action,
            subject=subject,
            detail=detail,
        )
    )
