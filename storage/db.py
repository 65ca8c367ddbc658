"""Engines and sessions for SQLite (sandbox, tests) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from storage.checkpoint import Checkpointer
from storage.sqlite_inline import inline

# Connections kept open per process, and no more. A pool with overflow closes each overflow connection
# when it is returned, so under load connections were opened and closed all the time (on PostgreSQL a
# new server process and every statement prepared again): 153 of them per 1,000 updates (BENCHMARKS.md,
# profile 18). Without overflow, work beyond the pool waits its turn for a connection.
POSTGRES_POOL_SIZE = 10


def make_engine(
    url: str, pool_size: int | None = None, checkpoints_elsewhere: bool = False, **kwargs: Any
) -> AsyncEngine:
    """An async engine. PostgreSQL keeps `pool_size` connections (default 10). SQLite runs on this
    process's event loop thread with exactly one connection, whatever `pool_size` says: SQLite lets one
    connection write at a time, and a second one of the same thread waiting for the lock would block
    the loop that has to finish the first (storage/sqlite_inline.py). `checkpoints_elsewhere`: the
    connection leaves WAL checkpoints to a `storage.checkpoint.Checkpointer` (see `open_database`)."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_size=pool_size or POSTGRES_POOL_SIZE, max_overflow=0, **kwargs)
    engine = create_async_engine(inline(url), pool_size=1, max_overflow=0, **kwargs)
    elsewhere = checkpoints_elsewhere and sqlite_file(url) is not None

    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # Another process (a CLI command, a second instance) holding the write lock: wait up to 30 s.
        cursor.execute("PRAGMA busy_timeout=30000")
        # WAL + NORMAL: a killed process loses nothing committed (only a power cut could lose the
        # last commits), and commits do not wait on fsync.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        if elsewhere:
            cursor.execute("PRAGMA wal_autocheckpoint=0")
        cursor.close()

    return engine


def sqlite_file(url: str) -> str | None:
    """The file of a SQLite database URL; None for PostgreSQL and for SQLite in memory."""
    if not url.startswith("sqlite"):
        return None
    path = make_url(url).database
    return None if path in (None, "", ":memory:") else str(path)


@dataclass
class Database:
    """A long-running process's engine and, for a SQLite file, the thread that copies its WAL back
    (storage/checkpoint.py): the engine's own connection never does."""

    engine: AsyncEngine
    checkpointer: Checkpointer | None = None

    async def close(self) -> None:
        """Stop the checkpoints (SQLite) first, then close the connections."""
        if self.checkpointer is not None:
            await asyncio.to_thread(self.checkpointer.stop)
        await self.engine.dispose()


def open_database(url: str, pool_size: int | None = None) -> Database:
    """The engine of a long-running process (`make_engine`), its checkpoints on a thread of their own."""
    path = sqlite_file(url)
    engine = make_engine(url, pool_size, checkpoints_elsewhere=path is not None)
    checkpointer = None if path is None else Checkpointer(path)
    if checkpointer is not None:
        checkpointer.start()
    return Database(engine, checkpointer)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose rows stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
