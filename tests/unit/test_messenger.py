"""Long text is split for Telegram's 4096-character limit without losing a character."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.views.messenger import TELEGRAM_TEXT_LIMIT, split_text


def test_short_text_stays_whole() -> None:
    assert split_text("hallo") == ["hallo"]


def test_split_prefers_line_breaks() -> None:
    text = ("regel\n" * 1000).strip()
    parts = split_text(text)
    assert all(len(p) <= TELEGRAM_TEXT_LIMIT for p in parts)
    assert all(not p.startswith("\n") and p.endswith("regel") for p in parts)


@given(st.text(min_size=0, max_size=20000))
def test_every_part_fits_and_nothing_but_line_breaks_is_lost(text: str) -> None:
    parts = split_text(text)
    assert all(len(p) <= TELEGRAM_TEXT_LIMIT for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")
