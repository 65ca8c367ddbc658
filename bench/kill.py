"""How often a message reaches Telegram twice: the bot (`waakvlam run`, its own process) sends check-ins at
Telegram's rate and is killed with SIGKILL at arbitrary moments, again and again, then restarted; at the
end every check-in must have arrived, and each one that arrived twice is a double.

A message is sent again when the bot dies after Telegram accepted it and before its sent mark was committed
(one HTTP answer and one commit): no Bot API client can close that window, since Telegram takes no
idempotency key. This measures how wide it is in practice.
Run: python -m bench.kill --kills 20 --count 3000"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bot.sandbox.emulator import Emulator
from tests.e2e.harness import TOKEN, bot_process, serve_emulator, sqlite_url, stop_process
from tests.e2e.test_checkin_load import LEASES, delivered, seed_checkins


async def until(done: Callable[[], bool], within: float) -> None:
    """Wait until `done()` holds, or `within` seconds have passed."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if done():
            return
        await asyncio.sleep(0.05)


async def run(kills: int, count: int, seed: int) -> dict[str, float]:
    chance = random.Random(seed)
    emu = Emulator(TOKEN, strict=True)
    runner, base = await serve_emulator(emu)
    with tempfile.TemporaryDirectory() as tmp:
        url = sqlite_url(Path(tmp))
        refs = await seed_checkins(url, count, count // 10)
        log = Path(tmp) / "bot.log"
        bot = bot_process(url, base, log, **LEASES)
        killed_while_sending = 0
        try:
            for _ in range(kills):
                # Wait until it sends again, then kill it at an arbitrary moment of sending.
                resumed_from = sum(delivered(emu).values())
                await until(lambda start=resumed_from: sum(delivered(emu).values()) > start, 120)
                before = sum(delivered(emu).values())
                await asyncio.sleep(chance.uniform(0.5, 3.0))
                if sum(delivered(emu).values()) > before:
                    killed_while_sending += 1
                bot.send_signal(signal.SIGKILL)
                bot.wait(10)
                if len(delivered(emu)) >= len(refs):
                    break
                bot = bot_process(url, base, log, **LEASES)
            else:
                await until(lambda: len(delivered(emu)) >= len(refs), count / 20 + 120)
                await asyncio.sleep(3)  # anything doubled late shows up now
        finally:
            stop_process(bot)
            await runner.cleanup()
        seen = delivered(emu)
        doubles = sum(times - 1 for times in seen.values() if times > 1)
        return {
            "kills": float(kills),
            "kills_while_sending": float(killed_while_sending),
            "messages": float(len(refs)),
            "missing": float(len(set(refs) - set(seen))),
            "doubles": float(doubles),
            "doubles_per_kill": doubles / max(1, killed_while_sending),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    result = asyncio.run(run(args.kills, args.count, args.seed))
    print("kill test: " + ", ".join(f"{k}={v:g}" for k, v in result.items()))


if __name__ == "__main__":
    main()
