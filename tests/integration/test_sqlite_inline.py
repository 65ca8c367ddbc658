"""SQLite runs on the event loop's thread, through one connection per process (storage/sqlite_inline.py).
Units of work taking turns on that one connection while each holds the write lock: test_pool.py."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from sqlalchemy import event, func, select, text

from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.models import InboxUpdate
from storage.uow import UnitOfWork
from tests.clock import FakeClock


async def _migrated(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'inline.db'}"
    await upgrade_async(url)
    return url


async def test_statements_run_on_the_loops_thread_and_start_no_threads(tmp_path: Path) -> None:
    engine = make_engine(await _migrated(tmp_path))
    threads: set[int] = set()

    @event.listens_for(engine.sync_engine, "connect")
    def _record(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        dbapi_conn.create_function("whose", 0, lambda: threads.add(threading.get_ident()) or 1)

    before = threading.active_count()
    try:
        sessions = make_sessionmaker(engine)
        for update_id in range(20):
            async with UnitOfWork(sessions) as uow:
                await uow.inbox.receive(update_id, {"update_id": update_id}, FakeClock().now())
                await uow.session.execute(text("select whose()"))
                await uow.commit()
        during = threading.active_count()
    finally:
        await engine.dispose()
    assert threads == {threading.get_ident()}  # aiosqlite ran every connection in a thread of its own
    assert during == before


async def test_the_async_engine_api_works_as_with_any_async_driver(tmp_path: Path) -> None:
    """SQLAlchemy's AsyncConnection insists that a statement awaited something; this driver passes."""
    engine = make_engine(await _migrated(tmp_path))
    try:
        async with engine.begin() as conn:
            await conn.exec_driver_sql(
                "insert into inbox (update_id, payload, received_at) values (1, '{}', '2026-01-01')"
            )
            assert await conn.scalar(select(func.count()).select_from(InboxUpdate)) == 1
        async with engine.connect() as conn:
            rows = (await conn.execute(text("select update_id from inbox"))).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in rows] == [(1,)]


async def test_a_write_waits_for_another_process_holding_the_lock_then_goes_through(tmp_path: Path) -> None:
    url = await _migrated(tmp_path)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    locked, release = threading.Event(), threading.Event()

    def other_process() -> None:  # a CLI command writing to the same file, in a thread of its own here
        conn = sqlite3.connect(tmp_path / "inline.db", isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("insert into inbox (update_id, payload, received_at) values (1, '{}', '2026-01-01')")
        locked.set()
        release.wait(5)
        conn.execute("COMMIT")
        conn.close()

    holder = threading.Thread(target=other_process)
    holder.start()
    locked.wait(5)
    threading.Timer(0.3, release.set).start()
    started = time.monotonic()
    try:
        async with UnitOfWork(sessions) as uow:
            await uow.inbox.receive(2, {}, FakeClock().now())
            await uow.commit()
        waited = time.monotonic() - started
        async with sessions() as session:
            ids = list(await session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.update_id)))
    finally:
        holder.join()
        await engine.dispose()
    assert ids == [1, 2]
    assert waited >= 0.25  # it waited in SQLite's busy handler rather than failing
