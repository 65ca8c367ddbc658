"""The connection pool: a fixed set of connections, opened once and kept, however much work runs at once."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import event, func, select

from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.models import InboxUpdate
from storage.uow import UnitOfWork
from tests.clock import FakeClock


async def test_more_work_than_connections_waits_its_turn_instead_of_opening_and_closing_them(
    database_url: str,
) -> None:
    await upgrade_async(database_url)
    engine = make_engine(database_url, pool_size=3)
    opened: list[Any] = []
    closed: list[Any] = []
    event.listen(engine.sync_engine, "connect", lambda conn, _record: opened.append(conn))
    event.listen(engine.sync_engine.pool, "close", lambda conn, _record: closed.append(conn))
    sessions = make_sessionmaker(engine)
    now = FakeClock().now()

    async def unit(update_id: int) -> None:
        async with UnitOfWork(sessions) as uow:
            uow.session.add(InboxUpdate(update_id=update_id, chat_id=5, payload={}, received_at=now))
            await uow.session.flush()
            await asyncio.sleep(0.001)  # hold the connection (on SQLite the write lock) while the others ask
            await uow.commit()

    try:
        await asyncio.gather(*(unit(i) for i in range(40)))
        async with sessions() as session:
            stored = await session.scalar(select(func.count()).select_from(InboxUpdate))
        closed_while_working = list(closed)
    finally:
        await engine.dispose()
    assert stored == 40  # nothing failed for want of a connection
    assert 1 <= len(opened) <= (1 if database_url.startswith("sqlite") else 3)
    assert closed_while_working == []  # before: every connection past the pool was closed on its return


def test_postgres_keeps_ten_connections_or_as_set_and_sqlite_exactly_one() -> None:
    postgres = "postgresql+asyncpg://postgres@127.0.0.1:1/waakvlam"
    assert make_engine(postgres).pool.size() == 10  # type: ignore[attr-defined]
    assert make_engine(postgres, 4).pool.size() == 4  # type: ignore[attr-defined]
    for size in (None, 5):
        engine = make_engine("sqlite:///pool.db", size)
        assert engine.pool.size() == 1  # type: ignore[attr-defined]
        assert engine.dialect.driver == "inline"  # on this thread, not aiosqlite's
    for url in (postgres, "sqlite:///pool.db"):
        assert make_engine(url).pool._max_overflow == 0  # type: ignore[attr-defined]
