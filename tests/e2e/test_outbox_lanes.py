"""A person never waits behind a burst: with 120 check-in questions queued (bulk) just before Willem types
/mijn, his answer takes the next free turn of the bot's rate, before the check-ins waiting for one, and
every question still goes out exactly once. Order
and counts, not timing: the emulator records the order in which messages reached "Telegram"."""

from __future__ import annotations

import collections
from typing import Any

import pytest

from bot.domain.outgoing import Kind, Outgoing
from tests.e2e.harness import Stack

pytestmark = pytest.mark.e2e

WILLEM = 1003
BURST = 120
FIRST_CHAT = 900_000  # the check-ins' chats: people who never write


async def test_a_reply_written_during_a_burst_overtakes_the_check_ins_queued_before_it(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None and stack.core is not None and stack.runtime is not None
    async with stack.uow() as uow:
        questions = [Outgoing(FIRST_CHAT + i, Kind.SEND, f"🕯 check-in {i}") for i in range(BURST)]
        await uow.outbox.put_many(questions, stack.clock.now())
        await uow.commit()
    # Where the check-ins stood when the bot took his update from "Telegram" (polling), or when he sent it.
    emulator, taken = stack.emulator, []
    fetch = emulator._m_getUpdates

    async def fetched(params: dict[str, Any]) -> Any:
        ready = await fetch(params)
        if not taken and any(u.get("message", {}).get("chat", {}).get("id") == WILLEM for u in ready):
            taken.append(len(emulator.delivered))
        return ready

    emulator._m_getUpdates = fetched  # type: ignore[method-assign]
    stack.runtime.sender.wake()
    sent_at = len(emulator.delivered)
    await phone.send(WILLEM, "/mijn")
    await phone.expect(WILLEM, "signalen", within=10)
    await stack.settle(within=30)
    order = list(emulator.delivered)
    reply_at = order.index(WILLEM)
    # His reply took the next free turn: the check-ins that went between the bot having his update and
    # his answer are the few already granted a turn, not the batch in hand (about 28) nor all 120.
    assert reply_at - (taken[0] if taken else sent_at) <= 10, (reply_at, taken, sent_at)
    assert reply_at < BURST // 2
    counts = collections.Counter(order)
    assert all(counts[FIRST_CHAT + i] == 1 for i in range(BURST))  # none lost, none doubled
