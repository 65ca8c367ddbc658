"""Two desks (or two instances) changing one signal at once: exactly one wins."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Signal
from storage.repositories import StaleState
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.integration.factories import a_filer, a_signal


async def test_a_change_based_on_a_stale_read_is_refused(
    sessions: async_sessionmaker[AsyncSession], other_instance: async_sessionmaker[AsyncSession]
) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await a_signal(uow, await a_filer(uow, now), now, ref="S-RACE01")
        await uow.commit()
    async with UnitOfWork(sessions) as first, UnitOfWork(other_instance) as second:
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
