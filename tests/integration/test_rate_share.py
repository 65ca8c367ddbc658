"""Instances share the bot's one sending rate through the `senders` table (bot/runtime/share.py): what each
instance's sender is told, beat by beat, as instances come, go and die (PostgreSQL, where several run), and
that a SQLite file's one instance never waits for a killed predecessor."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.runtime.share import GONE, RateShare
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.models import SenderShare
from storage.uow import UnitOfWork
from tests import pg
from tests.clock import FakeClock
from tests.e2e.harness import sqlite_url

Sessions = async_sessionmaker[AsyncSession]
_databases = itertools.count()


@pytest.fixture
async def on_postgres(pg_cluster: pg.Cluster) -> AsyncIterator[tuple[Sessions, Sessions]]:
    """Two instances' sessions on one migrated PostgreSQL database (a SQLite file serves one instance)."""
    name = f"rate_share_{next(_databases)}"
    admin = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    await upgrade_async(pg_cluster.url(name))
    engines = [make_engine(pg_cluster.url(name)) for _ in range(2)]
    yield make_sessionmaker(engines[0]), make_sessionmaker(engines[1])
    for engine in engines:
        await engine.dispose()


class Told:
    """What a sender was told, in order."""

    def __init__(self) -> None:
        self.parts: list[float] = []

    def __call__(self, part: float) -> None:
        self.parts.append(part)


@pytest.mark.postgres
async def test_a_second_instance_waits_for_room_then_both_send_half(
    on_postgres: tuple[Sessions, Sessions],
) -> None:
    sessions, other_instance = on_postgres
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


@pytest.mark.postgres
async def test_a_dead_instance_is_forgotten_after_a_while(on_postgres: tuple[Sessions, Sessions]) -> None:
    sessions, other_instance = on_postgres
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


async def test_on_sqlite_a_restarted_instance_has_the_whole_rate_at_once(tmp_path: Path) -> None:
    """A SQLite file serves one instance: a row left by a killed predecessor (another process id, so
    another name) is not waited for."""
    url = sqlite_url(tmp_path)
    await upgrade_async(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    clock = FakeClock()
    try:
        await RateShare(sessions, clock, "host-101", Told()).beat()  # then killed
        assert await RateShare(sessions, clock, "host-102", Told()).beat() == 1.0
    finally:
        await engine.dispose()


async def test_an_instance_that_cannot_reach_the_table_sends_nothing() -> None:
    engine = make_engine("sqlite+aiosqlite:///file:/nonexistent/dir/x.db?mode=ro&uri=true")
    told = Told()
    try:
        assert await RateShare(make_sessionmaker(engine), FakeClock(), "a", told).beat() == 0.0
    finally:
        await engine.dispose()
    assert told.parts == [0.0]
