"""Rows for tests on the in-memory unit of work (tests/fakes.py): a person and a signal, with only what a
test means to vary named."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.domain.lifecycle import Status
from storage.models import Signal, User


def person(
    user_id: int,
    role: str,
    name: str,
    at: datetime,
    *,
    first_telegram_id: int = 5000,
    desk: str | None = None,
    gemeenten: Sequence[str] = ("assen",),
    locale: str = "nl",
    org_kind: str = "anders",
) -> User:
    """An active professional, registered at `at`, with Telegram id `first_telegram_id + user_id`."""
    return User(
        id=user_id,
        telegram_id=first_telegram_id + user_id,
        display_name=name,
        role=role,
        org="Org",
        org_kind=org_kind,
        gemeenten=list(gemeenten),
        meldpunt_id=desk,
        locale=locale,
        active=True,
        created_at=at,
    )


def signal_row(
    filer: User,
    filed: datetime,
    *,
    ref: str = "S-2611-ABCD",
    status: Status = Status.NEW,
    owner: str | None = None,
    to: str | None = None,
) -> Signal:
    """Signal 7 in Assen, filed by `filer` at `filed`, at version 1; its description is "typed by Wendy"."""
    return Signal(
        id=7,
        ref=ref,
        filer_id=filer.id,
        gemeente="assen",
        categories=["verward"],
        resident_ref="Bewoner A",
        resident_key="k",
        area="Kloosterveen",
        description="typed by Wendy",
        care_involved="no",
        care_orgs=None,
        resident_knows="yes",
        elsewhere="unknown",
        joint_triage=False,
        status=status,
        version=1,
        owner_desk=owner,
        handover_to=to,
        urgent=False,
        created_at=filed,
    )
