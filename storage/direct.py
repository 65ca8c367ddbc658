"""The few statements every update runs, executed on the session's own SQLite connection.

SQLAlchemy still compiles each statement (once) and its column types still turn values into what is
stored (UTC datetimes, encrypted JSON, scalar column defaults); only its per-call execution machinery is
skipped: an execution context, events and a result object, some 60-90 µs a statement against SQLite's
own 5-30 µs (BENCHMARKS.md, profile 22). The statement runs in the session's transaction on the one
connection the session holds (`session.connection()`): SQLite begins the transaction before the first
write, and the session's commit or rollback ends it.

On PostgreSQL a `Direct` statement goes through the session's connection as any other.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

Processor = Callable[[Any], Any] | None


class _Plan:
    """One statement compiled for SQLite: its SQL, and how named values become its positional ones."""

    def __init__(self, stmt: UpdateBase, dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        processors = {name: bind.type.bind_processor(dialect) for name, bind in compiled.binds.items()}
        # Python-side scalar defaults of an INSERT (status "pending", attempts 0): SQLAlchemy fills
        # these in per execution, so they are positions of the compiled statement too.
        self.defaults = {
            col.key: col.default.arg  # type: ignore[union-attr]
            for col in compiled.insert_prefetch
        }
        self.order = [(name, processors.get(name)) for name in compiled.positiontup or ()]

    def values(self, params: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for name, process in self.order:
            value = params[name] if name in params else self.defaults[name]
            out.append(value if process is None or value is None else process(value))
        return tuple(out)


class Direct:
    """An INSERT, UPDATE or DELETE run straight on the session's SQLite connection."""

    def __init__(self, stmt: UpdateBase) -> None:
        self.stmt = stmt
        self._plan: _Plan | None = None

    async def rows(self, session: AsyncSession, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Run a statement with RETURNING; its rows (returned columns are plain ids and strings)."""
        conn = await session.connection()
        driver = self._sqlite(conn.sync_connection)
        if driver is None:
            return [tuple(row) for row in await conn.execute(self.stmt, params)]
        return self._run(driver, params).fetchall()

    async def count(self, session: AsyncSession, params: dict[str, Any]) -> int:
        """Run a statement without RETURNING; the number of rows it matched."""
        conn = await session.connection()
        driver = self._sqlite(conn.sync_connection)
        if driver is None:
            return int((await conn.execute(self.stmt, params)).rowcount)
        return int(self._run(driver, params).rowcount)

    def _sqlite(self, sync: Any) -> sqlite3.Connection | None:
        if sync.dialect.name != "sqlite":
            return None
        if self._plan is None:
            self._plan = _Plan(self.stmt, sync.dialect)
        driver = sync.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return driver

    def _run(self, driver: sqlite3.Connection, params: dict[str, Any]) -> sqlite3.Cursor:
        assert self._plan is not None
        try:
            return driver.execute(self._plan.sql, self._plan.values(params))
        except sqlite3.IntegrityError as exc:
            # As SQLAlchemy would raise it: callers tell a lost race by this type (a second conversation).
            raise IntegrityError(self._plan.sql, None, exc) from exc
