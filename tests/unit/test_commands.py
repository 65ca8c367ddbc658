"""Typed commands as both adapters read them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.commands import parse_command
from bot.frontdesk.dispatch import PLAIN, WITH_ARGS


def test_a_command_its_addressee_and_its_arguments() -> None:
    assert parse_command("/signaal S-ABC123") == ("signaal", None, "S-ABC123")
    assert parse_command("/Signaal@Waakvlam_Bot  S-ABC123 ") == ("signaal", "Waakvlam_Bot", "S-ABC123 ")
    assert parse_command("/open") == ("open", None, None)
    assert parse_command("/") == ("", None, None)  # answered with the help
    assert parse_command("Buurman draait /harde/ muziek") is None
    assert parse_command("") is None


def test_every_dutch_command_has_its_english_twin_on_the_same_action() -> None:
    pairs = [
        ("signaal", "signal"),
        ("antwoord", "answer"),
        ("deactiveer", "deactivate"),
        ("taal", "language"),
    ]
    assert all(WITH_ARGS[nl] is WITH_ARGS[en] for nl, en in pairs)
    assert PLAIN["mijn"] is PLAIN["mine"] and PLAIN["terug"] is PLAIN["back"]
    assert not set(WITH_ARGS) & set(PLAIN)


@given(st.text(max_size=60))
def test_only_text_starting_with_a_slash_is_a_command(text: str) -> None:
    parsed = parse_command(text)
    assert (parsed is not None) == text.startswith("/")
    if parsed is not None:
        name, mention, _ = parsed
        assert name == name.lower() and "@" not in name and (mention is None or mention)
