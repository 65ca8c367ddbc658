"""Rows for integration tests, made the way the application makes them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from storage.models import Signal, SignalEvent, User
from storage.uow import UnitOfWork


async def a_filer(uow: UnitOfWork, now: datetime, telegram_id: int = 1) -> User:
    return await uow.users.add(
        User(
            telegram_id=telegram_id,
            display_name="W",
            role="veldwerker",
            org="P",
            gemeenten=["assen"],
            created_at=now,
        )
    )


async def a_signal(uow: UnitOfWork, filer: User, now: datetime, **fields: Any) -> Signal:
    """A signal filed by `filer`; pass any field to differ from the plain default."""
    values: dict[str, Any] = {
        "ref": "S-TEST01",
        "filer_id": filer.id,
        "gemeente": "assen",
        "categories": ["other"],
        "resident_ref": "R1",
        "resident_key": "k1",
        "area": "9401",
        "description": "tekst",
        "care_involved": "no",
        "resident_knows": "no",
        "status": "nieuw",
        "version": 0,
        "created_at": now,
    } | fields
    return await uow.signals.add(Signal(**values), [], SignalEvent(at=now, kind="filed"))
