"""How long the filing journey takes the system (not the person): scenario 3 walked by the test phone against
the real bot and the emulator, from /signaal to the receipt, `--runs` times; the median and the slowest, in
seconds, and the taps a person makes. Run on two commits to compare (BENCHMARKS.md, README "Text on the
region's server"): `python -m bench.filing_journey --runs 20`.

Taps: each button pressed, each message sent, and on the forms each ✏️ Invullen and Versturen."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tests.e2e.harness import Stack, file_intake, sqlite_url


async def main(runs: int, adapter: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # No per-chat pacing (Telegram allows about one message a second in a chat): the system's own time.
        stack = Stack(sqlite_url(Path(tmp)), adapter=adapter, chat_burst=1_000_000)
        await stack.start()
        assert stack.phone is not None
        took = []
        try:
            for n in range(runs):
                began = time.perf_counter()
                await file_intake(
                    stack.phone,
                    1003,
                    ["Overlast", "Zelfverwaarlozing of vervuiling"],
                    ref=f"WW-{n}",
                    area="9401",
                )
                took.append(time.perf_counter() - began)
                await stack.settle()
        finally:
            await stack.close()
    print(
        f"{adapter}: {runs} journeys, median {statistics.median(took):.3f} s, slowest {max(took):.3f} s "
        f"(system time from /signaal to the receipt, the phone answering at once)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--adapter", default="aiogram", choices=["aiogram", "ptb"])
    args = parser.parse_args()
    asyncio.run(main(args.runs, args.adapter))
