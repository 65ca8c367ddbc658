"""SQLite's WAL checkpoints run on a thread of their own (storage/checkpoint.py): the bot's connection,
on the event loop's thread, never copies the log back or waits on an fsync in a commit."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy import text

from storage.checkpoint import Checkpointer
from storage.db import make_engine, open_database

FIFTY_PAGES = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50) "
    "INSERT INTO filler (data) SELECT randomblob(4000) FROM n"
)


async def _write_pages(url: str, checkpoints_elsewhere: bool) -> tuple[int, int]:
    """Write some 1,500 pages through an engine; its autocheckpoint setting and the log's size in frames."""
    engine = make_engine(url, checkpoints_elsewhere=checkpoints_elsewhere)
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE IF NOT EXISTS filler (id INTEGER PRIMARY KEY, data BLOB)"))
    for _ in range(30):
        async with engine.begin() as conn:
            await conn.execute(text(FIFTY_PAGES))
    async with engine.connect() as conn:
        autocheckpoint = (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one()
        logged = (await conn.execute(text("PRAGMA wal_checkpoint(NOOP)"))).one()[1]
    await engine.dispose()
    return int(autocheckpoint), int(logged)


async def test_the_bots_connection_leaves_checkpoints_to_their_own_thread(tmp_path: Path) -> None:
    # As SQLite does by default: a commit past 1,000 pages copies the log back itself, and the log
    # starts again from its beginning.
    autocheckpoint, logged = await _write_pages(f"sqlite+aiosqlite:///{tmp_path}/plain.db", False)
    assert autocheckpoint == 1000 and logged < 1000
    # The bot's engine: its commits leave the log growing; the checkpointer's thread copies it back.
    path = tmp_path / "bot.db"
    autocheckpoint, logged = await _write_pages(f"sqlite+aiosqlite:///{path}", True)
    assert autocheckpoint == 0 and logged > 1500
    checkpointer = Checkpointer(str(path), every=0.01)
    checkpointer.start()
    try:
        assert await asyncio.to_thread(checkpointer.copied.wait, 10)
    finally:
        checkpointer.stop()
    with sqlite3.connect(path) as conn:
        busy, log, copied = conn.execute("PRAGMA wal_checkpoint(NOOP)").fetchone()
    assert busy == 0 and copied == log


async def test_a_checkpointer_pointed_at_no_database_creates_none(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    checkpointer = Checkpointer(str(missing), every=0.01)
    checkpointer.start()
    checkpointer.stop()
    assert not missing.exists()


async def test_a_long_running_process_checkpoints_a_sqlite_file_and_stops_on_close(tmp_path: Path) -> None:
    path = tmp_path / "bot.db"
    sqlite3.connect(path).close()
    database = open_database(f"sqlite+aiosqlite:///{path}")
    assert database.checkpointer is not None and database.checkpointer.running
    async with database.engine.connect() as conn:
        assert (await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one() == 0
    await database.close()
    assert not database.checkpointer.running  # stopped, joined
    # In memory there is no log to copy back, and no thread.
    memory = open_database("sqlite+aiosqlite://")
    assert memory.checkpointer is None
    await memory.close()
