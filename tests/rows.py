"""Rows for tests on the in-memory unit of work (tests/fakes.py): a person, a signal and an agreement, with
only what a test means to vary named."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.domain.agreements import ACTIVE
from bot.domain.lifecycle import Status
from storage.models import Agreement, Signal, User


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


def agreement_row(
    owner_id: int,
    ref: str,
    end_on: date,
    *,
    streak: int = 0,
    at_risk: bool = False,
    return_desk: str = "ggd-mzg",
) -> Agreement:
    """Agreement 3 in Assen, active at version 1, weekly ("d:7"), held by `owner_id`, no warning signs."""
    return Agreement(
        id=3,
        ref=ref,
        gemeente="assen",
        status=ACTIVE,
        version=1,
        owner_id=owner_id,
        rhythm="d:7",
        end_on=end_on,
        no_contact_streak=streak,
        at_risk=at_risk,
        return_desk=return_desk,
        warning_categories=[],
        warning_signs="",
    )
