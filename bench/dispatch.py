"""Check-in dispatch: N check-ins due at once, drained by `waakvlam run` (its own process) against the
emulator in strict flood-limit mode.

    python -m bench.dispatch --count 10000 [--speed 1] [--database sqlite|postgres] [--runs 5]

Reports messages/s against the ceiling (30/s × speed) and the 429 answers. With --speed the emulator's
flood-limit clock runs faster and the bot's rate is raised by the same factor."""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
from pathlib import Path

from bench.common import database, report
from bot.sandbox.emulator import Emulator
from tests.bulk import FIRST_OWNER
from tests.e2e.harness import TOKEN, bot_process, serve_emulator, stop_process
from tests.e2e.test_checkin_load import seed_checkins


async def run(count: int, speed: float, kind: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        emu = Emulator(TOKEN, strict=True)
        emu.fast_forward(speed)
        runner, base = await serve_emulator(emu)
        await seed_checkins(url, count, max(1, count // 2))
        started = time.monotonic()
        bot = bot_process(url, base, rate_per_second=str(29 * speed))
        gc.disable()  # the emulator's pauses would bunch requests (see the load test)
        first: float | None = None
        try:
            while (sent := sum(len(m) for chat, m in emu.chats.items() if chat >= FIRST_OWNER)) < count:
                if sent and first is None:
                    first = time.monotonic()
                await asyncio.sleep(0.05)
            took = time.monotonic() - started
            sending = time.monotonic() - (first or started)
        finally:
            gc.enable()
            stop_process(bot)
            await runner.cleanup()
        ceiling = 30.0 * speed
        return {
            # Until the first check-in left: start-up, then the first due batch (profile 24: a burst once
            # held every send back until all of it was queued).
            "first_message_s": (first or started) - started,
            "seconds_with_start": took,
            "per_second_with_start": count / took,
            "per_second": count / sending,
            "ceiling": ceiling,
            "ratio": count / sending / ceiling,
            "too_many": float(emu.too_many),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--speed", type=float, default=1.0)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    results = [asyncio.run(run(args.count, args.speed, args.database)) for _ in range(args.runs)]
    report(f"dispatch count={args.count} speed={args.speed} db={args.database}", results)


if __name__ == "__main__":
    main()
