"""Replies under a burst: `count` check-ins fall due at once while `people` registered professionals each
send /mijn every `think` seconds (with jitter); how long each waits for the bot's answer, beside a run
without the burst. The bot is `waakvlam run` in its own process against the emulator in strict flood-limit
mode (30 messages/s for the bot, 1/s per chat), as in bench.dispatch.

    python -m bench.burst [--count 3000] [--people 20] [--think 10] [--seconds 60] [--database sqlite]

Reports, per run, the reply wait (p50, p99, slowest) and the check-ins sent meanwhile (per second), and
the 429 answers."""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import database
from bot.domain.clock import SystemClock
from bot.sandbox.emulator import Emulator
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWork
from tests.bulk import FIRST_OWNER, professionals
from tests.e2e.harness import TOKEN, bot_process, prepared_database, serve_emulator, stop_process
from tests.e2e.test_checkin_load import seed_checkins

FIRST_PERSON = 700_000  # the people who ask; the check-ins go to FIRST_OWNER and up


async def _people(url: str, count: int) -> list[int]:
    engine = make_engine(url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            ids = await professionals(uow, count, FIRST_PERSON, SystemClock().now())
            await uow.commit()
    finally:
        await engine.dispose()
    return ids


def _answers(emu: Emulator, chat: int) -> int:
    return sum(1 for m in emu.chats.get(chat, []) if m.sender.get("is_bot"))


async def run(count: int, people: int, think: float, seconds: float, kind: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        emu = Emulator(TOKEN, strict=True)
        runner, base = await serve_emulator(emu)
        if count:
            await seed_checkins(url, count, max(1, count // 2))
        else:
            await prepared_database(url)
        ids = await _people(url, people)
        bot = bot_process(url, base, rate_per_second="29")
        gc.disable()  # the emulator's pauses would bunch requests (see the load test)
        waits: list[float] = []
        try:
            while not emu.calls.get("getUpdates"):  # noqa: ASYNC110 - the emulator's counters have no event
                await asyncio.sleep(0.05)
            start = time.monotonic()

            async def person(chat: int) -> None:
                await asyncio.sleep(random.uniform(0, think))  # spread the people over time
                while time.monotonic() - start < seconds:
                    before = _answers(emu, chat)
                    asked = time.monotonic()
                    emu.user_sends(chat, chat, "/mijn")
                    while _answers(emu, chat) == before and time.monotonic() - asked < 120:  # noqa: ASYNC110
                        await asyncio.sleep(0.005)  # polled: 5 ms is well under what is measured
                    waits.append(time.monotonic() - asked)
                    await asyncio.sleep(think * random.uniform(0.5, 1.5))

            await asyncio.gather(*(person(chat) for chat in ids))
            took = time.monotonic() - start
            sent = sum(len(m) for chat, m in emu.chats.items() if FIRST_OWNER <= chat < FIRST_PERSON)
        finally:
            gc.enable()
            stop_process(bot)
            await runner.cleanup()
        waits.sort()
        return {
            "replies": float(len(waits)),
            "reply_p50_s": statistics.median(waits),
            "reply_p99_s": waits[min(len(waits) - 1, int(len(waits) * 0.99))],
            "reply_max_s": waits[-1],
            "checkins_per_second": sent / took,
            "too_many": float(emu.too_many),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--think", type=float, default=10.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    for count in (0, args.count):  # side by side: without the burst, then with it
        result = asyncio.run(run(count, args.people, args.think, args.seconds, args.database))
        shown = ", ".join(f"{k}={v:.3f}" for k, v in result.items())
        print(f"burst count={count} people={args.people} think={args.think} db={args.database}: {shown}")


if __name__ == "__main__":
    main()
