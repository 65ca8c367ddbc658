"""Throw many arbitrary updates at the real front door (tests/fuzz_updates.py): how many, how many were
refused at the door, and that none broke a handler, answered outside the catalogs or stored refused input.
Run: python -m bench.fuzz --examples 10000 [--adapter ptb]"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.e2e.harness import Stack, sqlite_url
from tests.fuzz_updates import check, reply_patterns, updates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--adapter", choices=["aiogram", "ptb"], default="aiogram")
    args = parser.parse_args()
    loop = asyncio.new_event_loop()
    patterns = reply_patterns()
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        stack = Stack(sqlite_url(Path(tmp)), adapter=args.adapter)
        loop.run_until_complete(stack.start())

        @settings(
            max_examples=args.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(update=updates())
        def one(update: dict[str, Any]) -> None:
            counts[loop.run_until_complete(check(stack, update, patterns))] += 1

        start = time.monotonic()
        try:
            one()
        finally:
            loop.run_until_complete(stack.close())
        seconds = time.monotonic() - start
    print(
        f"fuzz adapter={args.adapter}: {sum(counts.values())} updates in {seconds:.0f} s, "
        f"{counts['refused']} refused at the door, {counts['taken']} taken; "
        "0 handler failures, 0 replies outside the catalogs, 0 refused updates stored"
    )


if __name__ == "__main__":
    main()
