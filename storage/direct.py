"""The few statements every update makes, run on the session's own driver connection.

SQLAlchemy still compiles each statement (once per dialect) and its column types still turn values into
what is stored (UTC datetimes, encrypted JSON, scalar column defaults); only its per-call execution
machinery is skipped: an execution context, events and a result object, some 60-90 µs a statement
against SQLite's own 5-30 µs (BENCHMARKS.md, profile 22). The statement runs in the session's
transaction on the connection the session holds (`session.connection()`):

- SQLite (`sqlite3`): the driver begins the transaction before the first write; the session's commit or
  rollback ends it.
- PostgreSQL (`asyncpg`): inside the transaction SQLAlchemy's adapter keeps for that connection. When none
  is open yet (a unit of work whose first statement this is) it is begun here as SQLAlchemy would begin it
  on its first statement (`_begun`), so that statement, too, runs on asyncpg itself. On a connection
  without transactions (isolation "autocommit") statements go through SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import sqlite3
from typing import Any

import asyncpg
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase


class _Plan:
    """One statement compiled for one dialect: its SQL, and how named values become its positional ones."""

    def __init__(self, stmt: UpdateBase | Select[Any], dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        if not isinstance(compiled, SQLCompiler):
            raise TypeError(f"not a SQL statement: {stmt!r}")
        self.sql = compiled.string
        # Each value as the dialect's own type writes it, as SQLAlchemy would: on SQLite a datetime as
        # SQLAlchemy's text ("2026-12-06 10:00:03.000000"), not sqlite3's ("2026-12-06 10:00:03+00:00"),
        # which compares wrongly with it within the same second.
        processors = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for name, bind in compiled.binds.items()
        }
        # Python-side scalar defaults of an INSERT (status "pending", attempts 0): SQLAlchemy fills
        # these in per execution, so they are positions of the compiled statement too.
        # Before them, values written into the statement itself (`status == "pending"`, `.values(status=
        # "sent")`).
        self.defaults = {name: bind.value for name, bind in compiled.binds.items() if not bind.required}
        self.defaults |= {
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


async def held(session: AsyncSession) -> tuple[AsyncConnection, Any]:
    """The connection the session's transaction holds, and its driver connection. Asked once per
    transaction: `session.connection()` costs some 20 µs of SQLAlchemy's machinery each time (greenlet
    and state checks), and the statements here run several times an update. A transaction keeps its
    connection until it ends; a new one (after a commit or rollback) asks again."""
    transaction = session.sync_session.get_transaction()
    kept = session.info.get(_HELD)
    if kept is not None and transaction is not None and kept[0] is transaction:
        return kept[1], kept[2]
    conn = await session.connection()
    driver = conn.sync_connection.connection.driver_connection  # type: ignore[union-attr]
    if isinstance(driver, asyncpg.Connection):
        await _begun(conn.sync_connection.connection.dbapi_connection)  # type: ignore[union-attr]
    session.info[_HELD] = (session.sync_session.get_transaction(), conn, driver)
    return conn, driver


async def _begun(adapted: Any) -> None:
    """Begin the transaction of SQLAlchemy's asyncpg adapter now, as its cursor would on the first
    statement (`AsyncAdapt_asyncpg_cursor._prepare_and_execute`: under the adapter's mutex, when it has
    none): SQLAlchemy then commits or rolls back this transaction as its own. A SQLAlchemy statement
    costs some 60-90 µs of its machinery against asyncpg's own ~15 (the first read of every update).

    When the begin fails (a connection the server cut: a fail-over, a restart) nothing is begun and the
    statement goes through SQLAlchemy, which meets the same error and handles it as on any statement:
    raised as its own error, and a connection found dead dropped from the pool."""
    async with adapted._execute_mutex:
        if adapted._transaction is None:
            with contextlib.suppress(Exception):
                await adapted._start_transaction()


_HELD = "storage.direct.held"


_ROWS, _COUNT, _MANY = "rows", "count", "many"  # what `Direct._on_driver` is asked for
_SQLALCHEMY = object()  # ... when the statement has to go through SQLAlchemy instead


class Direct:
    """An INSERT, UPDATE or DELETE run straight on the session's driver connection."""

    def __init__(self, stmt: UpdateBase, **per_dialect: UpdateBase) -> None:
        """`stmt`, or for a dialect named in `per_dialect` its own form (an upsert: each database's
        ON CONFLICT construct)."""
        self.stmt = stmt
        self._stmts = per_dialect
        self._plans: dict[str, _Plan] = {}

    async def rows(self, session: AsyncSession, params: dict[str, Any]) -> list[tuple[Any, ...]]:
        """Run a statement with RETURNING; its rows (returned columns are plain ids and strings)."""
        conn, driver = await held(session)
        rows = await self._on_driver(conn, driver, params, _ROWS)
        if rows is not _SQLALCHEMY:
            return rows  # type: ignore[no-any-return]
        return [tuple(row) for row in await conn.execute(self._statement(conn), params)]

    async def count(self, session: AsyncSession, params: dict[str, Any]) -> int:
        """Run a statement without RETURNING; the number of rows it matched."""
        conn, driver = await held(session)
        count = await self._on_driver(conn, driver, params, _COUNT)
        if count is not _SQLALCHEMY:
            return count  # type: ignore[no-any-return]
        return int((await conn.execute(self._statement(conn), params)).rowcount)

    async def many(self, session: AsyncSession, rows: list[dict[str, Any]]) -> None:
        """Run a statement without RETURNING once for each of `rows`, as one executemany."""
        conn, driver = await held(session)
        if await self._on_driver(conn, driver, rows, _MANY) is _SQLALCHEMY:
            await conn.execute(self._statement(conn), rows)

    async def _on_driver(self, conn: AsyncConnection, driver: Any, params: Any, mode: str) -> Any:
        """Run on the driver itself: its rows (`_ROWS`), its row count (`_COUNT`) or nothing (`_MANY`,
        `params` a list of rows); `_SQLALCHEMY` when SQLAlchemy has to run it."""
        plan = self._plan(conn)
        try:
            if isinstance(driver, sqlite3.Connection):
                if mode is _MANY:
                    driver.executemany(plan.sql, [plan.values(row) for row in params])
                    return None
                cursor = driver.execute(plan.sql, plan.values(params))
                return cursor.fetchall() if mode is _ROWS else int(cursor.rowcount)
            if isinstance(driver, asyncpg.Connection) and driver.is_in_transaction():
                if mode is _MANY:
                    return await driver.executemany(plan.sql, [plan.values(row) for row in params])
                if mode is _ROWS:
                    return [tuple(row) for row in await driver.fetch(plan.sql, *plan.values(params))]
                status = await driver.execute(plan.sql, *plan.values(params))  # e.g. "UPDATE 1"
                return int(status.rsplit(" ", 1)[-1])
        except (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError) as exc:
            # As SQLAlchemy would raise it: callers tell a lost race by this type (a second conversation).
            raise IntegrityError(plan.sql, None, exc) from exc
        return _SQLALCHEMY

    def _plan(self, conn: AsyncConnection) -> _Plan:
        dialect = conn.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = _Plan(self._statement(conn), dialect)
        return plan

    def _statement(self, conn: AsyncConnection) -> UpdateBase:
        return self._stmts.get(conn.dialect.name, self.stmt)


