"""Engines and sessions for SQLite (sandbox, tests) and PostgreSQL (production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

# Connections kept open per process, and no more. A pool with overflow closes each overflow connection
# when it is returned, so under load connections were opened and closed all the time (on SQLite a new
# thread and four PRAGMAs each, on PostgreSQL a new server process and every statement prepared again):
# 196 of them per 1,000 updates on SQLite, 153 on PostgreSQL (BENCHMARKS.md, profile 18). Without overflow, work beyond the pool waits its turn for a connection.
# SQLite lets one connection write at a time, and more connections only wait in its busy handler (1,000
# updates: 3.1 ms each with 5 connections, 9.4 ms with 20); PostgreSQL runs them side by side.
POOL_SIZE = {"sqlite": 5, "postgresql": 10}


def make_engine(url: str, pool_size: int | None = None, **kwargs: Any) -> AsyncEngine:
    """Create an async engine; SQLite gets WAL and a busy timeout so the sender and handlers share it."""
    kind = "sqlite" if url.startswith("sqlite") else "postgresql"
    pool = {"pool_size": pool_size or POOL_SIZE[kind], "max_overflow": 0}
    if kind == "sqlite":
        engine = create_async_engine(url, connect_args={"timeout": 30}, **pool, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            # WAL + NORMAL: a killed process loses nothing committed (only a power cut could lose the
            # last commits), and commits stop waiting on fsync, so "sent" marks keep up with sending.
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    return create_async_engine(url, **pool, **kwargs)


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def is_postgres(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "postgresql"
