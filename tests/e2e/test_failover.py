"""Running for a region: instances as their own processes, started with the image's command (the
Dockerfile's CMD), against the emulator.

- Three instances on one PostgreSQL, polling: one polls (the poller's lease), the others stand by and send.
  The poller is killed (-9) twice; each time another takes over within 30 s, and every signal is filed
  once and every reply arrives once.
- Logs are JSON lines with the update id, the chat's kind and the outcome, and hold neither a BSN nor
  anything else a person typed."""

from __future__ import annotations

import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select, text

from bot.sandbox.emulator import Emulator
from storage.db import make_engine, make_sessionmaker
from storage.models import InboxUpdate, Signal
from storage.uow import UnitOfWork
from tests import pg
from tests.e2e.harness import (
    Phone,
    bot_process,
    file_intake,
    intake_from_care,
    intake_to_description,
    log_tail,
    prepared_database,
    quiet,
    sqlite_url,
    stop_process,
)

pytestmark = pytest.mark.e2e

WILLEM, GGD = 1003, -1001001
ROOT = Path(__file__).resolve().parents[2]
TAKE_OVER = 30.0  # seconds, from the poller's death to the next answer


def image_command() -> list[str]:
    """The Dockerfile's CMD, its program taken from this environment (what the image's PATH gives)."""
    line = next(x for x in (ROOT / "Dockerfile").read_text().splitlines() if x.startswith("CMD "))
    program, *args = json.loads(line[4:])
    return [str(Path(sys.executable).with_name(program)), *args]


async def read(url: str, query: Any) -> Any:
    engine = make_engine(url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            return await uow.session.scalar(query)
    finally:
        await engine.dispose()


@pytest.mark.slow
@pytest.mark.postgres
async def test_three_instances_the_poller_killed_twice_nothing_lost_or_doubled(
    pg_cluster: pg.Cluster, emulator: tuple[Emulator, str], tmp_path: Path
) -> None:
    emu, base = emulator
    admin = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/postgres")
    await admin.execute('CREATE DATABASE "failover"')
    await admin.close()
    url = pg_cluster.url("failover")
    await prepared_database(url)
    log = tmp_path / "bots.log"
    # Short outbox and due-work leases, so what a killed instance had claimed comes back within seconds.
    bots = {
        name: bot_process(
            url,
            base,
            log,
            argv=image_command(),
            instance_name=name,
            outbox_lease_seconds="4",
            due_lease_seconds="4",
        )
        for name in ("bot-a", "bot-b", "bot-c")
    }
    holder = text("select holder from leases where name = 'poller' and expires_at > now()")
    http = ClientSession()
    phone = Phone(http, base)
    refs: list[str] = []
    try:
        for round_ in range(3):
            started = time.monotonic()
            mark = await phone.last_id(WILLEM)
            await phone.send(WILLEM, "/help")  # waits at Telegram until some instance polls
            await phone.expect(WILLEM, "/mijn", within=TAKE_OVER + 15, after=mark)
            took = time.monotonic() - started
            if round_:
                assert took < TAKE_OVER, f"took over after {took:.1f} s\n{log_tail(log)}"
            receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref=f"FO-{round_}")
            ref = receipt["text"].split()[2]
            await phone.expect(GGD, f"Nieuw signaal {ref}", within=15)
            refs.append(ref)
            poller = await read(url, holder)
            assert poller in bots, poller
            if round_ < 2:
                bots[poller].send_signal(signal.SIGKILL)
                bots[poller].wait(10)
                del bots[poller]

        assert len(bots) == 1 and await read(url, holder) in bots  # the last one left polls
        await quiet(url, emu)  # anything sent twice has been sent by now
        assert await read(url, select(func.count(Signal.id))) == 3
        assert await read(url, select(func.count()).where(InboxUpdate.processed_at.is_(None))) == 0
        willem = await phone.bot_messages(WILLEM)
        assert sum("is verstuurd" in m["text"] for m in willem) == 3
        assert sum("/mijn" in m["text"] for m in willem) == 3  # each /help answered once
        ggd = await phone.bot_messages(GGD)
        for ref in refs:
            assert sum(f"Nieuw signaal {ref}" in m["text"] for m in ggd) == 1
    finally:
        for bot in bots.values():
            stop_process(bot)
        await http.close()


@pytest.mark.slow
async def test_logs_are_json_lines_without_what_a_person_typed(
    emulator: tuple[Emulator, str], tmp_path: Path
) -> None:
    _, base = emulator
    url = sqlite_url(tmp_path)
    await prepared_database(url)
    log = tmp_path / "bot.log"
    bot = bot_process(url, base, log, argv=image_command(), log_json="true", log_level="INFO")
    http = ClientSession()
    phone = Phone(http, base)
    try:
        mark = await intake_to_description(
            phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref="Zonnebloem-4711"
        )
        words = "Meneer (BSN 111222333) is erg verward; hij noemt zich Kapitein Zeewolf."
        await phone.fill(WILLEM, words, choice="redact")
        await intake_from_care(phone, WILLEM, mark)
        await phone.expect(GGD, "Nieuw signaal")
    finally:
        stop_process(bot)
        await http.close()
    lines = log.read_text().splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    handled = [r for r in records if r["event"] == "update_handled"]
    assert len(handled) >= 8
    assert all(isinstance(r["update_id"], int) and r["outcome"] == "handled" for r in handled)
    assert {r["chat_kind"] for r in handled} == {"private"}
    assert all({"time", "level"} <= set(r) for r in records)
    body = "\n".join(lines)
    for typed in ("111222333", "Zonnebloem-4711", "Kapitein Zeewolf", "erg verward"):
        assert typed not in body
    # No chat or person is named by id either.
    assert not any(v in (WILLEM, GGD) for r in records for v in r.values())
