"""The audit log is append-only on every database kind, and queryable by user, subject and period."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.audit import record
from storage.uow import UnitOfWork
from tests.clock import FakeClock


async def test_entries_can_be_added_but_never_changed(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    async with UnitOfWork(sessions) as uow:
        await uow.session.execute(text("select 1"))  # on PostgreSQL the line then goes on asyncpg itself
        await record(
            uow, clock, "registered", telegram_id=5, subject="user:1", role="veld", gemeenten=["Assen"]
        )
        await uow.commit()
    for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        async with UnitOfWork(sessions) as uow:
            with pytest.raises(DBAPIError, match="append-only"):
                await uow.session.execute(text(statement))
    async with UnitOfWork(sessions) as uow:
        [entry] = await uow.audit.query()
    assert (entry.action, entry.subject, entry.actor_telegram_id) == ("registered", "user:1", 5)
    assert entry.detail == {"role": "veld", "gemeenten": ["Assen"]} and entry.at == clock.now()


async def test_queries_by_subject_and_period(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    async with UnitOfWork(sessions) as uow:
        await record(uow, clock, "signal_filed", telegram_id=5, subject="S-AAAAAA")
        clock.advance(timedelta(days=2))
        await record(uow, clock, "signal_filed", telegram_id=5, subject="S-BBBBBB")
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        assert [a.subject for a in await uow.audit.query(subject="S-BBBBBB")] == ["S-BBBBBB"]
        recent = await uow.audit.query(since=clock.now() - timedelta(days=1))
        assert [a.subject for a in recent] == ["S-BBBBBB"]
        assert await uow.audit.count(5, "signal_filed", clock.now() - timedelta(days=3)) == 2
