"""A waakvlam's personal data: encrypted at rest, exported and erased with the resident, purged after it ended."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.persons import erase_person, export_person, resident_key
from bot.accounts.retention import RetentionPolicy, purge
from bot.domain.clock import FakeClock
from storage.models import AgreementEvent, CheckIn
from storage.uow import UnitOfWork
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
