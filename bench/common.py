"""What the benchmarks share: a database of either kind, and a median report."""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Iterator
from pathlib import Path

from tests import pg


@contextlib.contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    """A fresh database: a SQLite file, or a PostgreSQL cluster of its own started on loopback."""
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
        return
    cluster = pg.start_cluster()
    try:
        yield cluster.url("postgres")
    finally:
        cluster.stop()


def report(name: str, results: list[dict[str, float]]) -> None:
    """Print each run and the median of every figure."""
    print(name)
    for i, r in enumerate(results, 1):
        print(f"  run {i}: " + ", ".join(f"{k}={v:.3f}" for k, v in r.items()))
    keys = results[0].keys()
    print("  median: " + ", ".join(f"{k}={statistics.median(r[k] for r in results):.3f}" for k in keys))
