"""What the end-to-end tests share: the stack on a fake clock, and the emulator alone (for bots run as
their own processes)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.sandbox.emulator import Emulator
from tests.clock import FakeClock
from tests.conftest import ADAPTERS
from tests.e2e.harness import MONDAY_0900, TOKEN, Stack, serve_emulator, sqlite_url


@pytest.fixture(params=ADAPTERS)
async def timed(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    """The whole stack on a fake clock that starts on Monday 23 November 2026, 09:00 in Amsterdam, once
    on each adapter."""
    s = Stack(sqlite_url(tmp_path), clock=FakeClock(MONDAY_0900), adapter=request.param)
    await s.start()
    yield s
    await s.close()


@pytest.fixture
async def emulator() -> AsyncIterator[tuple[Emulator, str]]:
    """The emulator served on a free loopback port, and its base URL."""
    emu = Emulator(TOKEN)
    runner, base = await serve_emulator(emu)
    yield emu, base
    await runner.cleanup()
