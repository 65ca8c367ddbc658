"""A waakvlam's personal data: encrypted at rest, exported and erased with the resident, purged after it ended."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.persons import erase_person, export_person, resident_key
from bot.accounts.retention import RetentionPolicy, purge
from storage.models import AgreementEvent, CheckIn
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.integration.factories import a_filer, an_agreement, take_down

KEY = b"k" * 32


async def test_export_and_erase_take_the_residents_agreements_too(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    async with UnitOfWork(sessions) as uow:
        owner = await a_filer(uow, clock.now())
        await an_agreement(
            uow, owner, clock.now(), resident_ref="AB-12", resident_key=resident_key(KEY, "AB-12")
        )
        await an_agreement(uow, owner, clock.now(), ref="W-OTHER1", resident_key=resident_key(KEY, "ZZ-99"))
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        raw = await uow.session.scalar(text("select warning_signs from agreements where ref = 'W-TEST01'"))
        assert raw is not None and "post" not in raw  # encrypted at rest
        exported = await export_person(uow, clock, KEY, "ab 12", actor="test")
        assert [a["ref"] for a in exported["agreements"]] == ["W-TEST01"]
        assert exported["agreements"][0]["warning_signs"] == "post stapelt zich op"
        assert exported["agreements"][0]["checkins"][0]["status"] == "planned"
        assert await erase_person(uow, clock, KEY, "AB-12", "test", take_down(clock)) == (0, 1)
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        assert await uow.agreements.by_ref("W-TEST01") is None
        assert await uow.agreements.by_ref("W-OTHER1") is not None
        assert await uow.session.scalar(select(func.count(CheckIn.id))) == 1  # the other's


async def test_an_ended_agreement_is_purged_after_the_retention_period(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    now = clock.now()
    async with UnitOfWork(sessions) as uow:
        owner = await a_filer(uow, now)
        await an_agreement(
            uow, owner, now, ref="W-OLD001", status="ended", ended_at=now - timedelta(days=400)
        )
        await an_agreement(uow, owner, now, ref="W-NEW001", status="ended", ended_at=now - timedelta(days=10))
        await an_agreement(uow, owner, now, ref="W-LIVE01")
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        dry = await purge(uow, clock, RetentionPolicy(), take_down(clock), dry_run=True)
        assert dry.agreements == 1
        done = await purge(uow, clock, RetentionPolicy(), take_down(clock))
        await uow.commit()
    assert done.agreements == 1
    async with UnitOfWork(sessions) as uow:
        assert await uow.agreements.by_ref("W-OLD001") is None
        assert await uow.agreements.by_ref("W-NEW001") is not None
        assert await uow.session.scalar(select(func.count(AgreementEvent.id))) == 2  # history went with it


async def test_the_next_check_in_of_many_agreements_is_one_query_and_skips_what_is_done(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    now = clock.now()
    async with UnitOfWork(sessions) as uow:
        owner = await a_filer(uow, now)
        first = await an_agreement(uow, owner, now)  # its check-in is planned now
        second = await an_agreement(uow, owner, now, ref="W-TEST02", resident_key="k2")
        none = await an_agreement(uow, owner, now, ref="W-TEST03", resident_key="k3")
        for seq, days, status in ((2, 3, "snoozed"), (3, 1, "answered"), (4, 7, "planned")):
            await uow.agreements.add_checkin(
                CheckIn(agreement_id=second.id, seq=seq, due_at=now + timedelta(days=days), status=status)
            )
        (only,) = await uow.agreements.checkins_of(none.id)
        only.status = "answered"
        await uow.commit()
    async with UnitOfWork(sessions) as uow:
        ids = [first.id, second.id, none.id]
        # The second's own planned one is at day 0 (the factory's), so look past it: drop it first.
        await uow.session.execute(
            text("update checkins set status = 'replaced' where agreement_id = :a and seq = 1"),
            {"a": second.id},
        )
        sendable = await uow.agreements.next_due(ids, ["planned", "snoozed"])
        planned = await uow.agreements.next_due(ids, ["planned"])
    assert sendable == {first.id: now, second.id: now + timedelta(days=3)}
    assert planned == {first.id: now, second.id: now + timedelta(days=7)}
