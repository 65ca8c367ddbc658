"""The outbox: every message once, in order per chat, 429s honoured, several senders on one database."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tenacity import wait_none

from bot.domain.outgoing import Buttons
from bot.runtime import sent_marks
from bot.runtime.outbox import PRUNE_AT, OutboxSender
from bot.runtime.transport import Limits, RetryLater, Transient, Undeliverable
from bot.views.messenger import Messenger
from storage.db import make_engine, make_sessionmaker
from storage.direct import held
from storage.migrate import upgrade_async
from storage.models import OutboxMessage
from storage.repositories.outbox import Outbox
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.e2e.harness import sqlite_url

FAST = Limits(per_second=10_000, chat_burst=10_000, group_per_minute=10_000)


class RecordingTransport:
    """Speaks the outbox's transport protocol; fails as scripted, per chat, then records what went out."""

    def __init__(self, failures: dict[int, list[Exception]] | None = None) -> None:
        self.sent: list[tuple[int, str]] = []
        self.edits: list[tuple[int, int, str]] = []
        self.failures = failures or {}

    async def send(self, chat_id: int, text: str, buttons: Buttons) -> int:
        script = self.failures.get(chat_id)
        if script:
            raise script.pop(0)
        await asyncio.sleep(0)
        self.sent.append((chat_id, text))
        return len(self.sent)

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None:
        self.edits.append((chat_id, message_id, text))

    async def edit_markup(self, chat_id: int, message_id: int, buttons: Buttons) -> None:
        self.edits.append((chat_id, message_id, ""))


async def drain_once(sender: OutboxSender) -> int:
    """One claim and its delivery, as the sender's loop makes them (without the loop's timing)."""
    rows = await sender._claim()
    await sender._deliver_rows(rows)
    return len(rows)


async def _queue(
    sessions: async_sessionmaker[AsyncSession], clock: FakeClock, items: list[tuple[int, str]]
) -> None:
    messenger = Messenger(clock)
    async with UnitOfWork(sessions) as uow:
        for chat_id, text in items:
            await messenger.send(uow.outbox, chat_id, text)
        await uow.commit()


