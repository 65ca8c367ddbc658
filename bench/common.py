"""What the benchmarks share: a database of either kind, an emulator in a process of its own, and a median
report."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import statistics
from collections.abc import Iterator
from multiprocessing.queues import Queue
from pathlib import Path

import uvloop

from tests import pg


@contextlib.contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or a PostgreSQL cluster of its own started on loopback."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'bench.db'}"
        return
    cluster = pg.start_cluster()
    try:
        yield cluster.url("postgres")
    finally:
        cluster.stop()


def _serve_emulator(out: Queue[str]) -> None:
    """The Bot API emulator, served until the process is killed; its base URL goes to `out`."""
    from bot.sandbox.emulator import Emulator
    from tests.e2e.harness import TOKEN, serve_emulator

    async def serve() -> None:
        _, base = await serve_emulator(Emulator(TOKEN))
        out.put(base)
        await asyncio.Event().wait()

    uvloop.run(serve())


@contextlib.contextmanager
def emulator_in_child() -> Iterator[str]:
    """An emulator in a child process (its work is then not counted in this one); yields its base URL."""
    bases: Queue[str] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_serve_emulator, args=(bases,), daemon=True)
    child.start()
    try:
        yield bases.get(timeout=30)
    finally:
        child.kill()


def report(name: str, results: list[dict[str, float]]) -> None:
    """Print each run and the median of every figure."""
    print(name)
    for i, r in enumerate(results, 1):
        print(f"  run {i}: " + ", ".join(f"{k}={v:.3f}" for k, v in r.items()))
    keys = results[0].keys()
    print("  median: " + ", ".join(f"{k}={statistics.median(r[k] for r in results):.3f}" for k in keys))
