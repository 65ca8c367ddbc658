"""Rows for integration tests, made the way the application makes them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot.accounts.takedown import TakeDown
from bot.domain.clock import Clock
from bot.domain.region import load_region
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from storage.models import Agreement, CheckIn, Signal, SignalEvent, User
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


async def an_agreement(uow: UnitOfWork, owner: User, now: datetime, **fields: Any) -> Agreement:
    """An active waakvlam kept by `owner`, with one check-in; pass any field to differ."""
    values: dict[str, Any] = {
        "ref": "W-TEST01",
        "resident_ref": "R1",
        "resident_key": "k1",
        "gemeente": "assen",
        "status": "active",
        "version": 0,
        "owner_id": owner.id,
        "rhythm": "d:7",
        "end_on": date(2027, 5, 23),
        "warning_categories": ["nuisance"],
        "warning_signs": "post stapelt zich op",
        "return_desk": "ggd-mzg",
        "no_contact_streak": 0,
        "at_risk": False,
        "created_by": owner.id,
        "created_at": now,
    }
    values.update(fields)
    agreement = await uow.agreements.add(Agreement(**values), owner.id, now)
    await uow.agreements.add_checkin(CheckIn(agreement_id=agreement.id, seq=1, due_at=now, status="planned"))
    return agreement


def take_down(clock: Clock) -> TakeDown:
    """The real take-down of a signal's messages, for the demo region."""
    return TakeDown(load_region(), Translator(load_catalogs()), Messenger(clock))
