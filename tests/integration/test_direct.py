"""Statements run on the driver's connection itself (storage/direct.py: sqlite3, asyncpg) store what the
session would store, belong to the unit of work's transaction, and fail as the session would."""

from __future__ import annotations

from datetime import timedelta

import asyncpg
import pytest
from sqlalchemy import event, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.outgoing import Kind, Outgoing
from bot.domain.tallies import Counted
from storage.models import Conversation, InboxUpdate, OutboxMessage, User
from storage.repositories import Conflict, StaleState
from storage.repositories.people import USER_KEYS
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.integration.factories import a_filer

QUESTION = "Wat is er aan de hand? Ëén vraag"
PAYLOAD = {"text": QUESTION, "buttons": [[["Ja", "j:1"]]]}


async def _outbox(sessions: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with UnitOfWork(sessions) as uow:
        return list(await uow.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_a_row_put_directly_reads_back_through_the_orm_as_written(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        first = await uow.outbox.put(Outgoing(7, Kind.SEND, QUESTION, [[("Ja", "j:1")]]), now)
        uow.outbox.lease_replies(now + timedelta(seconds=30))
        second = await uow.outbox.put(Outgoing(8, Kind.SEND, QUESTION, [[("Ja", "j:1")]]), now)
        stored = (await uow.session.execute(text("select payload from outbox"))).scalars().all()
        await uow.commit()
    rows = await _outbox(sessions)
    assert [r.id for r in rows] == [first, second] and first < second
    assert [r.payload for r in rows] == [PAYLOAD, PAYLOAD]
    assert [(r.status, r.attempts) for r in rows] == [("pending", 0), ("pending", 0)]  # column defaults
    assert [r.not_before for r in rows] == [now, now]  # aware UTC, as put
    assert rows[0].claim_token is None and rows[1].claim_token is not None
    assert rows[1].claimed_until == now + timedelta(seconds=30)
    assert all(p.startswith("gcm:") and "vraag" not in p for p in stored)  # encrypted at rest


@pytest.mark.parametrize("first_statement", ["direct", "orm"])
async def test_direct_writes_commit_and_roll_back_with_the_unit_of_work(
    sessions: async_sessionmaker[AsyncSession], first_statement: str
) -> None:
    """Also when a direct statement is the unit's first: the session then holds the connection."""
    now = FakeClock().now()
    for commit in (False, True):
        async with UnitOfWork(sessions) as uow:
            if first_statement == "orm":
                await uow.outbox.put_many([Outgoing(9, Kind.SEND, "x")], now)
                await uow.session.flush()
            await uow.outbox.put(Outgoing(7, Kind.SEND, "x"), now)
            await uow.conversations.save(7, 7, "intake", {"version": 1}, now, None)
            await uow.inbox.receive(1, {"update_id": 1}, now, 7)
            await uow.inbox.done(1, now)
            if commit:
                await uow.commit()
            else:
                await uow.rollback()
        async with UnitOfWork(sessions) as uow:
            outbox = len(await _outbox(sessions))
            conversations = len((await uow.session.scalars(select(Conversation))).all())
            assert await uow.inbox.unfinished(now) == []
        expected = (2 if first_statement == "orm" else 1) if commit else 0
        assert (outbox, conversations) == (expected, int(commit))


async def test_a_lost_race_fails_as_it_would_through_the_session(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await uow.conversations.save(7, 7, "intake", {"version": 1}, now, None)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        # A read first: on PostgreSQL the insert then runs on asyncpg itself, inside the session's transaction.
        assert await uow.conversations.get(7, 7) is not None
        with pytest.raises(IntegrityError):  # a second conversation for this chat and user
            await uow.conversations.save(7, 7, "intake", {"version": 1}, now, None)
    async with UnitOfWork(sessions) as uow:
        with pytest.raises(StaleState):  # the version moved on: the update matched no row
            await uow.conversations.save(7, 7, "intake", {"version": 3}, now, 2)
        with pytest.raises(StaleState):
            await uow.conversations.delete(7, 7, 2)
        await uow.conversations.save(7, 7, "intake", {"version": 2}, now, 1)
        await uow.conversations.delete(7, 7, 2)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        assert await uow.conversations.get(7, 7) is None


async def test_direct_statements_skip_sqlalchemys_execution(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    engine = sessions.kw["bind"]
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen.append(statement.split()[0])

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await uow.outbox.put(Outgoing(7, Kind.SEND, "x"), now)
        await uow.conversations.save(7, 7, "intake", {"version": 1}, now, None)
        await uow.session.execute(text("select 1"))
        await uow.commit()
    event.remove(engine.sync_engine, "before_cursor_execute", record)
    # On PostgreSQL too the unit's first statement runs on asyncpg itself, in the transaction begun for it.
    assert seen == ["select"]


async def test_the_user_read_off_the_orm_is_the_user_the_orm_would_load(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await a_filer(uow, now, telegram_id=41)
        await uow.conversations.save(41, 41, "intake", {"version": 3, "answers": {"a": "ë"}}, now, None)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        loaded = await uow.session.scalar(select(User).where(User.telegram_id == 41))
        assert loaded is not None
        expected = {key: getattr(loaded, key) for key in USER_KEYS}
    async with UnitOfWork(sessions) as uow:
        user = await uow.sender(41, 41)
        assert user is not None and {key: getattr(user, key) for key in USER_KEYS} == expected
        # The same types too (a role read as text would still equal its enum member).
        assert {key: type(getattr(user, key)) for key in USER_KEYS} == {
            k: type(v) for k, v in expected.items()
        }
        assert user.created_at == now and user.gemeenten == ["assen"] and user.active is True
        assert (await uow.conversations.get(41, 41)) == (
            "intake",
            {"version": 3, "answers": {"a": "ë"}},
            None,
        )
        assert await uow.sender(41, 41) is user  # the session's one
        assert await uow.sender(42, 41) is None
        user.locale = "en"  # as /taal does: flushed with the unit
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        again = await uow.session.scalar(select(User).where(User.telegram_id == 41))
        assert again is not None and again.locale == "en"
        assert (await uow.sender(41, 7)) is not None
        assert await uow.conversations.get(7, 41) is None  # no conversation in that chat


async def test_above_storage_a_lost_race_is_our_conflict_not_the_drivers_error(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await uow.conversations.save(8, 8, "intake", {"version": 1}, now, None)
        await uow.commit()
    with pytest.raises(Conflict) as caught:  # what the gate catches, to run the update again
        async with UnitOfWork(sessions) as uow:
            await uow.conversations.save(8, 8, "intake", {"version": 1}, now, None)
    assert isinstance(caught.value, StaleState) and isinstance(caught.value.__cause__, IntegrityError)


async def test_a_unit_of_work_asks_for_its_connection_once_a_transaction(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """The connection the transaction holds is kept for its statements; after a commit or rollback the
    next transaction's is asked for, so a later write belongs to that one."""
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        asked = 0
        connection = uow.session.connection

        async def counted() -> object:
            nonlocal asked
            asked += 1
            return await connection()

        uow.session.connection = counted  # type: ignore[method-assign]
        await uow.outbox.put(Outgoing(7, Kind.SEND, "kept"), now)
        await uow.conversations.save(7, 7, "intake", {"version": 1}, now, None)
        await uow.outbox.put(Outgoing(7, Kind.SEND, "kept too"), now)
        assert asked == 1
        await uow.commit()
        await uow.outbox.put(Outgoing(8, Kind.SEND, "rolled back"), now)
        assert asked == 2
        await uow.rollback()
        await uow.outbox.put(Outgoing(9, Kind.SEND, "committed last"), now)
        assert asked == 3
        await uow.commit()
    assert [r.payload["text"] for r in await _outbox(sessions)] == ["kept", "kept too", "committed last"]


async def test_a_redacted_update_keeps_its_id_alone_and_its_first_handled_time(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    typed = {"update_id": 1, "message": {"text": "mevrouw De Vries, Dorpsstraat 4"}}
    async with UnitOfWork(sessions) as uow:
        await uow.inbox.receive(1, typed, clock.now(), 7)
        await uow.inbox.receive(2, {**typed, "update_id": 2}, clock.now(), 7)
        await uow.inbox.done(2, clock.now())
        await uow.commit()
    handled = clock.now()
    clock.advance(timedelta(minutes=5))
    async with UnitOfWork(sessions) as uow:
        await uow.session.execute(text("select 1"))  # on PostgreSQL the update then goes on asyncpg itself
        await uow.inbox.redact([1, 2], clock.now())
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        stored = dict(await uow.inbox.payloads())
        raw = (await uow.session.execute(text("select payload from inbox"))).scalars().all()
        rows = await uow.session.execute(select(InboxUpdate.update_id, InboxUpdate.processed_at))
        times = {u: at for u, at in rows}
    assert stored == {1: {"update_id": 1, "erased": True}, 2: {"update_id": 2, "erased": True}}
    assert all("Dorpsstraat" not in p and "erased" not in p for p in raw)  # still encrypted at rest
    assert times == {1: clock.now(), 2: handled}


async def test_a_conversation_written_is_read_back_without_reading_it_again(
    sessions: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A form post moves the conversation on and then asks where it stands: what this unit of work wrote."""
    from storage.repositories import conversations

    reads = 0
    first = conversations.GET.first

    async def counted(session: AsyncSession, params: dict[str, object]) -> tuple[object, ...] | None:
        nonlocal reads
        reads += 1
        return await first(session, params)

    monkeypatch.setattr(conversations.GET, "first", counted)
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await uow.conversations.save(7, 7, "intake", {"version": 1, "step": "a"}, now, None, 11)
        assert await uow.conversations.get(7, 7) == ("intake", {"version": 1, "step": "a"}, 11)
        await uow.conversations.save(7, 7, "intake", {"version": 2, "step": "b"}, now, 1, 12)
        assert await uow.conversations.get(7, 7) == ("intake", {"version": 2, "step": "b"}, 12)
        assert reads == 0
        assert await uow.conversations.get(7, 7) == ("intake", {"version": 2, "step": "b"}, 12)  # read
        assert reads == 1
        await uow.conversations.delete(7, 7, 2)
        assert await uow.conversations.get(7, 7) is None and reads == 1
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        assert await uow.conversations.get(7, 7) is None and reads == 2


async def test_a_time_written_directly_is_stored_as_the_session_stores_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    """On SQLite a time is text, compared as text: sqlite3's own form ("10:00:03+00:00") sorted before the
    session's ("10:00:03.000000") within one second, so a claim at the very instant a row fell due missed it."""
    now = FakeClock().now().replace(microsecond=0)
    async with UnitOfWork(sessions) as uow:
        await uow.outbox.put(Outgoing(7, Kind.SEND, QUESTION), now)  # directly
        await uow.outbox.put_many([Outgoing(8, Kind.SEND, QUESTION)], now)  # through the session
        await uow.session.flush()
        stored = (
            (await uow.session.execute(text("select not_before from outbox order by id"))).scalars().all()
        )
        due = await uow.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.not_before >= now)
        )
        await uow.commit()
    assert stored[0] == stored[1]
    assert due == 2


async def test_a_count_is_made_once_and_added_to_after(sessions: async_sessionmaker[AsyncSession]) -> None:
    """The anonymous counts' upsert, each database's own ON CONFLICT on the driver's connection."""
    async with UnitOfWork(sessions) as uow:
        await uow.tallies.bump(Counted.SIGNAL, "assen", "zorg", "2026-12")
        await uow.tallies.bump(Counted.SIGNAL, "assen", "zorg", "2026-12", by=2)
        await uow.tallies.bump(Counted.SIGNAL, "emmen", "zorg", "2026-12")
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        counts = [(t.gemeente, t.category, t.month, t.count) for t in await uow.tallies.all()]
    assert counts == [("assen", "zorg", "2026-12", 3), ("emmen", "zorg", "2026-12", 1)]


async def test_a_connection_postgresql_cut_fails_the_unit_and_is_left_behind(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> None:
    """The transaction begun for a unit's first statement on asyncpg meets a connection the server cut
    (a fail-over, a restart): the unit fails as it would through SQLAlchemy, which drops that connection
    from the pool, and the next unit works on a new one."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a server that cuts connections: PostgreSQL")
    async with UnitOfWork(sessions) as uow:
        await uow.conversations.save(7, 7, "intake", {"version": 1}, FakeClock().now(), None)
        backend = await uow.session.scalar(text("select pg_backend_pid()"))
        await uow.commit()
    admin = await asyncpg.connect(database_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await admin.execute("select pg_terminate_backend($1)", backend)
    finally:
        await admin.close()
    with pytest.raises(DBAPIError):
        async with UnitOfWork(sessions) as uow:
            await uow.conversations.get(7, 7)  # the unit's first statement, on the pool's one connection
    async with UnitOfWork(sessions) as uow:
        assert await uow.conversations.get(7, 7) == ("intake", {"version": 1}, None)
        assert await uow.session.scalar(text("select pg_backend_pid()")) != backend
