"""Refused attempts per source and window: a few audit rows, then silence, and a fresh window starts over."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.accounts.refusals import Refusals, Verdict, source_of

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_source_is_recorded_at_one_and_ten_then_turned_away_until_its_window_is_over() -> None:
    refusals = Refusals(window=timedelta(minutes=10), limit=20)
    verdicts = [refusals.refused("a", NOW)[0] for _ in range(25)]
    assert [i + 1 for i, v in enumerate(verdicts) if v is Verdict.RECORD] == [1, 10]
    assert verdicts[20:] == [Verdict.BLOCKED] * 5 and refusals.blocked("a", NOW)
    assert not refusals.blocked("b", NOW)  # another source is heard
    later = NOW + timedelta(minutes=10)
    assert not refusals.blocked("a", later) and refusals.refused("a", later) == (Verdict.RECORD, 1)


def test_a_source_is_kept_as_a_short_hash_only() -> None:
    assert source_of("203.0.113.7") == source_of("203.0.113.7") != source_of("203.0.113.8")
    assert "203" not in source_of("203.0.113.7") and len(source_of(None)) == 12
