"""Retention: what has served its purpose goes; the anonymous counts stay; a dry run only counts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.retention import CLOSED, RetentionPolicy, purge
from bot.domain.outgoing import Kind, Outgoing
from bot.domain.tallies import Counted
from storage.models import (
    Conversation,
    InboxUpdate,
    OutboxMessage,
    PlanLine,
    Regie,
    Reminder,
    Signal,
    SignalEvent,
    Tally,
)
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.integration.factories import a_filer, a_signal, take_down


async def _seed(sessions: async_sessionmaker[AsyncSession], clock: FakeClock) -> None:
    now = clock.now()
    async with UnitOfWork(sessions) as uow:
        user = await a_filer(uow, now)
        for ref, status, closed_days_ago in (
            ("S-OLD001", CLOSED, 400),
            ("S-NEW001", CLOSED, 100),
            ("S-OPEN01", "nieuw", None),
        ):
            closed_at = now - timedelta(days=closed_days_ago) if closed_days_ago else None
            await a_signal(
                uow,
                user,
                now,
                ref=ref,
                status=status,
                created_at=now - timedelta(days=500),
                closed_at=closed_at,
            )
        await uow.tallies.bump(Counted.SIGNAL, "assen", "other", "2025-07")
        await uow.inbox.receive(1, {"x": 1}, now - timedelta(days=10))
        await uow.inbox.done(1, now - timedelta(days=10))
        await uow.inbox.receive(2, {"x": 2}, now)  # still to be handled: never purged
        old = await uow.outbox.put(Outgoing(5, Kind.SEND, "oud"), now - timedelta(days=10))
        await uow.outbox.sent_many([(old, 1)], now - timedelta(days=10))
        await uow.outbox.put(Outgoing(5, Kind.SEND, "nog te sturen"), now - timedelta(days=10))
        await uow.conversations.save(7, 7, "intake", {"version": 1}, now - timedelta(days=31), None)
        await uow.conversations.save(8, 8, "intake", {"version": 1}, now - timedelta(days=1), None)
        await uow.commit()


async def _count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_purge_removes_only_what_is_past_its_time(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    await _seed(sessions, clock)
    async with UnitOfWork(sessions) as uow:
        dry = await purge(uow, clock, RetentionPolicy(), take_down(clock), dry_run=True)
        await uow.commit()
    assert (dry.signals, dry.updates, dry.messages, dry.conversations) == (1, 1, 1, 1)
    assert await _count(sessions, Signal) == 3  # a dry run deletes nothing
    async with UnitOfWork(sessions) as uow:
        done = await purge(uow, clock, RetentionPolicy(), take_down(clock))
        await uow.commit()
    assert done == dry
    async with UnitOfWork(sessions) as uow:
        refs = sorted(s.ref for s in await uow.session.scalars(select(Signal)))
        assert refs == ["S-NEW001", "S-OPEN01"]
        assert [a.action for a in await uow.audit.query()] == ["retention_purge"]
    assert await _count(sessions, SignalEvent) == 2  # the purged signal's history went with it
    assert await _count(sessions, InboxUpdate) == 1
    assert await _count(sessions, OutboxMessage) == 1
    assert await _count(sessions, Conversation) == 1
    assert await _count(sessions, Tally) == 1  # the regional picture survives


async def test_a_year_later_the_next_closed_signal_goes_too(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    await _seed(sessions, clock)
    clock.advance(timedelta(days=266))
    async with UnitOfWork(sessions) as uow:
        result = await purge(uow, clock, RetentionPolicy(), take_down(clock))
        await uow.commit()
    assert result.signals == 2


async def test_a_regie_closed_a_year_ago_goes_with_its_plan_and_reminders(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    now = clock.now()
    async with UnitOfWork(sessions) as uow:
        user = await a_filer(uow, now)
        for ref, status, closed_days_ago in (
            ("R-OLD01", "closed", 400),
            ("R-NEW01", "closed", 100),
            ("R-LIVE1", "active", None),
        ):
            regie = await uow.regies.add(
                Regie(
                    ref=ref,
                    resident_key=ref,
                    gemeente="assen",
                    status=status,
                    version=0,
                    regisseur_id=user.id,
                    created_at=now - timedelta(days=500),
                    closed_at=now - timedelta(days=closed_days_ago) if closed_days_ago else None,
                ),
                user.id,
            )
            await uow.regies.add_line(
                PlanLine(
                    regie_id=regie.id,
                    seq=1,
                    owner_id=user.id,
                    what="Huisbezoek",
                    due_on=(now - timedelta(days=450)).date(),
                    status="done",
                    version=0,
                    created_at=now - timedelta(days=480),
                )
            )
            await uow.regies.add_reminder(Reminder(code=ref, user_id=user.id, due_at=now, created_at=now))
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        dry = await purge(uow, clock, RetentionPolicy(), take_down(clock), dry_run=True)
        done = await purge(uow, clock, RetentionPolicy(), take_down(clock))
        await uow.commit()
    assert dry.regies == done.regies == 1
    async with UnitOfWork(sessions) as uow:
        assert sorted(r.ref for r in await uow.session.scalars(select(Regie))) == ["R-LIVE1", "R-NEW01"]
        assert sorted(r.code for r in await uow.session.scalars(select(Reminder))) == ["R-LIVE1", "R-NEW01"]
    assert await _count(sessions, PlanLine) == 2  # the purged regie's plan went with it
