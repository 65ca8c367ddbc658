"""Memory: the resident set of `waakvlam run` with N conversations in progress.

    python -m bench.memory [--conversations 10000] [--database sqlite|postgres]

Each of N registered people starts an intake (/signaal) and leaves it at the first question. The bot keeps
conversation state in the database, not in memory, so the figure should barely grow with N."""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import database, report
from bench.throughput import UNLIMITED, Watched, newest, ready, until, with_people
from tests.e2e.harness import TOKEN, bot_process, serve_emulator, stop_process

FIRST = 700_000


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


async def run(n: int, kind: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        await with_people(url, n, FIRST)
        emu = Watched(TOKEN)
        runner, base = await serve_emulator(emu)
        bot = bot_process(url, base, **UNLIMITED)
        try:
            await ready(emu)
            await asyncio.sleep(1)
            idle = rss_mb(bot.pid)
            started = time.perf_counter()
            for i in range(n):
                emu.user_sends(FIRST + i, FIRST + i, "/signaal")
            await asyncio.gather(
                *(until(emu, FIRST + i, newest("acuut gevaar"), within=1800) for i in range(n))
            )
            took = time.perf_counter() - started
            await asyncio.sleep(2)
            busy = rss_mb(bot.pid)
        finally:
            stop_process(bot)
            await runner.cleanup()
    return {"idle_rss_mb": idle, "rss_mb": busy, "conversations": float(n), "seconds": took}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=10_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    results = [asyncio.run(run(args.conversations, args.database)) for _ in range(args.runs)]
    report(f"memory conversations={args.conversations} db={args.database}", results)


if __name__ == "__main__":
    main()
