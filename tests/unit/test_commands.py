"""Typed commands and pressed buttons, read into commands: the one place that parses them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import commands as c
from bot.domain import signal_commands as s
from bot.domain import waakvlam_commands as w
from bot.domain.actions import CallbackCodec
from bot.domain.incoming import Other, Sender, Tapped, Typed, parse_command
from bot.frontdesk.reading import NAMES, Reader

CODEC = CallbackCodec(b"k" * 32)
READER = Reader(CODEC)
ANNA = Sender(telegram_id=42, name="Anna", chat_id=42, private=True)
DESK_CHAT = Sender(telegram_id=42, name="Anna", chat_id=-100, private=False)


def test_a_command_its_addressee_and_its_arguments() -> None:
    assert parse_command("/signaal S-ABC123") == ("signaal", None, "S-ABC123")
    assert parse_command("/Signaal@Waakvlam_Bot  S-ABC123 ") == ("signaal", "Waakvlam_Bot", "S-ABC123 ")
    assert parse_command("/open") == ("open", None, None)
    assert parse_command("/") == ("", None, None)  # answered with the help
    assert parse_command("Buurman draait /harde/ muziek") is None
    assert parse_command("") is None


@given(st.text(max_size=60))
def test_only_text_starting_with_a_slash_is_a_command(text: str) -> None:
    parsed = parse_command(text)
    assert (parsed is not None) == text.startswith("/")
    if parsed is not None:
        name, mention, _ = parsed
        assert name == name.lower() and "@" not in name and (mention is None or mention)


def _typed(text: str, bot: str = "waakvlam_bot") -> c.Command | None:
    return READER.read(Typed(ANNA, text, bot))


@pytest.mark.parametrize(
    ("nl", "en"),
    [
        ("signaal", "signal"),
        ("antwoord", "answer"),
        ("deactiveer", "deactivate"),
        ("taal", "language"),
        ("mijn", "mine"),
        ("terug", "back"),
        ("hulp", "help"),
        ("annuleren", "cancel"),
    ],
)
def test_every_dutch_command_has_its_english_twin(nl: str, en: str) -> None:
    assert _typed(f"/{nl} x") == _typed(f"/{en} x")


def test_what_each_text_reads_as() -> None:
    assert _typed("/signaal") == c.FileSignal()
    assert _typed("/signaal  s-abc123") == c.ShowSignal("s-abc123")
    assert _typed("/start ABC") == c.Start("ABC") and _typed("/start") == c.Start("")
    assert _typed("/taal en") == c.SetLanguage("en")
    assert _typed("/iets") == c.Help()  # a command nobody made gets the help
    assert _typed("/open@ander_bot") is None  # another bot's command is left to it
    assert _typed("/open@Waakvlam_Bot") == c.ListOpen()
    assert _typed("Mevrouw is verward") == c.Reply("Mevrouw is verward")
    assert READER.read(Other(ANNA)) == c.Unsupported()
    assert all(name == name.lower() for name in NAMES)


def _tap(value: str, version: int = 3, sender: Sender = DESK_CHAT) -> c.Command | None:
    scope = sender.telegram_id if sender.private else sender.chat_id
    return READER.read(Tapped(sender, 99, CODEC.encode(scope, version, value)))


def test_what_each_button_reads_as() -> None:
    assert _tap("d.pick.7") == s.PickUp(signal=7, version=3, message_id=99)
    assert _tap("d.hs.no.7") == s.AnswerAftercare(signal=7, version=3, message_id=99, choice="no")
    assert _tap("w.ok.11", sender=ANNA) == w.AnswerCheckIn(w.CheckInAnswer.GOOD, checkin=11, message_id=99)
    assert _tap("w.ext.5", 2, ANNA) == w.ExtendAgreement(agreement=5, version=2, message_id=99)
    assert _tap("w.acc.5", 2, ANNA) == w.AcceptAgreement(agreement=5, version=2, message_id=99)
    assert _tap("loc_assen", 4, ANNA) == c.Choose(message_id=99, version=4, value="loc_assen")


@pytest.mark.parametrize("value", ["d.zomaar.7", "d.out.help.7", "w.pick.7", "x.pick.7"])
def test_a_button_nobody_made_reads_as_forged(value: str) -> None:
    assert _tap(value, sender=ANNA) in (c.ForgedButton(), c.Choose(99, 3, value))
    if value.startswith(("d.", "w.")):
        assert _tap(value, sender=ANNA) == c.ForgedButton()


def test_a_button_signed_for_another_chat_or_altered_is_forged() -> None:
    data = CODEC.encode(DESK_CHAT.chat_id, 3, "d.pick.7")
    assert READER.read(Tapped(ANNA, 99, data)) == c.ForgedButton()  # a desk's button, pressed privately
    assert READER.read(Tapped(DESK_CHAT, 99, data.replace("pick", "close"))) == c.ForgedButton()
    assert READER.read(Tapped(DESK_CHAT, 99, "é" * 80)) == c.ForgedButton()
