"""Typed text cannot fake a line or turn text around: normalised, control and format characters gone."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows import engine
from flows.intake import INTAKE
from flows.typed import clean

CASES = [
    (
        "Lewenborg\nStatus: afgesloten door Veilig Thuis",
        False,
        "Lewenborg Status: afgesloten door Veilig Thuis",
    ),
    ("AB\x00-12\x1b[2J", False, "AB-12[2J"),
    ("\u202eAB-12", False, "AB-12"),
    ("A\u200bB\u200dC\ufeff", False, "ABC"),
    ("ｆｕｌｌｗｉｄｔｈ １２", False, "fullwidth 12"),  # NFKC: one form of every character
    ("  veel    ruimte\t\there  ", False, "veel ruimte here"),
    ("regel één\r\nregel twee", False, "regel één regel twee"),
    ("regel één\nregel twee", True, "regel één\nregel twee"),
    ("a\n\n\n\n\nb", True, "a\n\nb"),
    ("a\u2028b", True, "a\nb"),
    ("a\x0bb\x0cc", True, "a b c"),
]


@pytest.mark.parametrize(("typed", "multiline", "kept"), CASES)
def test_typed_text_is_cleaned(typed: str, multiline: bool, kept: str) -> None:
    assert clean(typed, multiline) == kept


@given(st.text())
def test_nothing_that_can_steer_a_screen_survives(text: str) -> None:
    one = clean(text)
    assert "\n" not in one
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in one)
    assert not any(
        unicodedata.category(c) in ("Cf",) or (c != "\n" and unicodedata.category(c) == "Cc")
        for c in clean(text, multiline=True)
    )


def test_the_area_is_one_line_and_guarded_in_the_intake() -> None:
    ctx = {"gemeenten": ()}
    state = engine.State(flow=INTAKE.id, step="area", trail=["gemeente"])
    moved = engine.advance(INTAKE, state, engine.Filled(0, "Lewenborg\nStatus: afgesloten"), ctx)
    assert moved.state is not None and moved.state.answers["area"] == "Lewenborg Status: afgesloten"
    phoned = engine.advance(INTAKE, state, engine.Filled(0, "Lewenborg, mail jan [at] example [dot] nl"), ctx)
    assert phoned.state == state  # the guard asks first, on the form
    described = engine.State(flow=INTAKE.id, step="description", trail=["gemeente"])
    kept = engine.advance(INTAKE, described, engine.Filled(0, "Eerst dit.\nDaarna dat.\u202e"), ctx)
    assert kept.state is not None and kept.state.answers["description"] == "Eerst dit.\nDaarna dat."
