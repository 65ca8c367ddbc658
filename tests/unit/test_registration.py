"""Registration, deactivation and language as accounts/ decides them, on an in-memory unit of work: what a
person sends (as a command's sender) → the answer the front desk will say → what is stored and audited."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.accounts import invites
from bot.accounts.registration import (
    DEACTIVATE_REFUSED,
    DEACTIVATED,
    INVITE_ANSWERS,
    INVITE_TRIES,
    LANGUAGE_SET,
    LANGUAGE_USAGE,
    TOO_MANY_TRIES,
    WELCOME,
    Registration,
)
from bot.domain.incoming import Sender
from bot.domain.region import load_region
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from storage.models import User
from tests.clock import FakeClock
from tests.fakes import FakeUnitOfWork

ANNA = Sender(telegram_id=5001, name="Anna de Vries", chat_id=5001, private=True, language="nl")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def left() -> list[int]:
    return []


@pytest.fixture
def accounts(clock: FakeClock, left: list[int]) -> Registration:
    async def on_left(uow: Any, user: User) -> None:
        left.append(user.id)

    # The deactivation flow's runner is not needed here: by-name deactivation has its e2e transcript.
    return Registration(load_region(), clock, on_left, Translator(load_catalogs()), Messenger(clock), None)  # type: ignore[arg-type]


async def _invite(uow: Any, clock: FakeClock, role: str = "veldwerker", **extra: Any) -> str:
    spec = invites.InviteSpec(role, "Politie Drenthe", ("assen",), **extra)
    return await invites.create_invite(uow, clock, spec, hours=24)


async def test_a_valid_code_registers_and_greets_with_role_and_gemeente(
    accounts: Registration, clock: FakeClock
) -> None:
    uow = FakeUnitOfWork()
    code = await _invite(uow, clock)
    said = await accounts.redeem(uow, ANNA, code, "nl")  # type: ignore[arg-type]
    assert said.msgid == WELCOME and said.params["gemeenten"] == "Assen"
    [anna] = uow.users.rows
    assert (anna.telegram_id, anna.role, anna.gemeenten, anna.active) == (5001, "veldwerker", ["assen"], True)
    assert uow.audit.actions() == ["invite_created", "registered"]


async def test_an_expired_code_is_refused_and_counted(accounts: Registration, clock: FakeClock) -> None:
    uow = FakeUnitOfWork()
    code = await _invite(uow, clock)
    clock.advance(timedelta(hours=25))
    said = await accounts.redeem(uow, ANNA, code, "nl")  # type: ignore[arg-type]
    assert said.msgid == INVITE_ANSWERS[invites.Redeem.EXPIRED]
    assert uow.users.rows == [] and uow.audit.actions() == ["invite_created", "invite_refused"]


async def test_after_five_wrong_codes_an_hour_even_a_good_one_waits(
    accounts: Registration, clock: FakeClock
) -> None:
    uow = FakeUnitOfWork()
    code = await _invite(uow, clock)
    for _ in range(INVITE_TRIES):
        wrong = await accounts.redeem(uow, ANNA, "NIETGOED", "nl")  # type: ignore[arg-type]
        assert wrong.msgid == INVITE_ANSWERS[invites.Redeem.UNKNOWN]
    blocked = await accounts.redeem(uow, ANNA, code, "nl")  # type: ignore[arg-type]
    assert blocked.msgid == TOO_MANY_TRIES and uow.users.rows == []
    clock.advance(timedelta(hours=1, seconds=1))  # the window has passed
    assert (await accounts.redeem(uow, ANNA, code, "nl")).msgid == WELCOME  # type: ignore[arg-type]


async def test_a_coordinator_deactivates_someone_in_their_gemeente_and_what_they_held_goes_back(
    accounts: Registration, clock: FakeClock, left: list[int]
) -> None:
    uow = FakeUnitOfWork()
    boss = Sender(telegram_id=7001, name="Gerda", chat_id=7001, private=True)
    await accounts.redeem(uow, boss, await _invite(uow, clock, role="coordinator"), "nl")  # type: ignore[arg-type]
    await accounts.redeem(uow, ANNA, await _invite(uow, clock), "nl")  # type: ignore[arg-type]
    gerda, anna = uow.users.rows
    # A field worker may not deactivate anyone.
    assert (await accounts.deactivate(uow, anna, "7001")).msgid == DEACTIVATE_REFUSED  # type: ignore[arg-type]
    assert (await accounts.deactivate(uow, gerda, "9999")).msgid == DEACTIVATE_REFUSED  # type: ignore[arg-type]
    assert (await accounts.deactivate(uow, gerda, "x" * 80)).msgid == DEACTIVATE_REFUSED  # type: ignore[arg-type]
    said = await accounts.deactivate(uow, gerda, "5001")  # type: ignore[arg-type]
    assert said.msgid == DEACTIVATED and not anna.active and left == [anna.id]
    assert uow.audit.actions()[-1] == "user_deactivated" and gerda.active


def test_language_is_set_only_to_one_the_catalogs_have(accounts: Registration) -> None:
    anna = User(telegram_id=5001, locale="nl")
    assert accounts.set_language(anna, " EN ").msgid == LANGUAGE_SET and anna.locale == "en"
    assert accounts.set_language(anna, "fr").msgid == LANGUAGE_USAGE and anna.locale == "en"
