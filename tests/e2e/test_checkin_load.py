"""Check-ins at volume: 10,000 due at once drain within Telegram's limits; a killed bot loses and doubles none.
The bot runs as its own process (`waakvlam run`), the emulator in the test, as in production."""

from __future__ import annotations

import asyncio
import collections
import gc
import signal
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import text

from bot.domain.clock import SystemClock
from bot.sandbox.emulator import Emulator
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWork
from tests.bulk import FIRST_OWNER, due_checkins
from tests.e2e.harness import (
    TOKEN,
    bot_process,
    log_tail,
    prepared_database,
    quiet,
    serve_emulator,
    sqlite_url,
    stop_process,
)

pytestmark = pytest.mark.e2e

ASK = "hoe gaat het met de bewoner"
# Short leases, so what a killed bot had claimed comes back within seconds, not minutes.
LEASES = {"outbox_lease_seconds": "4", "due_lease_seconds": "4"}


def delivered(emulator: Emulator) -> collections.Counter[str]:
    """How often each agreement's check-in question reached a chat, counted in the emulator."""
    seen: collections.Counter[str] = collections.Counter()
    for messages in emulator.chats.values():
        for m in messages:
            if ASK in m.text:
                seen[m.text.split()[2]] += 1
    return seen


async def seed_checkins(url: str, count: int, owners: int) -> list[str]:
    await prepared_database(url)
    engine = make_engine(url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            refs = await due_checkins(uow, count, owners, SystemClock().now())
            await uow.commit()
    finally:
        await engine.dispose()
    return refs


async def recorded(url: str) -> int:
    """How many messages the bot has recorded as sent."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            return int(await conn.scalar(text("select count(*) from outbox where status = 'sent'")) or 0)
    finally:
        await engine.dispose()


async def until(check: Callable[[], Awaitable[bool]], within: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; the bot logged:\n{log_tail(log)}")
        await asyncio.sleep(0.1)


@pytest.fixture
async def emulator() -> AsyncIterator[tuple[Emulator, str, web.AppRunner]]:
    emu = Emulator(TOKEN, strict=True)
    runner, base = await serve_emulator(emu)
    yield emu, base, runner
    emu.thaw()
    await runner.cleanup()


async def kill(bot: subprocess.Popen[bytes], runner: web.AppRunner, log: Path) -> None:
    """SIGKILL the bot, then let the emulator read what the bot wrote just before it died, while the
    network is still frozen: such a request is held and fails, like the rest the network swallowed. (Thawed
    first, the emulator would deliver it after the bot's death: a double this test would blame on the
    bot. Measured: 4 runs in 27 failed so; none in 25 since.)"""
    bot.send_signal(signal.SIGKILL)
    bot.wait(10)
    assert bot.returncode == -signal.SIGKILL
    server = runner.server
    assert server is not None

    async def hung_up() -> bool:
        return all(handler.transport is None for handler in server.connections)

    await until(hung_up, 10, "the emulator to see the killed bot's connections close", log)
    await asyncio.sleep(0.1)  # a request read just before the close reaches the freeze


@pytest.mark.slow
async def test_ten_thousand_due_check_ins_drain_without_a_single_429(
    tmp_path: Path, emulator: tuple[Emulator, str, web.AppRunner]
) -> None:
    """Strict flood limits, fast-forwarded four times (120/s for the bot, 4/s per chat) so the run takes
    about two minutes instead of six; the bot's own rate is raised by the same factor (27/s × 4: a busy
    test machine stalls the bot's loop far more than production would)."""
    emu, base, _ = emulator
    speed = 4
    emu.fast_forward(speed)
    url = sqlite_url(tmp_path)
    refs = await seed_checkins(url, 10_000, 5_000)
    started = time.monotonic()
    log = tmp_path / "bot.log"
    bot = bot_process(url, base, log, rate_per_second=str(27 * speed), **LEASES)
    # The emulator counts a request against the flood limits when it gets to it, not when it arrived;
    # a collector pause in this (test) process would bunch requests that came in evenly and show 429s
    # the bot never caused (measured: a handful per 10,000 with pauses up to 0.5 s, none without).
    gc.disable()
    try:

        async def all_arrived() -> bool:
            # A cheap count while waiting (the full scan below reads every message once, at the end).
            return sum(len(m) for chat, m in emu.chats.items() if chat >= FIRST_OWNER) >= len(refs)

        await until(all_arrived, 400, "all check-ins", log)
        took = time.monotonic() - started
        await asyncio.sleep(1)
    finally:
        gc.enable()
        stop_process(bot)
    seen = delivered(emu)
    assert emu.too_many == 0, emu.limits.refused
    assert len(seen) == len(refs) and set(seen.values()) == {1}
    print(f"\n10,000 check-ins in {took:.0f} s: {len(refs) / took:.0f}/s against a ceiling of {30 * speed}/s")


@pytest.mark.slow
async def test_kill_9_while_sending_check_ins_loses_none_and_doubles_none(
    tmp_path: Path, emulator: tuple[Emulator, str, web.AppRunner]
) -> None:
    emu, base, runner = emulator
    url = sqlite_url(tmp_path)
    refs = await seed_checkins(url, 300, 120)
    log = tmp_path / "bot.log"
    bot = bot_process(url, base, log, **LEASES)
    try:
        for after in (40, 160):
            # The network swallows every send after the next `after`: the bot is mid-batch, with
            # messages claimed and in flight. Then it is killed without warning.
            emu.freeze("sendMessage", after)

            async def mid_batch() -> bool:
                return emu.frozen > 0

            await until(mid_batch, 60, "the bot to be mid-batch", log)
            # Kill once the bot has recorded what Telegram accepted. The moment between Telegram
            # accepting a message and the bot's commit cannot be closed by any Bot API client (there
            # is no idempotency key); it is kept to one commit and is not what this test is about.
            arrived = sum(delivered(emu).values())

            async def caught_up(arrived: int = arrived) -> bool:
                return await recorded(url) >= arrived

            await until(caught_up, 30, f"the bot to record the {arrived} that arrived", log)
            await kill(bot, runner, log)
            emu.thaw()  # the swallowed requests fail: those messages never arrived
            assert len(delivered(emu)) < len(refs)
            bot = bot_process(url, base, log, **LEASES)

        async def all_arrived() -> bool:
            return len(delivered(emu)) >= len(refs)

        await until(all_arrived, 90, "every check-in to arrive", log)
        await quiet(url, emu)  # anything doubled has been sent by now
        seen = delivered(emu)
        missing = sorted(set(refs) - set(seen))
        doubled = sorted(ref for ref, times in seen.items() if times > 1)
        assert not missing and not doubled, f"missing {missing}, doubled {doubled}"
    finally:
        stop_process(bot)
