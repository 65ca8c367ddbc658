"""What one update costs the bot's own thread: the gate, the handler and the sender in this process, the
emulator in a child process (so its work is not counted).

    python -m bench.handling [--users 50] [--waves 20] [--database sqlite|postgres] [--pool N] [--runs 3]
                             [--calls] [--adapter aiogram|ptb]

`users` registered people each send a text (it gets the "not in a conversation" answer: the inbox, one
user read, one reply queued and sent), all at once, `waves` times. Reported: the main thread's CPU and the
wall time per update (the main thread is what bounds one instance, profile 17), and how many database
connections were opened and closed meanwhile (profile 18).

With `--calls` each run also counts the Python function calls the main thread makes per update (cProfile,
over the measured waves only) and prints the functions that cost most. The count hardly moves between runs
on a noisy machine, so it tells two commits apart where CPU time cannot; the CPU figures of such a run
include the profiler's own cost and are not comparable with a run without it."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

import uvloop
from pydantic import SecretStr
from sqlalchemy import event, func, select

from bench.common import database, emulator_in_child, report
from bench.throughput import UNLIMITED, with_people
from tests.e2e.harness import DATA_KEY, SECRET, TOKEN

FIRST = 800_000


def _text(update_id: int, person: int) -> dict[str, Any]:
    chat = {"id": person, "type": "private"}
    sender = {"id": person, "is_bot": False, "first_name": "P"}
    message = {"message_id": update_id, "date": 0, "chat": chat, "from": sender, "text": "hallo"}
    return {"update_id": update_id, "message": message}


async def measure(
    url: str,
    base: str,
    users: int,
    waves: int,
    pool: int | None,
    profile: cProfile.Profile | None = None,
    adapter: str = "aiogram",
) -> dict[str, float]:
    from bot.app.core import build_core
    from bot.app.logging import configure
    from bot.app.settings import Settings
    from handlers.aiogram_models import import_deferred

    import_deferred()
    from handlers.aiogram_runtime import AiogramRuntime
    from storage.models import OutboxMessage

    await with_people(url, users, FIRST)
    configure("WARNING")
    settings = Settings(
        telegram_token=SecretStr(TOKEN),
        api_base=base,
        database_url=url,
        secret_key=SecretStr(SECRET),
        data_keys=SecretStr(DATA_KEY),
        database_pool_size=pool,
        **UNLIMITED,  # type: ignore[arg-type]
        _env_file=None,  # type: ignore[call-arg]  # a .env in the working directory does not change the run
    )
    core = build_core(settings)
    opened: list[object] = []
    closed: list[object] = []
    event.listen(core.database.engine.sync_engine, "connect", lambda conn, _: opened.append(conn))
    event.listen(core.database.engine.sync_engine.pool, "close", lambda conn, _: closed.append(conn))
    if adapter == "ptb":
        from handlers.ptb_runtime import PtbRuntime

        runtime: Any = PtbRuntime(core.serving())
        await runtime._open()  # the bot's name (getMe), as `run` does before the first update
    else:
        runtime = AiogramRuntime(core.serving())
    stop = asyncio.Event()
    sender = asyncio.create_task(runtime.sender.run(stop))
    next_id = 1

    async def wave() -> None:
        nonlocal next_id
        updates = [_text(next_id + i, FIRST + i) for i in range(users)]
        next_id += users
        await asyncio.gather(*(runtime.feed(u) for u in updates))

    async def drained() -> None:
        pending = select(func.count()).where(OutboxMessage.status == "pending")
        while True:
            async with core.sessions() as session:
                if not await session.scalar(pending):
                    return
            await asyncio.sleep(0.01)

    try:
        await wave()  # warm up: models built, connections open
        await drained()
        before_open, before_close = len(opened), len(closed)
        if profile is not None:
            profile.enable()
        cpu, wall = time.thread_time(), time.perf_counter()
        for _ in range(waves):
            await wave()
        await drained()
        cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
        if profile is not None:
            profile.disable()
        churn = len(opened) - before_open, len(closed) - before_close
    finally:
        stop.set()
        runtime.sender.wake()
        await sender
        if adapter == "ptb":
            await runtime._close()
        else:
            await runtime.bot.session.close()
        await core.close()
    n = users * waves
    return {
        "main_thread_ms_per_update": cpu / n * 1000,
        "wall_ms_per_update": wall / n * 1000,
        "connections_opened": churn[0],
        "connections_closed": churn[1],
    }


def run(
    kind: str, base: str, users: int, waves: int, pool: int | None, calls: bool, adapter: str = "aiogram"
) -> dict[str, float]:
    profile = cProfile.Profile() if calls else None
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        result = uvloop.run(measure(url, base, users, waves, pool, profile, adapter))
    if profile is not None:
        result["calls_per_update"] = _calls(profile, users * waves)
    return result


def _calls(profile: cProfile.Profile, updates: int, top: int = 15) -> float:
    """The function calls per update, printing the `top` functions by their own time."""
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, Any]]
    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]  # documented, not in the stubs
    print(f"  calls per update, own microseconds per update (profiled), function; top {top}:")
    for (file, line, name), (_, calls, own, _, _) in sorted(stats.items(), key=lambda kv: -kv[1][2])[:top]:
        where = f"{Path(file).name}:{line}:{name}" if line else name
        print(f"    {calls / updates:8.2f} {own / updates * 1e6:8.1f}  {where}")
    return sum(calls for _, calls, _, _, _ in stats.values()) / updates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--waves", type=int, default=20)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--pool",
        type=int,
        default=None,
        help="PostgreSQL connections (default: the bot's own; SQLite always has one)",
    )
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", action="store_true", help="count function calls per update (cProfile)")
    parser.add_argument("--adapter", choices=["aiogram", "ptb"], default="aiogram")
    args = parser.parse_args()
    os.environ.setdefault("WAAKVLAM_LOG_LEVEL", "WARNING")
    with emulator_in_child() as base:
        results = [
            run(args.database, base, args.users, args.waves, args.pool, args.calls, args.adapter)
            for _ in range(args.runs)
        ]
    pool = args.pool or "default"
    title = f"handling users={args.users} waves={args.waves} db={args.database} pool={pool}"
    report(f"{title} adapter={args.adapter}", results)


if __name__ == "__main__":
    main()