class DirectRead:
    """A SELECT of one row straight from the driver (`sqlite3`, or `asyncpg` in the unit's transaction),
    each value through its column type's result processing (UTC datetimes, decrypted JSON), as SQLAlchemy
    Core would; no ORM entity is built (the user read of every update: ~95 µs of SQLAlchemy's execution
    against ~22 of SQLite's, BENCHMARKS.md profile 23)."""

    def __init__(self, stmt: Select[Any]) -> None:
        self.stmt = stmt
        self._plans: dict[str, tuple[_Plan, list[Any]]] = {}

    async def first(self, session: AsyncSession, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of the statement, or None."""
        conn, driver = await held(session)
        if isinstance(driver, sqlite3.Connection):
            plan, processors = self._plan(conn.dialect)
            raw = driver.execute(plan.sql, plan.values(params)).fetchone()
        elif isinstance(driver, asyncpg.Connection) and driver.is_in_transaction():
            plan, processors = self._plan(conn.dialect)
            raw = await driver.fetchrow(plan.sql, *plan.values(params))
        else:
            row = (await conn.execute(self.stmt, params)).first()
            return None if row is None else tuple(row)
        if raw is None:
            return None
        return tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(processors, raw, strict=True)
        )

    def _plan(self, dialect: Dialect) -> tuple[_Plan, list[Any]]:
        made = self._plans.get(dialect.name)
        if made is None:
            processors = [
                col.type.dialect_impl(dialect).result_processor(dialect, None)
                for col in self.stmt.selected_columns
            ]
            made = self._plans[dialect.name] = (_Plan(self.stmt, dialect), processors)
        return made
