"""Button data: within 64 bytes, bound to the user who may press it, refused when forged."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.actions import MAX_BYTES, CallbackCodec, Pressed
from flows.intake import CATEGORY_VALUES

codec = CallbackCodec(b"k" * 32)


def test_round_trip_for_the_presser() -> None:
    data = codec.encode(1001, 7, "domestic_violence")
    assert codec.decode(1001, data) == Pressed(7, "domestic_violence")


def test_another_user_cannot_use_the_data() -> None:
    assert codec.decode(1002, codec.encode(1001, 7, "yes")) is None


@pytest.mark.parametrize(
    "tamper", [lambda d: d.replace("|yes|", "|no|"), lambda d: "8" + d[1:], lambda d: d[:-1] + "A"]
)
def test_edited_data_is_refused(tamper) -> None:  # type: ignore[no-untyped-def]
    assert codec.decode(1001, tamper(codec.encode(1001, 7, "yes"))) is None


@pytest.mark.parametrize("junk", ["", "x", "1|2", "a|b|c|d", "abc|yes|sig", "🙂" * 30])
def test_malformed_data_is_refused(junk: str) -> None:
    assert codec.decode(1001, junk) is None


@given(
    user=st.integers(1, 10**13), version=st.integers(0, 10**6), value=st.sampled_from(sorted(CATEGORY_VALUES))
)
def test_every_intake_button_fits_telegrams_limit(user: int, version: int, value: str) -> None:
    assert len(codec.encode(user, version, value).encode()) <= MAX_BYTES


def test_too_long_values_are_refused_when_made() -> None:
    with pytest.raises(ValueError):
        codec.encode(1, 1, "x" * 60)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError):
        CallbackCodec(b"short")


@pytest.mark.parametrize(
    "junk",
    ["1|yes|ééééééééééé", "١|yes|abcdefghijk", "1|yës|abcdefghijk", "9" * 40 + "|x|abcdefghijk", "x" * 65],
)
def test_non_ascii_digits_and_overlong_data_are_refused_not_raised(junk: str) -> None:
    # compare_digest raises TypeError on non-ASCII str; int() takes Arabic-Indic digits; neither may escape.
    assert codec.decode(1001, junk) is None


@given(st.text(max_size=80))
def test_no_button_data_makes_decoding_raise(data: str) -> None:
    assert codec.decode(1001, data) is None


def test_a_buttons_action_reads_back_as_it_was_written() -> None:
    from bot.domain.actions import DESK_BUTTON, WAAKVLAM_BUTTON, Action

    for action in (
        Action(DESK_BUTTON, "pick", 7),
        Action(DESK_BUTTON, "out", 7, "help"),
        Action(DESK_BUTTON, "to", 123456789, "2"),
        Action(WAAKVLAM_BUTTON, "ok", 12),
    ):
        assert Action.parse(action.value()) == action
    assert (
        Action(DESK_BUTTON, "out", 7, "help").value() == "d.out.help.7"
    )  # what buttons in chats already carry


@pytest.mark.parametrize(
    "value",
    [
        "",
        "d",
        "d.pick",
        "d.pick.x",
        "d..7",
        "x.pick.7",
        "d.a.b.c.7",
        "d.pick.٣",
        "d.pick." + "9" * 19,
        "<back",
    ],
)
def test_anything_else_is_no_action(value: str) -> None:
    from bot.domain.actions import Action

    assert Action.parse(value) is None
