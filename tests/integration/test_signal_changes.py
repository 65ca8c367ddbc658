"""Two desks (or two instances) changing one signal at once: exactly one wins."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import FakeClock
from storage.models import Signal, SignalEvent, User
from storage.repositories import StaleState
from storage.uow import UnitOfWork


async def test_a_change_based_on_a_stale_read_is_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        user = await uow.users.add(
            User(
                telegram_id=1,
                display_name="W",
                role="veldwerker",
                org="P",
                gemeenten=["assen"],
                created_at=now,
            )
        )
        signal = Signal(
            ref="S-RACE01",
            filer_id=user.id,
            gemeente="assen",
            categories=["other"],
            resident_ref="R",
            resident_key="k",
            area="9401",
            description="d",
            care_involved="no",
            resident_knows="no",
            status="nieuw",
            version=0,
            created_at=now,
        )
        await uow.signals.add(signal, [], SignalEvent(at=now, kind="filed"))
        await uow.commit()
    async with UnitOfWork(sessions) as first, UnitOfWork(sessions) as second:
        a = await first.session.scalar(select(Signal))
        b = await second.session.scalar(select(Signal))
        assert a is not None and b is not None and a.version == b.version == 0
        await first.signals.change(a, status="in_behandeling", owner_desk="ggd-mzg")
        await first.commit()
        with pytest.raises(StaleState):
            await second.signals.change(b, status="in_behandeling", owner_desk="veilig-thuis")
        await second.rollback()
    async with UnitOfWork(sessions) as uow:
        final = await uow.session.scalar(select(Signal))
        assert final is not None and (final.owner_desk, final.version) == ("ggd-mzg", 1)