async def _statuses(sessions: async_sessionmaker[AsyncSession]) -> list[str]:
    async with UnitOfWork(sessions) as uow:
        return list(await uow.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


async def test_429_is_honoured_and_the_message_goes_once_afterwards(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    transport = RecordingTransport({5: [RetryLater(3)]})
    sender = OutboxSender(sessions, transport, clock, FAST)
    await _queue(sessions, clock, [(5, "één"), (5, "twee"), (6, "ander")])
    await drain_once(sender)
    assert transport.sent == [(6, "ander")]  # chat 5 waits, in order; chat 6 is not held up
    clock.advance(timedelta(seconds=2))
    assert await drain_once(sender) == 0
    clock.advance(timedelta(seconds=1))
    await drain_once(sender)
    assert transport.sent == [(6, "ander"), (5, "één"), (5, "twee")]
    assert await _statuses(sessions) == ["sent", "sent", "sent"]
    async with UnitOfWork(sessions) as uow:  # waiting on a 429 is no failed attempt
        attempts = list(await uow.session.scalars(select(OutboxMessage.attempts).order_by(OutboxMessage.id)))
    assert attempts == [0, 0, 0]


async def test_network_errors_back_off_and_retry(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    transport = RecordingTransport({5: [Transient("reset"), Transient("reset")]})
    sender = OutboxSender(sessions, transport, clock, FAST)
    await _queue(sessions, clock, [(5, "hallo")])
    await drain_once(sender)
    clock.advance(timedelta(seconds=2))
    await drain_once(sender)
    clock.advance(timedelta(seconds=3))
    assert await drain_once(sender) == 0  # the second back-off is 4 s
    clock.advance(timedelta(seconds=1))
    await drain_once(sender)
    assert transport.sent == [(5, "hallo")]


async def test_a_refused_message_is_marked_failed_and_not_retried(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    transport = RecordingTransport({5: [Undeliverable("bot was blocked by the user")]})
    sender = OutboxSender(sessions, transport, clock, FAST)
    await _queue(sessions, clock, [(5, "hallo"), (5, "nog een")])
    await drain_once(sender)
    clock.advance(timedelta(hours=1))
    await drain_once(sender)
    assert await _statuses(sessions) == ["failed", "sent"]
    assert transport.sent == [(5, "nog een")]


async def test_two_senders_on_one_database_send_each_message_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    items = [(chat, f"bericht {chat}-{n}") for chat in range(1, 31) for n in range(10)]
    await _queue(sessions, clock, items)
    transport = RecordingTransport()
    senders = [
        OutboxSender(sessions, transport, clock, Limits(per_second=10_000, chat_burst=10_000, batch=25))
        for _ in range(2)
    ]

    async def drain(sender: OutboxSender) -> None:
        while await drain_once(sender):
            pass

    await asyncio.gather(*(drain(s) for s in senders))
    assert sorted(transport.sent) == sorted(items)
    assert len(transport.sent) == len(set(transport.sent)) == 300
    for chat in range(1, 31):  # and each chat's messages in the order they were queued
        assert [t for c, t in transport.sent if c == chat] == [t for c, t in items if c == chat]
    assert senders[0].sent > 0 and senders[1].sent > 0


async def test_a_lease_left_by_a_crashed_sender_is_taken_over_after_it_expires(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _queue(sessions, clock, [(5, "hallo")])
    async with UnitOfWork(sessions) as uow:
        claimed = await uow.outbox.claim(clock.now(), timedelta(seconds=60), 10)
        await uow.commit()
    assert len(claimed) == 1  # ...and then that sender died
    transport = RecordingTransport()
    sender = OutboxSender(sessions, transport, clock, FAST)
    assert await drain_once(sender) == 0
    clock.advance(timedelta(seconds=61))
    assert await drain_once(sender) == 1
    assert transport.sent == [(5, "hallo")]


async def test_sent_marks_of_many_chats_share_commits_and_all_land(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    items = [(chat, f"bericht {chat}-{n}") for chat in range(1, 41) for n in range(3)]
    await _queue(sessions, clock, items)
    transport = RecordingTransport()
    sender = OutboxSender(sessions, transport, clock, FAST)
    assert await drain_once(sender) == 120
    assert sorted(transport.sent) == sorted(items)
    assert await _statuses(sessions) == ["sent"] * 120
    # 40 chats deliver side by side: their marks are grouped, not one transaction per message (measured:
    # 9-10 commits on PostgreSQL; 19-20 on SQLite, whose writes never pause for others to join).
    assert sender.marks.commits <= 40
    async with UnitOfWork(sessions) as uow:
        rows = list(await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    # Each row records the Telegram message id it became (the transport numbers them as it sends).
    by_text = {text: n for n, (_, text) in enumerate(transport.sent, 1)}
    assert [r.telegram_message_id for r in rows] == [by_text[r.payload["text"]] for r in rows]


async def test_a_failed_sent_mark_is_written_again_so_the_message_never_goes_twice(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram took the message, then the database dropped the "sent" mark twice (a lost connection):
    the mark is written again, so the row is on record and its lease running out sends nothing twice."""
    clock = FakeClock()
    await _queue(sessions, clock, [(7, "één"), (7, "twee")])
    failures = [OperationalError("UPDATE outbox", {}, Exception("connection lost"))] * 2
    real = Outbox.sent_many

    async def flaky(self: Outbox, rows: list[tuple[int, int | None]], now: datetime) -> None:
        if failures:
            raise failures.pop()
        await real(self, rows, now)

    monkeypatch.setattr(Outbox, "sent_many", flaky)
    monkeypatch.setattr(sent_marks, "wait_exponential", lambda **_: wait_none())
    transport = RecordingTransport()
    sender = OutboxSender(sessions, transport, clock, FAST)
    assert await drain_once(sender) == 2
    assert failures == [] and await _statuses(sessions) == ["sent", "sent"]
    clock.advance(timedelta(minutes=5))  # long past the lease
    assert await drain_once(sender) == 0
    assert transport.sent == [(7, "één"), (7, "twee")]


async def test_a_mark_that_keeps_failing_fails_the_delivery_and_keeps_the_chats_order(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that stays down: after its attempts the mark gives up, and the chat's next message
    is not sent behind a message that is not on record."""

    async def down(self: Outbox, rows: list[tuple[int, int | None]], now: datetime) -> None:
        raise OperationalError("UPDATE outbox", {}, Exception("database is locked"))

    clock = FakeClock()
    await _queue(sessions, clock, [(7, "één"), (7, "twee")])
    monkeypatch.setattr(Outbox, "sent_many", down)
    monkeypatch.setattr(sent_marks, "wait_exponential", lambda **_: wait_none())
    transport = RecordingTransport()
    sender = OutboxSender(sessions, transport, clock, FAST)
    with pytest.raises(OperationalError):
        await drain_once(sender)
    assert transport.sent == [(7, "één")]
    assert await _statuses(sessions) == ["pending", "pending"]


async def test_the_sender_forgets_idle_chats_limits(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    await _queue(sessions, clock, [(chat, "hallo") for chat in range(1, PRUNE_AT + 301)])
    sender = OutboxSender(sessions, RecordingTransport(), clock, FAST)
    while await drain_once(sender):
        pass
    assert sender.sent == PRUNE_AT + 300
    assert len(sender._chats) < PRUNE_AT  # pruned on the way (kept: 2,300 limiters)


async def test_a_backlog_is_sent_two_batches_at_a_time_each_chat_in_order(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    items = [(chat, f"bericht {chat}-{n}") for n in range(10) for chat in range(1, 31)]
    await _queue(sessions, clock, items)
    transport = RecordingTransport()
    sender = OutboxSender(sessions, transport, clock, Limits(per_second=10_000, chat_burst=10_000, batch=25))
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop, idle_poll=0.05))
    while sender.sent < len(items):  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    stop.set()
    await running
    assert sorted(transport.sent) == sorted(items)  # each message once
    for chat in range(1, 31):  # and each chat's in the order they were queued
        assert [t for c, t in transport.sent if c == chat] == [f"bericht {chat}-{n}" for n in range(10)]
    assert await _statuses(sessions) == ["sent"] * len(items)


async def test_a_claim_takes_about_a_second_of_sending(sessions: async_sessionmaker[AsyncSession]) -> None:
    # A burst of check-ins is claimed a second's worth at a time, so a reply handed to this sender in the
    # middle of it waits about two seconds at most (two batches in hand), not the whole burst.
    clock = FakeClock()
    await _queue(sessions, clock, [(chat, "check-in") for chat in range(1, 101)])
    sender = OutboxSender(sessions, RecordingTransport(), clock, Limits(per_second=29))
    assert await drain_once(sender) == 29
    assert await _statuses(sessions) == ["sent"] * 29 + ["pending"] * 71


@contextlib.asynccontextmanager
async def _running(sender: OutboxSender) -> AsyncIterator[OutboxSender]:
    """The sender's own loop in the background (its idle poll an hour: only wake-ups make it claim)."""
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop, idle_poll=3600))
    try:
        yield sender
    finally:
        stop.set()
        sender.wake()
        await asyncio.wait_for(running, 10)


class HeldTransport(RecordingTransport):
    """Holds the first message in flight until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight, self.release = asyncio.Event(), asyncio.Event()
        self.delivered = asyncio.Event()

    async def send(self, chat_id: int, text: str, buttons: Buttons) -> int:
        if not self.sent:
            self.in_flight.set()
            await self.release.wait()
        message_id = await super().send(chat_id, text, buttons)
        if len(self.sent) == 2:
            self.delivered.set()
        return message_id


async def test_a_reply_committed_while_the_chats_last_message_is_in_flight_goes_right_after_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # A conversation's next question is committed while its last one is still being sent: the claim
    # skips it (its chat has a row in hand). Once that row is out the sender must claim again, not sleep
    # until its idle poll (an hour here) because the wake-up came while it was busy.
    clock = FakeClock()
    transport = HeldTransport()
    async with _running(OutboxSender(sessions, transport, clock, FAST)) as sender:
        await _queue(sessions, clock, [(5, "vraag 1")])
        sender.wake()
        await asyncio.wait_for(transport.in_flight.wait(), 10)
        await _queue(sessions, clock, [(5, "vraag 2")])
        sender.wake()
        await asyncio.sleep(0.05)  # the sender claims, finds vraag 2 held back behind vraag 1
        transport.release.set()
        await asyncio.wait_for(transport.delivered.wait(), 10)
    assert transport.sent == [(5, "vraag 1"), (5, "vraag 2")]


async def test_a_quiet_sender_claims_once_per_reply(sessions: async_sessionmaker[AsyncSession]) -> None:
    # Each claim is a transaction; when nothing was held back behind a batch there is no need to look
    # again once it is out (the sender used to claim three times per reply).
    clock = FakeClock()
    transport = RecordingTransport()
    async with _running(OutboxSender(sessions, transport, clock, FAST)) as sender:
        while sender.claims < 1:  # noqa: ASYNC110 (the claim at start, then quiet)
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        for n in range(1, 4):
            await _queue(sessions, clock, [(5, f"antwoord {n}"), (6, f"antwoord {n}")])
            sender.wake()
            while len(transport.sent) < 2 * n:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            await asyncio.sleep(0.1)  # time for any further claim
        assert sender.claims == 1 + 3  # the first claim at start, then one per reply
    assert [t for _, t in transport.sent] == [f"antwoord {n}" for n in (1, 1, 2, 2, 3, 3)]


async def test_a_busy_groups_backlog_waits_at_the_groups_pace_and_a_reply_goes_at_once(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A desk group with more waiting than its limit lets through (here 3 a minute: one every 20 s): the
    rest is put back each at the group's pace, so a later claim finds one of them due at a time, not the
    whole backlog again (which crowded out replies and was put back row by row, claim after claim)."""
    clock = FakeClock()
    group, person = -100, 7
    await _queue(sessions, clock, [(group, f"melding {n}") for n in range(8)] + [(person, "antwoord")])
    transport = RecordingTransport()
    sender = OutboxSender(
        sessions, transport, clock, Limits(per_second=10_000, chat_burst=10, group_per_minute=3)
    )
    assert await drain_once(sender) == 9
    assert sorted(transport.sent) == sorted(
        [(group, f"melding {n}") for n in range(3)] + [(person, "antwoord")]
    )
    async with UnitOfWork(sessions) as uow:
        waiting = (
            await uow.session.execute(
                select(OutboxMessage.not_before, OutboxMessage.attempts, OutboxMessage.claimed_until)
                .where(OutboxMessage.status == "pending")
                .order_by(OutboxMessage.id)
            )
        ).all()
    now = clock.now()
    assert [row.not_before for row in waiting] == [now + timedelta(seconds=20 * n) for n in range(1, 6)]
    assert {(row.attempts, row.claimed_until) for row in waiting} == {(0, None)}  # no failure counted
    for n in range(3, 8):  # then one at a time, in the group's order
        clock.advance(timedelta(seconds=20))
        claimed = await sender._claim()
        assert [(row.chat_id, row.message.text) for row in claimed] == [(group, f"melding {n}")]
        async with UnitOfWork(sessions) as uow:  # as if it went (the limiter keeps real time, not the clock)
            await uow.outbox.sent_many([(claimed[0].id, None)], clock.now())
            await uow.commit()


async def _claim_steps(sessions: async_sessionmaker[AsyncSession], backlog: int) -> tuple[int, list[str]]:
    """Queue `backlog` messages to one group, all due, and claim ten: the work SQLite did for the claim
    (virtual machine steps, in hundreds: a count no machine's noise moves) and the messages it took."""
    clock = FakeClock()
    await _queue(sessions, clock, [(-100, f"melding {n}") for n in range(backlog)])
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0  # go on

    async with UnitOfWork(sessions) as uow:
        _, driver = await held(uow.session)
        driver.set_progress_handler(count, 100)
        claimed = await uow.outbox.claim(clock.now(), timedelta(seconds=30), 10)
        driver.set_progress_handler(None, 0)
        await uow.commit()
    return steps, [row.message.text for row in claimed]


async def test_a_claim_stops_at_its_limit_however_many_of_a_groups_messages_are_due(
    tmp_path: Path,
) -> None:
    """A busy desk group's backlog all due at once (its schedule passed while the bot was busy): the claim
    takes the first ten in order and stops there. It read every due row, checked each one's chat order
    against all the rows before it and sorted them: with 1,200 such rows a claim of 0.6 s in a soak, and
    every answer waited behind it (SQLite chose the index of due rows over the replies-first one)."""
    steps = {}
    for backlog in (200, 2_000):
        (tmp_path / str(backlog)).mkdir()
        url = sqlite_url(tmp_path / str(backlog))
        await upgrade_async(url)
        engine = make_engine(url)
        steps[backlog], texts = await _claim_steps(make_sessionmaker(engine), backlog)
        await engine.dispose()
        assert texts == [f"melding {n}" for n in range(10)]  # the group's first ten, in order
    assert steps[2_000] < 2 * steps[200], steps  # was ~100 ×: the work grew with the backlog squared


async def test_a_sender_without_a_part_of_the_rate_claims_nothing_and_takes_nothing_in_hand(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """A restarted instance waits for room beside a killed one's row (bot/runtime/share.py). Rows it claimed
    meanwhile would wait in its hand while their lease ran out, be claimed again, and go out twice (the
    kill -9 test of check-ins saw 15 doubles)."""
    clock = FakeClock()
    both = asyncio.Event()

    class Watched(RecordingTransport):
        async def send(self, chat_id: int, text: str, buttons: Buttons) -> int:
            message_id = await super().send(chat_id, text, buttons)
            if len(self.sent) == 2:
                both.set()
            return message_id

    transport = Watched()
    sender = OutboxSender(sessions, transport, clock, FAST)
    sender.share(0.0)
    assert sender.lease is None  # a handler leaves its replies to a claim
    await _queue(sessions, clock, [(7, "eerste"), (8, "tweede")])
    stop = asyncio.Event()
    running = asyncio.create_task(sender.run(stop, idle_poll=0.01))
    sender.wake()
    for _ in range(20):
        await asyncio.sleep(0.01)
    async with UnitOfWork(sessions) as uow:
        leased = select(OutboxMessage.id).where(OutboxMessage.claimed_until.is_not(None))
        assert list(await uow.session.scalars(leased)) == []
    assert sender.claims == 0 and transport.sent == []
    sender.share(0.5)  # room made: what waited goes out
    await asyncio.wait_for(both.wait(), 10)
    stop.set()
    sender.wake()
    await running
    assert sorted(transport.sent) == [(7, "eerste"), (8, "tweede")] and sender.lease is not None
