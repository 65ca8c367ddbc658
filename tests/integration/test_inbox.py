"""The inbox gate: an update is stored before it is acted on, acted on once, and never lost."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.outgoing import Kind, Outgoing
from bot.runtime.gate import UpdateGate
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from storage.models import InboxUpdate, OutboxMessage
from storage.repositories import StaleState
from storage.uow import UnitOfWork
from tests.clock import FakeClock


def _gate(sessions: async_sessionmaker[AsyncSession], clock: FakeClock) -> tuple[UpdateGate, list[int]]:
    wakes: list[int] = []
    gate = UpdateGate(sessions, clock, Messenger(clock), Translator(load_catalogs()), lambda: wakes.append(1))
    return gate, wakes


async def test_a_redelivered_update_is_acted_on_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    gate, wakes = _gate(sessions, FakeClock())
    runs: list[int] = []

    async def work(uow: UnitOfWork) -> str:
        runs.append(1)
        return "done"

    assert await gate.handle(1, {"update_id": 1}, 5, work) == "done"
    assert await gate.handle(1, {"update_id": 1}, 5, work) is None
    assert runs == [1] and wakes == [1]


async def test_an_update_stored_before_a_crash_is_replayed(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    async with UnitOfWork(sessions) as uow:  # stored, then the process died before acting
        await uow.inbox.receive(7, {"update_id": 7, "message": {"text": "hoi"}}, clock.now())
        await uow.commit()
    gate, _ = _gate(sessions, clock)
    assert await gate.unfinished() == [{"update_id": 7, "message": {"text": "hoi"}}]

    async def work(uow: UnitOfWork) -> str:
        return "handled"

    assert await gate.handle(7, {"update_id": 7}, 5, work) == "handled"
    assert await gate.unfinished() == []


async def test_a_failing_handler_apologises_and_does_not_loop(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    gate, _ = _gate(sessions, FakeClock())

    async def work(uow: UnitOfWork) -> None:
        await uow.outbox.put(Outgoing(5, Kind.SEND, "half done"), FakeClock().now())
        raise RuntimeError("database went away")

    assert await gate.handle(3, {"update_id": 3}, 5, work) is None
    async with UnitOfWork(sessions) as uow:
        texts = [r.payload["text"] for r in await uow.session.scalars(select(OutboxMessage))]
        done = await uow.session.scalar(select(InboxUpdate.processed_at).where(InboxUpdate.update_id == 3))
    assert texts == [
        "Er ging iets mis aan onze kant. Uw eerdere antwoorden zijn bewaard; probeer het zo nog eens."
    ]
    assert done is not None
    assert await gate.unfinished() == []


async def test_a_lost_race_runs_again_on_fresh_state(sessions: async_sessionmaker[AsyncSession]) -> None:
    gate, _ = _gate(sessions, FakeClock())
    attempts: list[int] = []

    async def work(uow: UnitOfWork) -> int:
        attempts.append(1)
        if len(attempts) == 1:
            raise StaleState(5, 5)
        return len(attempts)

    assert await gate.handle(4, {"update_id": 4}, 5, work) == 2


async def test_taking_stores_and_claims_in_one_go_and_respects_a_claim_elsewhere(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    lease = timedelta(seconds=30)
    async with UnitOfWork(sessions) as uow:  # instance A takes a new update
        assert await uow.inbox.take(9, 5, {"update_id": 9}, clock.now(), lease) is True
        await uow.commit()
    async with UnitOfWork(sessions) as uow:  # Telegram redelivers it to instance B while A works
        assert await uow.inbox.take(9, 5, {"update_id": 9}, clock.now(), lease) is False
        await uow.commit()
    clock.advance(timedelta(seconds=31))  # A died: after its lease B may take it over
    async with UnitOfWork(sessions) as uow:
        assert await uow.inbox.take(9, 5, {"update_id": 9}, clock.now(), lease) is True
        await uow.inbox.done(9, clock.now())
        await uow.commit()
    clock.advance(timedelta(seconds=31))
    async with UnitOfWork(sessions) as uow:  # handled: never again
        assert await uow.inbox.take(9, 5, {"update_id": 9}, clock.now(), lease) is False
        rows = list(await uow.session.scalars(select(InboxUpdate)))
    assert [r.update_id for r in rows] == [9]


async def test_two_instances_handle_one_chats_updates_in_order(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A quick double tap split between two instances: the later update waits for the earlier one."""
    clock = FakeClock()
    first, second = _gate(sessions, clock)[0], _gate(sessions, clock)[0]  # two processes, one database
    first.shared = second.shared = True  # behind one webhook address
    order: list[int] = []
    release = asyncio.Event()

    def work(update_id: int, hold: bool = False) -> Callable[[UnitOfWork], Awaitable[None]]:
        async def run(uow: UnitOfWork) -> None:
            if hold:
                await release.wait()
            order.append(update_id)

        return run

    a = asyncio.create_task(first.handle(20, {"update_id": 20}, 5, work(20, hold=True)))
    await asyncio.sleep(0.05)  # instance A is busy with update 20 of chat 5 ...
    b = asyncio.create_task(second.handle(21, {"update_id": 21}, 5, work(21)))  # ... when B gets 21
    await second.handle(22, {"update_id": 22}, 6, work(22))  # another chat's update does not wait
    await asyncio.sleep(0.2)
    assert order == [22] and not b.done()
    release.set()
    await asyncio.gather(a, b)
    assert order == [22, 20, 21]


