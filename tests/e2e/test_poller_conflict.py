"""Something else polls the same bot token (a second deployment, a developer's laptop): Telegram answers 409
to one of the two. The bot says so once in its log, gives up the poller's lease, steps back, and comes
back when the other is gone; nothing sent meanwhile is lost."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest
import structlog
from aiohttp import ClientSession

from bot.runtime import poller
from bot.runtime.poller import LEASE_NAME
from tests.e2e.harness import TOKEN, Stack

pytestmark = pytest.mark.e2e

WENDY = 1001


async def rogue_poller(base: str, seconds: float) -> int:
    """Poll the emulator as another process would, for `seconds`; how many polls ended in 409."""
    ended = 0
    deadline = time.monotonic() + seconds
    async with ClientSession() as http:
        while time.monotonic() < deadline:
            async with http.post(f"{base}/bot{TOKEN}/getUpdates", json={"timeout": 1, "offset": -1}) as r:
                ended += r.status == 409
    return ended


async def test_a_409_is_logged_once_the_bot_steps_back_and_comes_back(
    stack: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert stack.phone is not None and stack.runtime is not None
    monkeypatch.setattr(poller, "STEP_BACK", 0.5)
    async with stack.uow() as uow:  # this instance holds the poller's lease
        assert await uow.leases.holder(LEASE_NAME, stack.clock.now()) == stack.runtime.config.instance

    with structlog.testing.capture_logs() as logs:
        await rogue_poller(stack.base, 4)
        # Meanwhile someone writes: it waits at Telegram, and is answered once the other poller is gone.
        sent = await stack.phone.send(WENDY, "/help")
        await stack.phone.expect(WENDY, "/mijn", within=15)

    conflicts = [e for e in logs if e["event"] == "telegram_conflict"]
    assert stack.emulator.conflicts >= 2  # it happened more than once ...
    assert len(conflicts) == 1, conflicts  # ... and was said once, plainly
    assert "another process polls this bot token" in conflicts[0]["advice"]
    await stack.settle()
    async with stack.uow() as uow:
        assert await uow.inbox.last_update_id() == sent  # the message was handled, after the other left
        assert await uow.leases.holder(LEASE_NAME, stack.clock.now()) == stack.runtime.config.instance


async def test_a_standby_instance_does_not_poll_while_another_holds_the_lease(stack: Stack) -> None:
    assert stack.phone is not None and stack.runtime is not None
    await stack.stop_bot()
    async with stack.uow() as uow:  # another instance holds the lease (and renews it)
        now = stack.clock.now()
        assert await uow.leases.take(LEASE_NAME, "elsewhere", now, now + timedelta(seconds=poller.TTL))
        await uow.commit()
    polls = stack.emulator.polls
    await stack.start_bot()
    await asyncio.sleep(1.5)
    assert stack.emulator.polls == polls  # standing by: no getUpdates at all
    assert not stack.runtime.standby.leading

    async with stack.uow() as uow:  # the other instance stops and gives the lease up
        await uow.leases.release(LEASE_NAME, "elsewhere", stack.clock.now())
        await uow.commit()
    await stack.phone.send(WENDY, "/help")
    await stack.phone.expect(WENDY, "/mijn", within=poller.RENEW + 5)
    assert stack.runtime.standby.leading
