"""States, roles and dates are typed on the rows themselves: what is assigned as text is the enum member at
once, as it is when read back, so `is` and `==` never disagree between a new row and a loaded one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

from bot.domain.access import Role
from bot.domain.lifecycle import Status
from storage.models import Agreement, Signal, User
from storage.types import Choice, IsoDate, UTCDateTime, sqlite_utc


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


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2026, 12, 6, 10, 0, 3, tzinfo=UTC),
        datetime(2026, 12, 6, 10, 0, 3, 120_004, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 30, tzinfo=ZoneInfo("Europe/Amsterdam")),  # the hour the clocks skip
        datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=ZoneInfo("Europe/Amsterdam")),  # the hour twice
        datetime(999, 1, 1, tzinfo=timezone(timedelta(hours=-5))),
    ],
)
def test_a_utc_moment_is_written_on_sqlite_as_sqlalchemy_writes_it(moment: datetime) -> None:
    dialect = sqlite.dialect()
    sqlite_datetime = DateTime(timezone=True).dialect_impl(dialect).bind_processor(dialect)
    assert sqlite_datetime is not None

    def slow(moment: datetime) -> str:  # SQLAlchemy's two steps: to UTC, then SQLite's DATETIME text
        return str(sqlite_datetime(UTCDateTime().process_bind_param(moment, dialect)))

    assert (
        UTCDateTime().dialect_impl(dialect).bind_processor(dialect) is sqlite_utc
    )  # the ORM's and storage/direct.py's
    assert sqlite_utc(moment) == slow(moment)
    with pytest.raises(ValueError, match="naive"):
        sqlite_utc(moment.replace(tzinfo=None))
