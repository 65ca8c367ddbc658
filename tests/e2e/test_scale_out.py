"""Two bot instances in webhook mode behind one port, sharing one PostgreSQL: a round-robin proxy (the load
balancer) splits Telegram's deliveries between them. Every signal is stored once, every check-in sent once,
and a conversation continues when one user's consecutive updates land on different instances."""

from __future__ import annotations

import asyncio
import time

import asyncpg
import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select

from bot.sandbox.emulator import Emulator
from storage.db import make_engine, make_sessionmaker
from storage.models import InboxUpdate, Signal
from storage.uow import UnitOfWork
from tests import pg
from tests.e2e.balancer import RoundRobin
from tests.e2e.harness import (
    Phone,
    bot_process,
    file_intake,
    quiet,
    stop_process,
)
from tests.e2e.test_checkin_load import delivered, seed_checkins
from tests.net import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]

WILLEM, GGD = 1003, -1001001
SECRET_TOKEN = "webhook-secret-of-at-least-32-chars"


@pytest.fixture
async def postgres_url(pg_cluster: pg.Cluster) -> str:
    conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/postgres")
    await conn.execute('CREATE DATABASE "scale_out"')
    await conn.close()
    return pg_cluster.url("scale_out")


@pytest.mark.slow
async def test_two_instances_share_the_work_and_nothing_happens_twice(
    postgres_url: str, emulator: tuple[Emulator, str]
) -> None:
    emu, base = emulator
    refs = await seed_checkins(postgres_url, 200, 80)  # due now: both instances' schedulers see them
    ports = [free_port(), free_port()]
    balancer = RoundRobin(ports)
    front = await balancer.start()
    bots = [
        bot_process(
            postgres_url,
            base,
            mode="webhook",
            webhook_listen="127.0.0.1",
            webhook_port=str(port),
            webhook_url=front,
            webhook_secret=SECRET_TOKEN,
        )
        for port in ports
    ]
    http = ClientSession()
    try:
        await balancer.until_up(lambda: emu.webhook_url is not None)
        phone = Phone(http, base)
        # One person's whole intake: consecutive updates alternate between the two instances. Each tap
        # waits for the answer to the one before, as a person does (two taps in flight at once on two
        # instances may be handled out of order: see the README's known limits).
        receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref="SC-1")
        ref = receipt["text"].split()[2]
        await phone.expect(GGD, f"Nieuw signaal {ref}", within=15)

        deadline = time.monotonic() + 60
        while len(delivered(emu)) < len(refs):
            assert time.monotonic() < deadline, "not every check-in arrived"
            await asyncio.sleep(0.2)
        await quiet(postgres_url, emu)  # anything sent twice has been sent by now
        seen = delivered(emu)
        assert set(seen) == set(refs) and set(seen.values()) == {1}
        assert all(n > 3 for n in balancer.served), balancer.served  # both instances took updates
        assert len([m for m in emu.chats[GGD] if ref in m.text]) == 1  # one summary, edited in place

        engine = make_engine(postgres_url)
        try:
            async with UnitOfWork(make_sessionmaker(engine)) as uow:
                assert await uow.session.scalar(select(func.count(Signal.id))) == 1
                unhandled = select(func.count()).where(InboxUpdate.processed_at.is_(None))
                assert await uow.session.scalar(unhandled) == 0
        finally:
            await engine.dispose()
    finally:
        for bot in bots:
            stop_process(bot)
        await http.close()
        await balancer.close()
