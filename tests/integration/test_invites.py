"""Invite codes: single use, expiring, bound to what the coordinator chose."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.invites import InviteSpec, Redeem, check_spec, create_invite, redeem
from bot.domain.region import load_region
from storage.uow import UnitOfWork
from tests.clock import FakeClock

SPEC = InviteSpec("veldwerker", "Politie Drenthe", ("assen",))


async def _invite(sessions: async_sessionmaker[AsyncSession], clock: FakeClock, hours: int = 72) -> str:
    async with UnitOfWork(sessions) as uow:
        code = await create_invite(uow, clock, SPEC, hours)
        await uow.commit()
    return code


async def _redeem(sessions: async_sessionmaker[AsyncSession], clock: FakeClock, tg: int, code: str) -> Redeem:
    async with UnitOfWork(sessions) as uow:
        outcome, _ = await redeem(uow, clock, tg, "Wendy", code, "nl")
        await uow.commit()
    return outcome


async def test_a_code_registers_once_with_its_role_org_and_gemeenten(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    code = await _invite(sessions, clock)
    assert await _redeem(sessions, clock, 1, code.lower()) is Redeem.OK  # typed in lower case on a phone
    async with UnitOfWork(sessions) as uow:
        user = await uow.users.by_telegram_id(1)
        assert user is not None
        assert (user.role, user.org, user.gemeenten, user.active) == (
            "veldwerker",
            "Politie Drenthe",
            ["assen"],
            True,
        )
    assert await _redeem(sessions, clock, 2, code) is Redeem.USED
    assert await _redeem(sessions, clock, 1, code) is Redeem.ALREADY_REGISTERED


async def test_a_code_expires(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FakeClock()
    code = await _invite(sessions, clock, hours=72)
    clock.advance(timedelta(hours=72, seconds=1))
    assert await _redeem(sessions, clock, 1, code) is Redeem.EXPIRED
    async with UnitOfWork(sessions) as uow:
        assert await uow.users.by_telegram_id(1) is None


async def test_unknown_codes_register_nobody(sessions: async_sessionmaker[AsyncSession]) -> None:
    assert await _redeem(sessions, FakeClock(), 1, "NOTACODE") is Redeem.UNKNOWN


async def test_only_the_hash_of_a_code_is_stored(sessions: async_sessionmaker[AsyncSession]) -> None:
    code = await _invite(sessions, FakeClock())
    async with UnitOfWork(sessions) as uow:
        rows = (await uow.session.execute(text("select code_hash from invites"))).all()
    assert rows and all(code not in r[0] for r in rows)


async def test_two_people_racing_for_one_code_register_one(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    code = await _invite(sessions, clock)
    results = await asyncio.gather(
        *(_redeem(sessions, clock, tg, code) for tg in (10, 11)), return_exceptions=True
    )
    assert sorted(str(r) for r in results).count(str(Redeem.OK)) == 1


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        (InviteSpec("boss", "X", ("assen",)), "unknown role"),
        (InviteSpec("veldwerker", "X", ("amsterdam",)), "known gemeenten"),
        (InviteSpec("veldwerker", "X", ()), "known gemeenten"),
        (InviteSpec("meldpunt", "GGD", ("assen",), None), "--meldpunt"),
        (InviteSpec("meldpunt", "GGD", ("assen",), "ggd"), "--meldpunt"),
    ],
)
def test_invites_are_checked_before_anyone_receives_them(spec: InviteSpec, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        check_spec(load_region(), spec)


async def test_the_kind_of_organisation_goes_from_the_invite_to_the_professional(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    clock = FakeClock()
    region = load_region()
    with pytest.raises(ValueError, match="unknown kind of organisation 'bakker'"):
        check_spec(region, InviteSpec("veldwerker", "Bakkerij", ("assen",), org_kind="bakker"))
    named = InviteSpec("veldwerker", "Actium", ("assen",), org_kind="woningcorporatie")
    check_spec(region, named)
    async with UnitOfWork(sessions) as uow:
        given = await create_invite(uow, clock, named, 72)
        guessed = await create_invite(uow, clock, SPEC, 72)  # "Politie Drenthe": guessed
        await uow.commit()
    assert await _redeem(sessions, clock, 7, given) is Redeem.OK
    assert await _redeem(sessions, clock, 8, guessed) is Redeem.OK
    async with UnitOfWork(sessions) as uow:
        kinds = [(await uow.users.by_telegram_id(t)).org_kind for t in (7, 8)]  # type: ignore[union-attr]
    assert kinds == ["woningcorporatie", "politie"]
