"""Replies handed straight to this instance's sender, and the claim's chat-order check on a busy group.

A handler leases the replies it queued in its own transaction, so they go out without a claim; a chat
with an earlier row still to go keeps its order (its new rows wait for a claim); a sender with more than
a second of sending in hand takes nothing (a claim, which an idle instance may win, is quicker then)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.outgoing import Queued
from bot.runtime import gate as updates
from bot.runtime.gate import UpdateGate
from bot.runtime.outbox import OutboxSender
from bot.runtime.transport import Limits
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from storage.models import OutboxMessage
from storage.repositories.outbox_sql import OUTBOX_PUT_LEASED, claim_candidates
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.integration.test_outbox import FAST, RecordingTransport, _queue, _running, drain_once

GROUP, PERSON, OTHER = -1001001, 5, 6


class Handed:
    """Speaks the gate's hand-over protocol and records what it was given."""

    def __init__(self, lease: timedelta | None = timedelta(seconds=60)) -> None:
        self._lease = lease
        self.rows: list[tuple[int, str]] = []
        self.held: set[int] = set()

    @property
    def lease(self) -> timedelta | None:
        return self._lease

    def hand(self, rows: list[Queued], held: set[int]) -> None:
        self.rows += [(row.chat_id, row.message.text) for row in rows]
        self.held |= held


def _gate(
    sessions: async_sessionmaker[AsyncSession], clock: FakeClock, handed: Handed
) -> tuple[UpdateGate, list[int]]:
    wakes: list[int] = []
    gate = UpdateGate(
        sessions,
        clock,
        Messenger(clock),
        Translator(load_catalogs()),
        lambda: wakes.append(1),
        direct=handed,
    )
    return gate, wakes


def _replying(clock: FakeClock, *texts: str, chat: int = PERSON):  # type: ignore[no-untyped-def]
    async def work(uow: UnitOfWork) -> None:
        for text in texts:
            await Messenger(clock).send(uow.outbox, chat, text)

    return work


async def _leases(sessions: async_sessionmaker[AsyncSession]) -> list[tuple[str, bool]]:
    async with UnitOfWork(sessions) as uow:
        rows = await uow.session.execute(
            select(OutboxMessage.payload, OutboxMessage.claimed_until).order_by(OutboxMessage.id)
        )
        return [(payload["text"], until is not None) for payload, until in rows]


