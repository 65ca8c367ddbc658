"""SQLite for the async engine without a thread per connection: statements run on the event loop's thread.

aiosqlite runs each connection in a thread and hands every call over and back (a cursor, an execute, a
fetch and a close per statement), waking the loop each time. Under load those hand-offs were most of
the bot's time on SQLite (BENCHMARKS.md, profile 20), while SQLite's own work per statement is a few
microseconds on small indexed rows. This dialect calls Python's sqlite3 directly from SQLAlchemy's
greenlet instead, so a statement costs a function call.

A statement that waits for SQLite's write lock would hold up the whole loop, and a connection waiting
for another connection of the same process would never get it. So a process keeps **one** connection
(`make_engine` sizes the pool): work that needs it waits for it in asyncio, and its transactions,
which do nothing but database work, run one after the other. Another process (a CLI purge, a second
instance) holding the lock delays this one by that transaction, as SQLite's busy timeout allows, and a
long statement (a purge of many rows) holds the loop while it runs: SQLite is for the sandbox, tests and
small set-ups; a region runs on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import pool
from sqlalchemy.dialects import registry
from sqlalchemy.dialects.sqlite.pysqlite import SQLiteDialect_pysqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.util import await_

DRIVER = "sqlite+inline"


class _Cursor(sqlite3.Cursor):
    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio layer lets an async driver close a cursor early here. Its rows are read
        on this thread whenever the result asks for them, so there is nothing to do."""


class _Connection(sqlite3.Connection):
    def cursor(self, factory: Any = _Cursor) -> Any:
        return super().cursor(factory)


class InlineSQLiteDialect(SQLiteDialect_pysqlite):
    """pysqlite, declared async: SQLAlchemy's asyncio layer calls it from its greenlet on the loop."""

    driver = "inline"
    is_async = True
    supports_statement_cache = True

    @classmethod
    def get_pool_class(cls, url: URL) -> type[pool.Pool]:
        # Waiting for a connection must yield to the loop, never block the thread.
        """A pool that waits on the loop, never blocking the thread."""
        return pool.AsyncAdaptedQueuePool

    def connect(self, *cargs: Any, **cparams: Any) -> Any:
        """Connect with our connection class (statements run inline)."""
        return super().connect(*cargs, factory=_Connection, **cparams)

    # AsyncConnection.execute insists that a statement awaited something (a sync driver slipped in by
    # mistake would block the loop). This one blocks by design: pass through the loop's side once.
    def do_execute(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        """Run a statement inline, after one pass through the loop."""
        await_(_nothing())
        super().do_execute(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]

    def do_executemany(self, cursor: Any, statement: Any, parameters: Any, context: Any = None) -> None:
        """Run a statement for many rows inline, after one pass through the loop."""
        await_(_nothing())
        super().do_executemany(cursor, statement, parameters, context)  # type: ignore[no-untyped-call]

    def do_execute_no_params(self, cursor: Any, statement: Any, context: Any = None) -> None:
        """Run a statement without parameters inline, after one pass through the loop."""
        await_(_nothing())
        super().do_execute_no_params(cursor, statement, context)  # type: ignore[no-untyped-call]


async def _nothing() -> None:
    return None


registry.register("sqlite.inline", __name__, "InlineSQLiteDialect")


def inline(url: str) -> URL:
    """The same SQLite database on this dialect (any `sqlite+driver://` URL)."""
    return make_url(url).set(drivername=DRIVER)
