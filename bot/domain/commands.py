"""Everything a person can ask of the bot, as values: typed commands and answers here, a desk's buttons in
signal_commands.py, the waakvlam's in waakvlam_commands.py. Only bot/frontdesk/reading.py makes them from an
update; the catalogue (bot/app/catalogue.py) runs each one."""

from __future__ import annotations

from dataclasses import dataclass


class Command:
    """A base for every command, so the catalogue can be typed over all of them."""


class Tap(Command):
    """A pressed button: answered with a short text on the presser's screen, not with a message."""


# --- typed ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Start(Command):
    """`/start CODE`: register with an invite code (without one: a greeting)."""

    code: str = ""


@dataclass(frozen=True)
class FileSignal(Command):
    """`/signaal`: start or resume filing a signal."""


@dataclass(frozen=True)
class ShowSignal(Command):
    """`/signaal S-ABC123`: show one signal to whoever may see it."""

    ref: str


@dataclass(frozen=True)
class ListOpen(Command):
    """`/open`: the open signals of one's desk."""


@dataclass(frozen=True)
class AnswerLater(Command):
    """`/antwoord S-ABC123`: answer a desk's open question about one's own signal."""

    ref: str


@dataclass(frozen=True)
class ListMine(Command):
    """`/mijn`: the signals one filed."""


@dataclass(frozen=True)
class SetUpWaakvlam(Command):
    """`/waakvlam`: set up a waakvlam agreement."""


@dataclass(frozen=True)
class ListWaakvlammen(Command):
    """`/waakvlammen`: a coordinator's list of agreements."""


@dataclass(frozen=True)
class Deactivate(Command):
    """`/deactiveer [name]`: switch a professional off at once."""

    name: str = ""


@dataclass(frozen=True)
class Cancel(Command):
    """`/cancel`: stop the current conversation."""


@dataclass(frozen=True)
class Back(Command):
    """`/terug`: one question back."""


@dataclass(frozen=True)
class OpenRegiobeeld(Command):
    """`/regiobeeld`: a personal link to the regional picture."""


@dataclass(frozen=True)
class Help(Command):
    """`/help`, and any command the bot does not know."""


@dataclass(frozen=True)
class SetLanguage(Command):
    """`/taal en`: the language the bot speaks to this person."""

    choice: str = ""


@dataclass(frozen=True)
class Reply(Command):
    """Typed text: the answer to the question on screen."""

    text: str


@dataclass(frozen=True)
class Fill(Tap):
    """A form on the region's server was sent: the text for the question shown at `version` (answered, like a
    tap, with a short text: "" when taken, else why not)."""

    version: int
    text: str
    choice: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Unsupported(Command):
    """A photo, sticker or voice note: the bot takes text and buttons only."""


# --- pressed -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Choose(Tap):
    """A conversation's button: `value` chosen on the question shown as `message_id`, at `version`."""

    message_id: int
    version: int
    value: str


@dataclass(frozen=True)
class ForgedButton(Tap):
    """Button data that is not ours, not for this chat, or not readable."""