async def test_a_reply_is_leased_in_its_handlers_transaction_and_handed_over_without_a_claim(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock, handed = FakeClock(), Handed()
    gate, wakes = _gate(sessions, clock, handed)
    await gate.handle(1, {"update_id": 1}, PERSON, _replying(clock, "→ Nee", "Wat heeft u gezien?"))
    assert handed.rows == [(PERSON, "→ Nee"), (PERSON, "Wat heeft u gezien?")]
    assert await _leases(sessions) == [("→ Nee", True), ("Wat heeft u gezien?", True)]
    assert wakes == []  # nothing left for a claim


async def test_a_handler_that_outlives_half_its_lease_leaves_its_replies_to_a_claim(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The reply was leased when the handler began; after 40 of the lease's 60 seconds, handing it over
    would race the lease's end (another instance's claim could send it too). It waits for a claim."""
    clock, handed = FakeClock(), Handed()
    gate, wakes = _gate(sessions, clock, handed)

    async def slow(uow: UnitOfWork) -> None:
        await Messenger(clock).send(uow.outbox, PERSON, "laat antwoord")
        clock.advance(timedelta(seconds=40))

    await gate.handle(1, {"update_id": 1}, PERSON, slow)
    assert handed.rows == [] and wakes == [1]
    sender = OutboxSender(sessions, transport := RecordingTransport(), clock, FAST)
    assert await drain_once(sender) == 0  # still leased for 20 seconds: nobody sends it yet
    clock.advance(timedelta(seconds=21))
    await drain_once(sender)
    assert transport.sent == [(PERSON, "laat antwoord")]


async def test_a_reply_behind_a_row_of_its_chat_still_to_go_waits_for_a_claim_in_order(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock, handed = FakeClock(), Handed()
    await _queue(sessions, clock, [(PERSON, "check-in van vanochtend")])  # queued, not yet sent
    gate, wakes = _gate(sessions, clock, handed)
    await gate.handle(2, {"update_id": 2}, PERSON, _replying(clock, "antwoord"))
    await gate.handle(3, {"update_id": 3}, OTHER, _replying(clock, "ander gesprek", chat=OTHER))
    assert handed.rows == [(OTHER, "ander gesprek")] and handed.held == {PERSON}
    assert wakes == [1]  # the held reply is for the sender's claim
    assert await _leases(sessions) == [
        ("check-in van vanochtend", False),
        ("antwoord", False),
        ("ander gesprek", True),
    ]
    sender = OutboxSender(sessions, transport := RecordingTransport(), clock, FAST)
    await drain_once(sender)
    assert transport.sent == [(PERSON, "check-in van vanochtend"), (PERSON, "antwoord")]


async def test_a_sender_with_more_than_a_second_in_hand_takes_no_replies(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    gate, wakes = _gate(sessions, clock, Handed(lease=None))
    await gate.handle(1, {"update_id": 1}, PERSON, _replying(clock, "antwoord"))
    assert await _leases(sessions) == [("antwoord", False)] and wakes == [1]

    release = asyncio.Event()

    class Slow(RecordingTransport):
        async def send(self, chat_id: int, text: str, buttons: list[list[list[str]]]) -> int:
            await release.wait()
            return await super().send(chat_id, text, buttons)

    sender = OutboxSender(sessions, Slow(), clock, Limits(per_second=2, chat_burst=10, group_per_minute=100))
    assert sender.lease == timedelta(seconds=60)
    await _queue(sessions, clock, [(100 + i, "check-in") for i in range(3)])
    draining = asyncio.create_task(drain_once(sender))
    for _ in range(200):  # until its claim is in (a busy machine may take a while)
        if sender.lease is None:
            break
        await asyncio.sleep(0.01)
    assert sender.lease is None  # four rows in hand at two a second
    release.set()
    await draining
    assert sender.lease == timedelta(seconds=60)


async def test_handed_rows_go_out_and_a_held_chat_is_claimed_after_them(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    transport = RecordingTransport()
    sender = OutboxSender(sessions, transport, clock, FAST)
    gate = UpdateGate(
        sessions, clock, Messenger(clock), Translator(load_catalogs()), sender.wake, direct=sender
    )
    async with _running(sender):
        await gate.handle(1, {"update_id": 1}, PERSON, _replying(clock, "een", "twee"))
        await gate.handle(2, {"update_id": 2}, PERSON, _replying(clock, "drie"))
        for _ in range(300):
            if len(transport.sent) == 3:
                break
            await asyncio.sleep(0.01)
    assert transport.sent == [(PERSON, "een"), (PERSON, "twee"), (PERSON, "drie")]
    async with UnitOfWork(sessions) as uow:
        assert set(await uow.session.scalars(select(OutboxMessage.status))) == {"sent"}


async def test_a_group_held_back_by_its_limit_holds_only_its_own_rows(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    now = clock.now()
    base = dict(kind="send", payload={"text": "x", "buttons": []}, attempts=0, created_at=now)
    async with UnitOfWork(sessions) as uow:
        rows = [base | dict(chat_id=GROUP, status="sent", not_before=now) for _ in range(300)]
        rows.append(base | dict(chat_id=GROUP, status="pending", not_before=now + timedelta(seconds=3)))
        rows += [base | dict(chat_id=GROUP, status="pending", not_before=now) for _ in range(20)]
        rows += [base | dict(chat_id=PERSON, status="pending", not_before=now) for _ in range(2)]
        await uow.session.execute(insert(OutboxMessage), rows)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        claimed = await uow.outbox.claim(now, timedelta(seconds=60), 200)
        await uow.commit()
    assert [row.chat_id for row in claimed] == [PERSON, PERSON]


@pytest.mark.parametrize("statement", ["claim", "lease"])
async def test_the_chat_order_check_reads_only_rows_still_to_go(
    sessions: async_sessionmaker[AsyncSession], statement: str
) -> None:
    """Whatever values are bound: PostgreSQL's generic plan for a prepared statement (asyncpg prepares
    every query) and SQLite's plan know nothing of them, so the index's condition must be in the text.
    Both the sender's claim and a handler's lease of its own replies check a chat's order."""
    query = claim_candidates() if statement == "claim" else OUTBOX_PUT_LEASED.stmt
    async with UnitOfWork(sessions) as uow:
        dialect = uow.session.get_bind().dialect
        compiled = query.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
        conn = await uow.session.connection()
        if dialect.name == "sqlite":
            params = tuple(None for _ in compiled.positiontup or [])
            plan = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)).all()
        else:
            await conn.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
            await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # an empty table: a plan by index
            await conn.exec_driver_sql(f"PREPARE order_probe AS {compiled}")
            nulls = ", ".join("NULL" for _ in compiled.positiontup or [])
            plan = (await conn.exec_driver_sql(f"EXPLAIN EXECUTE order_probe({nulls})")).all()
    # Any partial index of rows still to go (by chat; by lane for the claim's order; by when they fall due)
    # reads only those: on an empty table the planner may take any; with a backlog the chat's is the
    # selective one.
    assert any("ix_outbox_pending_" in str(step) for step in plan), plan


async def test_with_many_updates_in_hand_replies_wait_for_the_senders_batched_claim(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(updates, "HAND_OVER_BELOW", 2)
    clock, handed = FakeClock(), Handed()
    gate, wakes = _gate(sessions, clock, handed)
    release = asyncio.Event()

    async def slow(uow: UnitOfWork) -> None:
        await release.wait()
        await Messenger(clock).send(uow.outbox, OTHER, "traag antwoord")

    waiting = asyncio.create_task(gate.handle(1, {"update_id": 1}, OTHER, slow))
    await asyncio.sleep(0.05)  # update 1 is in hand
    await gate.handle(2, {"update_id": 2}, PERSON, _replying(clock, "antwoord"))
    assert handed.rows == [] and wakes == [1]  # two in hand: left to a claim
    release.set()
    await waiting
    assert handed.rows == [(OTHER, "traag antwoord")]  # alone again: handed over
    assert await _leases(sessions) == [("antwoord", False), ("traag antwoord", True)]
