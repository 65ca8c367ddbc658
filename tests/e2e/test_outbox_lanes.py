"""A person never waits behind a burst: with 120 check-in questions queued (bulk) just before Willem types
/mijn, his answer reaches him before most of them, and every question still goes out exactly once. Order
and counts, not timing: the emulator records the order in which messages reached "Telegram"."""

from __future__ import annotations

import collections

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
    stack.runtime.sender.wake()
    await phone.send(WILLEM, "/mijn")
    await phone.expect(WILLEM, "signalen", within=10)
    await stack.settle(within=30)
    order = list(stack.emulator.delivered)
    reply_at = order.index(WILLEM)
    # At most about a second of sending (the batch in hand when he typed) went before him, not all 120.
    assert reply_at < BURST // 2, reply_at
    counts = collections.Counter(order)
    assert all(counts[FIRST_CHAT + i] == 1 for i in range(BURST))  # none lost, none doubled
