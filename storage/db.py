"""Engines and sessions for SQLite (sandbox, tests) and PostgreSQL (production)."""

from __future__ import annotations

import asyncio
import weakref
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
# The checkpointer of each SQLite engine made with `checkpoints_elsewhere` (storage/checkpoint.py).
_CHECKPOINTERS: weakref.WeakKeyDictionary[AsyncEngine, Checkpointer] = weakref.WeakKeyDictionary()


def make_engine(
    url: str, pool_size: int | None = None, checkpoints_elsewhere: bool = False, **kwargs: Any
) -> AsyncEngine:
    """An async engine. PostgreSQL keeps `pool_size` connections (default 10). SQLite runs on this
    process's event loop thread with exactly one connection, whatever `pool_size` says: SQLite lets one
    connection write at a time, and a second one of the same thread waiting for the lock would block
    the loop that has to finish the first (storage/sqlite_inline.py). `checkpoints_elsewhere`: the
    connection leaves WAL checkpoints to a `storage.checkpoint.Checkpointer` (a long-running process)."""
    if not url.startswith("sqlite"):
        return create_async_engine(url, pool_size=pool_size or POSTGRES_POOL_SIZE, max_overflow=0, **kwargs)
    engine = create_async_engine(inline(url), pool_size=1, max_overflow=0, **kwargs)
    path = make_url(url).database
    elsewhere = checkpoints_elsewhere and path not in (None, "", ":memory:")  # a file's WAL only
    if elsewhere:
        checkpointer = _CHECKPOINTERS[engine] = Checkpointer(str(path))
        checkpointer.start()

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


async def close_engine(engine: AsyncEngine) -> None:
    """Close the engine's connections, and stop its checkpoints (SQLite) first."""
    checkpointer = _CHECKPOINTERS.pop(engine, None)
    if checkpointer is not None:
        await asyncio.to_thread(checkpointer.stop)
    await engine.dispose()


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose rows stay readable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
