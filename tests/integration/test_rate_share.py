"""Instances share the bot's one sending rate through the `senders` table (bot/runtime/share.py), on SQLite
and PostgreSQL: what each instance's sender is told, beat by beat, as instances come, go and die."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.share import GONE, RateShare
from storage.db import make_engine, make_sessionmaker
from storage.models import SenderShare
from storage.uow import UnitOfWork
from tests.clock import FakeClock


class Told:
    """What a sender was told, in order."""

    def __init__(self) -> None:
        self.parts: list[float] = []

    def __call__(self, part: float) -> None:
        self.parts.append(part)


async def test_a_second_instance_waits_for_room_then_both_send_half(
    sessions: async_sessionmaker[AsyncSession], other_instance: async_sessionmaker[AsyncSession]
) -> None:
    clock = FakeClock()
    a_told, b_told = Told(), Told()
    a = RateShare(sessions, clock, "a", a_told)
    b = RateShare(other_instance, clock, "b", b_told)
    assert await a.beat() == 1.0 and a_told.parts == []  # alone: the whole rate, as it started
    assert await b.beat() == 0.0 and b_told.parts == [0.0]  # "a" still sends at the whole rate
    assert await a.beat() == 0.5 and a_told.parts == [0.5]
    assert await b.beat() == 0.5 and b_told.parts == [0.0, 0.5]
    assert await a.beat() == 0.5 and a_told.parts == [0.5]  # nothing changed: nothing told

    # "b" stops: its last beat takes its row out, and "a" has the whole rate at its next beat.
    stop = asyncio.Event()
    stop.set()
    await b.run(stop)
    assert await a.beat() == 1.0 and a_told.parts == [0.5, 1.0]


async def test_a_dead_instance_is_forgotten_after_a_while(
    sessions: async_sessionmaker[AsyncSession], other_instance: async_sessionmaker[AsyncSession]
) -> None:
    clock = FakeClock()
    a = RateShare(sessions, clock, "a", Told())
    await a.beat()
    await RateShare(other_instance, clock, "b", Told()).beat()  # then killed: it never beats again
    assert await a.beat() == 0.5
    clock.advance(timedelta(seconds=GONE - 1))
    assert await a.beat() == 0.5  # "b" may still be sending
    clock.advance(timedelta(seconds=2))
    assert await a.beat() == 1.0
    async with UnitOfWork(sessions) as uow:
        assert await uow.session.scalar(select(func.count(SenderShare.name))) == 1


async def test_an_instance_that_cannot_reach_the_table_sends_nothing() -> None:
    engine = make_engine("sqlite+aiosqlite:///file:/nonexistent/dir/x.db?mode=ro&uri=true")
    told = Told()
    try:
        assert await RateShare(make_sessionmaker(engine), FakeClock(), "a", told).beat() == 0.0
    finally:
        await engine.dispose()
    assert told.parts == [0.0]