async def test_updates_arriving_together_are_stored_in_shared_transactions_each_acted_on_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    gate, wakes = _gate(sessions, FakeClock())
    runs: list[int] = []

    def work_for(update_id: int) -> Callable[[UnitOfWork], Awaitable[int]]:
        async def work(uow: UnitOfWork) -> int:
            runs.append(update_id)
            return update_id

        return work

    # 40 chats' updates at once, as a getUpdates batch hands them to the dispatcher, one redelivered.
    ids = [*range(100, 140), 120]
    results = await asyncio.gather(*(gate.handle(u, {"update_id": u}, 1000 + u, work_for(u)) for u in ids))
    assert sorted(runs) == list(range(100, 140))  # each once, the redelivered one too
    assert sorted(r for r in results if r is not None) == list(range(100, 140))
    assert results.count(None) == 1 and len(wakes) == 40
    assert gate.store_commits < 10  # 40 updates, stored in a few transactions
    async with UnitOfWork(sessions) as uow:
        stored = list(
            await uow.session.scalars(select(InboxUpdate.update_id).order_by(InboxUpdate.update_id))
        )
        unfinished = await uow.inbox.unfinished(FakeClock().now())
    assert stored == list(range(100, 140)) and unfinished == []


async def test_the_same_update_twice_in_one_batch_is_taken_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    async with UnitOfWork(sessions) as uow:
        taken = await uow.inbox.take_many(
            [(8, 5, {"update_id": 8}), (9, 5, {"update_id": 9}), (8, 5, {"update_id": 8})],
            clock.now(),
            timedelta(seconds=30),
        )
        await uow.commit()
    assert taken == [True, True, False]


async def test_a_handler_that_outlives_its_lease_while_another_instance_takes_over_has_no_effect(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """Instance A claims update 21 and is held up (a slow query, a long pause) past its 30 s lease; instance
    B claims it and handles it. When A finally commits, its "done" finds the claim gone: its effects roll
    back, and the update has one effect, B's."""
    clock = FakeClock()
    a, _ = _gate(sessions, clock)
    b, _ = _gate(sessions, clock)
    held, go_on = asyncio.Event(), asyncio.Event()

    def work(name: str, wait: bool) -> Callable[[UnitOfWork], Awaitable[str]]:
        async def run(uow: UnitOfWork) -> str:
            if wait:
                held.set()
                await go_on.wait()
            await uow.outbox.put(Outgoing(5, Kind.SEND, f"effect of {name}"), clock.now())
            return name

        return run

    first = asyncio.create_task(a.handle(21, {"update_id": 21}, 5, work("A", wait=True)))
    await held.wait()
    clock.advance(timedelta(seconds=31))  # A's lease has run out
    assert await b.handle(21, {"update_id": 21}, 5, work("B", wait=False)) == "B"
    go_on.set()
    assert await first is None  # A's handling is dropped, not committed
    async with UnitOfWork(sessions) as uow:
        texts = [p["text"] for p in (await uow.session.scalars(select(OutboxMessage.payload))).all()]
    assert texts == ["effect of B"]
