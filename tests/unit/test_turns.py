"""The bot's shared rate, given out in turns: a reply waiting for a turn goes before a burst's check-ins
that waited longer; within a lane, first come first served; a cancelled waiter gives its place up."""

from __future__ import annotations

import asyncio

from bot.domain.outgoing import BULK, REPLY
from bot.runtime.turns import Turns


async def _in_turn(turns: Turns, lane: int, name: str, order: list[str]) -> None:
    await turns.take(lane)
    order.append(name)


async def test_a_reply_takes_the_next_turn_before_the_check_ins_waiting_for_one() -> None:
    turns = Turns(per_second=500, burst=1)
    order: list[str] = []
    bulk = [asyncio.create_task(_in_turn(turns, BULK, f"check-in {i}", order)) for i in range(6)]
    await asyncio.sleep(0)  # let them queue: the first takes the one free turn, five wait
    assert turns.waiting(BULK) == 5
    reply = asyncio.create_task(_in_turn(turns, REPLY, "reply", order))
    await asyncio.gather(reply, *bulk)
    assert order == ["check-in 0", "reply", *(f"check-in {i}" for i in range(1, 6))]


async def test_a_cancelled_waiter_gives_its_place_up() -> None:
    turns = Turns(per_second=500, burst=1)
    order: list[str] = []
    first = asyncio.create_task(_in_turn(turns, BULK, "first", order))
    gone = asyncio.create_task(_in_turn(turns, BULK, "gone", order))
    last = asyncio.create_task(_in_turn(turns, BULK, "last", order))
    await asyncio.sleep(0)
    gone.cancel()
    await asyncio.gather(first, last)
    assert order == ["first", "last"] and gone.cancelled()
    assert turns.waiting(BULK) == 0


async def test_a_burst_leaves_five_turns_in_the_bucket_for_replies() -> None:
    turns = Turns(per_second=0.001, burst=7)  # nothing comes back during the test
    order: list[str] = []
    bulk = [asyncio.create_task(_in_turn(turns, BULK, f"check-in {i}", order)) for i in range(3)]
    await asyncio.sleep(0)
    assert order == ["check-in 0", "check-in 1"] and turns.waiting(BULK) == 1  # five turns kept back
    for i in range(5):  # replies take them at once
        await asyncio.wait_for(_in_turn(turns, REPLY, f"reply {i}", order), timeout=5)
    assert order == ["check-in 0", "check-in 1", *(f"reply {i}" for i in range(5))] and not bulk[2].done()
    bulk[2].cancel()


async def test_a_smaller_part_of_the_rate_holds_at_once_and_keeps_its_reserve_within_the_burst() -> None:
    turns = Turns(per_second=0.001, burst=8)  # nothing comes back during the test
    turns.pace(0.001, 4)  # beside another instance: half the burst
    order: list[str] = []
    replies = [asyncio.create_task(_in_turn(turns, REPLY, f"reply {i}", order)) for i in range(5)]
    await asyncio.sleep(0)
    assert order == [f"reply {i}" for i in range(4)] and turns.waiting(REPLY) == 1  # not the eight
    replies[4].cancel()
    turns.pace(0.001, 8)  # alone again: a bigger bucket, not a fuller one
    bulk = asyncio.create_task(_in_turn(turns, BULK, "check-in", order))
    await asyncio.sleep(0)
    assert not bulk.done()  # the bucket is empty: nothing came back
    bulk.cancel()
