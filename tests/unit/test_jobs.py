"""Due work as typed values: a job survives its row, keeps the key it always had, and a row that does not
fit is refused by the reader (never half-read by a handler)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.domain.jobs import (
    JOBS,
    AgreementEnd,
    ChaseHandOver,
    ChasePlanLine,
    CheckInSilence,
    Escalate,
    RegieFollowUp,
    SendCheckIn,
    SendDigest,
)

SINCE = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "job",
    [
        Escalate(7, "ggd-mzg", 2),
        SendDigest("ggd-mzg", date(2026, 12, 7)),
        ChaseHandOver(7, "wijkteam-assen", SINCE, 1),
        CheckInSilence(11, 2, 1_765_000_000),
        AgreementEnd(3, date(2027, 5, 23)),
        ChasePlanLine(5, date(2026, 12, 14), 2),
        RegieFollowUp(4, SINCE),
    ],
)
def test_a_job_reads_back_from_its_row_as_the_same_value(job: object) -> None:
    assert JOBS[job.kind].read(job.payload()) == job  # type: ignore[attr-defined]


def test_keys_are_the_ones_rows_planned_before_the_types_carry() -> None:
    # Pending rows planned by the previous release keep deduplicating against new plans.
    assert Escalate(7, "ggd-mzg", 2).key() == "sla:7:ggd-mzg:2"
    assert CheckInSilence(11, 2, 1_765_000_000).key() == "checkin_grace:11:2:1765000000"
    assert ChaseHandOver(7, "w", SINCE, 1).key() == "handover:7:w:2026-12-07T09:30:00+00:00:1"
    assert SendCheckIn(11).key("later:1765000000") == "checkin:11:later:1765000000"
    assert AgreementEnd(3, date(2027, 5, 23)).payload() == {"agreement": 3, "end_on": "2027-05-23"}


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"signal": "x", "desk": "d", "tier": 1},
        {"signal": True, "desk": "d", "tier": 1},
        {"signal": 1, "desk": 5, "tier": 1},
    ],
)
def test_a_payload_that_does_not_fit_is_refused(payload: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Escalate.read(payload)


def test_every_kind_is_known_once() -> None:
    assert all(cls.kind == kind for kind, cls in JOBS.items()) and len(JOBS) == 15
