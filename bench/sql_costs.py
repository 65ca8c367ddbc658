"""What each SQL statement costs the bot, in CPU of its own thread, counted while a benchmark runs.

    WAAKVLAM_BOT_SQL_COSTS=costs.txt python -m bench.throughput --users 400 --runs 1

The harness then starts each bot process with this module imported first (tests/e2e/harness.py). It wraps
`AsyncSession.execute`, `AsyncSession.commit` and the statements run on the driver's connection itself
(`storage/direct.py`, marked "direct:") and writes, per statement (as SQLite would see it), the
calls, the total and the mean CPU to `costs.txt.<pid>`, every 3,000 statements and at exit. On SQLite a
statement runs on the loop's thread without yielding (storage/sqlite_inline.py), so the CPU between the
call and its return is that statement's alone; on PostgreSQL it would include whatever ran meanwhile, so
this is for SQLite. Rendering a statement's text is done outside the measured span, once per statement
object."""

from __future__ import annotations

import atexit
import os
import time
from collections import defaultdict
from typing import Any

from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.direct import Direct

DUMP_EVERY = 3_000


class Costs:
    def __init__(self, path: str) -> None:
        self.path = path
        self.totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0])
        self.calls = 0
        # Statement objects seen, kept alive so an id is never reused for another: id → (object, text).
        self._texts: dict[int, tuple[Any, str]] = {}
        self._dialect = sqlite.dialect()

    def text(self, statement: Any, many: bool) -> str:
        seen = self._texts.get(id(statement))
        if seen is None or seen[0] is not statement:
            try:
                rendered = str(statement.compile(dialect=self._dialect))
            except Exception:  # a statement SQLite cannot render: name its kind
                rendered = type(statement).__name__
            seen = self._texts[id(statement)] = (statement, " ".join(rendered.split())[:120])
        return ("executemany: " if many else "") + seen[1]

    def add(self, key: str, cpu: float) -> None:
        entry = self.totals[key]
        entry[0] += 1
        entry[1] += cpu
        self.calls += 1
        if self.calls % DUMP_EVERY == 0:
            self.dump()

    def dump(self) -> None:
        rows = sorted(self.totals.items(), key=lambda kv: -kv[1][1])
        with open(self.path, "w") as out:
            out.write(f"{'calls':>8} {'total ms':>10} {'mean µs':>9}  statement\n")
            for key, (calls, cpu) in rows:
                out.write(f"{int(calls):8d} {cpu * 1e3:10.1f} {cpu / calls * 1e6:9.1f}  {key}\n")


def install(path: str) -> Costs:
    costs = Costs(f"{path}.{os.getpid()}")
    execute, commit = AsyncSession.execute, AsyncSession.commit

    async def counted_execute(self: AsyncSession, statement: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return await execute(self, statement, *args, **kwargs)
        finally:
            spent = time.thread_time() - started
            costs.add(costs.text(statement, bool(args and isinstance(args[0], list))), spent)

    async def counted_commit(self: AsyncSession) -> None:
        started = time.thread_time()
        try:
            await commit(self)
        finally:
            costs.add("COMMIT", time.thread_time() - started)

    def counted_direct(run: Any) -> Any:
        async def counted(self: Direct, session: AsyncSession, params: dict[str, Any]) -> Any:
            started = time.thread_time()
            try:
                return await run(self, session, params)
            finally:
                spent = time.thread_time() - started
                costs.add("direct: " + costs.text(self.stmt, False), spent)

        return counted

    Direct.rows = counted_direct(Direct.rows)  # type: ignore[method-assign]
    Direct.count = counted_direct(Direct.count)  # type: ignore[method-assign]
    AsyncSession.execute = counted_execute  # type: ignore[method-assign]
    AsyncSession.commit = counted_commit  # type: ignore[method-assign]
    atexit.register(costs.dump)
    return costs


if os.environ.get("WAAKVLAM_BOT_SQL_COSTS"):
    install(os.environ["WAAKVLAM_BOT_SQL_COSTS"])
