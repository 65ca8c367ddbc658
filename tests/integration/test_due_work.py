"""Due work runs exactly once: two runners at once, a claimer that died, a claimer that stalled."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import ClassVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.app.scheduler import due_tick
from bot.domain.jobs import Job
from bot.domain.outgoing import Kind, Outgoing
from bot.runtime.due import AHEAD, LEASE, DueRunner, Handlers
from storage.models import DueWork
from storage.ports import Work
from storage.uow import UnitOfWork
from tests.clock import FakeClock


@dataclass(frozen=True)
class Numbered(Job):
    """A job for these tests: its number is what the handler sees."""

    kind: ClassVar[str] = "test"
    i: int


async def _plan(sessions: async_sessionmaker[AsyncSession], clock: FakeClock, n: int) -> None:
    async with UnitOfWork(sessions) as uow:
        for i in range(n):
            await uow.due.plan(Numbered(i), clock.now())
            await uow.due.plan(Numbered(i), clock.now())  # planned twice: one row
        await uow.commit()


def _runner(sessions: async_sessionmaker[AsyncSession], clock: FakeClock, seen: Counter[int]) -> DueRunner:
    async def handler(uow: Work, job: Numbered) -> None:
        await asyncio.sleep(0)
        # The visible effect goes through the outbox, in the same transaction as the done mark.
        await uow.outbox.put(Outgoing(1, Kind.SEND, f"run {job.i}"), clock.now())
        seen[job.i] += 1

    return DueRunner(sessions, clock, Handlers().on(Numbered, handler))


async def test_two_runners_at_once_run_each_row_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    await _plan(sessions, clock, 60)
    seen: Counter[int] = Counter()
    a, b = _runner(sessions, clock, seen), _runner(sessions, clock, seen)

    async def drain(r: DueRunner) -> None:
        while await r.run_once(limit=7):
            pass

    await asyncio.gather(drain(a), drain(b))
    assert sorted(seen) == list(range(60)) and set(seen.values()) == {1}
    async with UnitOfWork(sessions) as uow:
        assert (await uow.outbox.backlog())[0] == 60
        assert await uow.due.pending() == []


async def test_work_claimed_by_a_runner_that_died_is_done_once_after_its_lease(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _plan(sessions, clock, 3)
    async with UnitOfWork(sessions) as uow:  # claimed, then the process was killed
        assert len(await uow.due.claim(clock.now(), LEASE, 10)) == 3
        await uow.commit()
    seen: Counter[int] = Counter()
    runner = _runner(sessions, clock, seen)
    assert await runner.run_once() == 0
    clock.advance(LEASE + timedelta(seconds=1))
    assert await runner.run_once() == 3
    assert await runner.run_once() == 0
    assert seen == Counter({0: 1, 1: 1, 2: 1})


async def test_a_stalled_runner_cannot_finish_work_another_took_over(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _plan(sessions, clock, 1)
    async with UnitOfWork(sessions) as uow:
        stale = (await uow.due.claim(clock.now(), LEASE, 10))[0]
        await uow.commit()
    clock.advance(LEASE + timedelta(seconds=1))
    seen: Counter[int] = Counter()
    assert await _runner(sessions, clock, seen).run_once() == 1
    async with UnitOfWork(sessions) as uow:
        assert await uow.due.done(stale.id, stale.claim_token or "", clock.now()) is False


async def test_a_burst_of_due_work_leaves_the_loop_to_the_rest_of_the_bot_between_batches(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """On SQLite a statement never yields to the loop: without a turn between batches, polling, replies
    and sends would all wait for the whole burst (found with 100,000 check-ins due at once)."""
    clock = FakeClock()
    await _plan(sessions, clock, 100)
    seen: Counter[int] = Counter()

    async def handler(uow: Work, job: Numbered) -> None:  # database work only
        await uow.outbox.put(Outgoing(1, Kind.SEND, "check-in"), clock.now())
        seen[job.i] += 1

    runner = DueRunner(sessions, clock, Handlers().on(Numbered, handler))
    turns = 0

    async def rest_of_the_bot() -> None:
        nonlocal turns
        while True:
            await asyncio.sleep(0)
            turns += 1

    other = asyncio.create_task(rest_of_the_bot())
    await asyncio.sleep(0)
    batches = 0
    real_run_once = runner.run_once

    async def counted(limit: int = 25, bulk: bool = True) -> int:
        nonlocal batches
        batches += 1
        return await real_run_once(limit=10, bulk=bulk)

    runner.run_once = counted  # type: ignore[method-assign]
    await due_tick(runner)
    other.cancel()
    assert sorted(seen) == list(range(100))
    assert batches == 11  # ten batches of ten, and the one that found nothing
    assert turns >= 10  # the rest of the bot ran between every two batches


async def test_a_claim_takes_no_more_rows_than_asked(sessions: async_sessionmaker[AsyncSession]) -> None:
    """On PostgreSQL the locked candidates are chosen once: as `IN (subquery)` the planner re-ran the
    subquery per updated row, each run skipping the rows just claimed, and a claim of 10 took all 100."""
    clock = FakeClock()
    await _plan(sessions, clock, 100)
    async with UnitOfWork(sessions) as uow:
        first = await uow.due.claim(clock.now(), LEASE, 10)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        second = await uow.due.claim(clock.now(), LEASE, 25)
        await uow.commit()
    assert len(first) == 10 and len(second) == 25
    assert not {r.id for r in first} & {r.id for r in second}
    async with UnitOfWork(sessions) as uow:
        assert len([r for r in await uow.due.pending() if r.claim_token is None]) == 65


async def test_a_row_that_does_not_fit_its_kind_is_set_aside_and_the_rest_runs(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _plan(sessions, clock, 2)
    async with UnitOfWork(sessions) as uow:  # written by hand, or by a release that read it otherwise
        await uow.session.execute(
            insert(DueWork).values(
                kind="test",
                key="test:odd",
                due_at=clock.now(),
                payload={"i": "odd"},
                status="pending",
                attempts=0,
            )
        )
        await uow.commit()
    seen: Counter[int] = Counter()
    assert await _runner(sessions, clock, seen).run_once() == 3
    assert seen == Counter({0: 1, 1: 1})
    async with UnitOfWork(sessions) as uow:
        assert await uow.due.pending() == []


@dataclass(frozen=True)
class Bulky(Job):
    """A kind with a batch handler: the kind of due work that makes bulk messages (check-ins)."""

    kind: ClassVar[str] = "test_bulk"
    i: int


async def test_while_enough_bulk_waits_to_go_bulk_due_work_waits_and_other_due_work_runs(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A 09:00 burst becomes outbox rows far faster than they may leave: while about two seconds of bulk
    wait to go, more check-ins wait too (the loop stays free for replies); an escalation's deadline does not."""
    clock = FakeClock()
    async with UnitOfWork(sessions) as uow:
        await uow.outbox.put_many([Outgoing(i, Kind.SEND, "check-in") for i in range(AHEAD + 5)], clock.now())
        for i in range(3):
            await uow.due.plan(Bulky(i), clock.now())
        await uow.due.plan(Numbered(1), clock.now())
        await uow.commit()
    ran: list[str] = []
    deadline_ran = asyncio.Event()

    async def one(uow: Work, job: Numbered) -> None:
        ran.append(f"deadline {job.i}")
        deadline_ran.set()

    async def bulk_one(uow: Work, job: Bulky) -> None:
        ran.append(f"check-in {job.i}")

    async def bulk(uow: Work, jobs: list[Bulky]) -> None:
        ran.extend(f"check-in {job.i}" for job in jobs)
        await uow.outbox.put_many([Outgoing(100 + j.i, Kind.SEND, "check-in") for j in jobs], clock.now())

    handlers = Handlers().on(Numbered, one).on(Bulky, bulk_one).batched(Bulky, bulk)
    runner = DueRunner(sessions, clock, handlers)
    looks = 0
    looked_again = asyncio.Event()
    real_ahead = runner.ahead

    async def ahead() -> bool:
        nonlocal looks
        looks += 1
        if looks == 3:  # the deadline's round, and two looks at the outbox after it
            looked_again.set()
        return await real_ahead()

    runner.ahead = ahead  # type: ignore[method-assign]
    tick = asyncio.create_task(due_tick(runner))
    async with asyncio.timeout(10):
        await deadline_ran.wait()
        await looked_again.wait()
    assert ran == ["deadline 1"]  # the check-ins wait while the outbox holds enough of them
    assert not tick.done()

    async with UnitOfWork(sessions) as uow:  # the sender sends what waited
        rows = await uow.outbox.claim(clock.now(), LEASE, 100)
        await uow.outbox.sent_many([(r.id, None) for r in rows], clock.now())
        await uow.commit()
    async with asyncio.timeout(10):
        await tick
    assert ran == ["deadline 1", "check-in 0", "check-in 1", "check-in 2"]


async def test_a_second_due_round_while_one_runs_returns_at_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The scheduler's next tick (or the digests' round) finds a burst's round still running: it leaves the
    rows to that round instead of a second loop over the same outbox (and a "skipped" warning each tick)."""
    clock = FakeClock()
    await _plan(sessions, clock, 3)
    seen: Counter[int] = Counter()
    runner = _runner(sessions, clock, seen)
    async with runner.ticking:  # a round is running
        await due_tick(runner)
        assert seen == Counter()
    await due_tick(runner)
    assert seen == Counter({0: 1, 1: 1, 2: 1})
