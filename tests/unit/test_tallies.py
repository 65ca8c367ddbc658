"""The regiobeeld's kinds of count are typed, and each is kept as the code earlier releases wrote."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.tallies import EVERY_KIND, Counted, Outcome, TookHours, code, month, read


def test_every_kind_reads_back_from_its_code_and_the_codes_are_the_stored_ones() -> None:
    assert all(read(code(kind)) == kind for kind in EVERY_KIND)
    assert [code(k) for k in (Counted.SIGNAL, Counted.PICKED_IN_TIME, Outcome("help"), TookHours(3))] == [
        "signal",
        "picked_in_sla",
        "outcome_help",
        "pickup_3",
    ]
    assert read("outcome_vergeten") is None and read("pickup_99") is None  # no release counts these


def test_a_count_falls_in_the_regions_month_not_utcs() -> None:
    new_year = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 1 January in Assen
    assert month(new_year, "Europe/Amsterdam") == "2027-01" and month(new_year, "UTC") == "2026-12"
