"""States, roles and dates are typed on the rows themselves: what is assigned as text is the enum member at
once, as it is when read back, so `is` and `==` never disagree between a new row and a loaded one."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.access import Role
from bot.domain.lifecycle import Status
from storage.models import Agreement, Signal, User
from storage.types import Choice, IsoDate


def test_a_status_given_as_text_is_the_member() -> None:
    signal = Signal(status="nieuw")
    assert signal.status is Status.NEW
    signal.status = "afgesloten"  # type: ignore[assignment]
    assert signal.status is Status.CLOSED


def test_a_role_given_as_text_is_the_member_and_an_unknown_one_is_refused() -> None:
    assert User(role="meldpunt").role is Role.DESK_STAFF
    with pytest.raises(ValueError):
        User(role="baas")


def test_the_columns_keep_text_and_give_back_types() -> None:
    status, day = Choice(Status), IsoDate()
    assert status.process_bind_param(Status.HANDOVER, None) == "overdracht"  # type: ignore[arg-type]
    assert status.process_result_value("overdracht", None) is Status.HANDOVER  # type: ignore[arg-type]
    assert day.process_bind_param(date(2027, 5, 23), None) == "2027-05-23"  # type: ignore[arg-type]
    assert Agreement(end_on=date(2027, 5, 23)).end_on == date(2027, 5, 23)
