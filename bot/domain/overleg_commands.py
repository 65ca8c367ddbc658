"""The routeeroverleg's buttons as commands: on a desk's card, whether the resident is in view there, a
proposal, Akkoord or Bezwaar; on a samenloop notice, opening an overleg."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.domain.commands import Tap


class OverlegAction(StrEnum):
    """What a button does in a routeeroverleg; the value is the button's code."""

    IN_VIEW = "view"
    PROPOSE = "prop"
    AGREE = "ok"
    OBJECT = "obj"
    FROM_MATCH = "match"


@dataclass(frozen=True)
class OnOverleg(Tap):
    """A button on a desk's overleg card: the overleg, the version it was shown at, the message it is on."""

    action: ClassVar[OverlegAction]
    overleg: int
    version: int
    message_id: int


@dataclass(frozen=True)
class SayInView(OnOverleg):
    """In beeld? yes, no or earlier (`choice`), for the desk whose card it is."""

    action = OverlegAction.IN_VIEW
    choice: str = ""


@dataclass(frozen=True)
class Propose(OnOverleg):
    """Voorstel doen: the route and the desk that leads, asked privately."""

    action = OverlegAction.PROPOSE


@dataclass(frozen=True)
class Agree(OnOverleg):
    """Akkoord with the proposal on the table."""

    action = OverlegAction.AGREE


@dataclass(frozen=True)
class Object(OnOverleg):
    """Bezwaar against the proposal on the table: why, on the form."""

    action = OverlegAction.OBJECT


@dataclass(frozen=True)
class OverlegFromMatch(Tap):
    """🤝 Routeeroverleg on a samenloop notice: the two matching keys' rows."""

    action: ClassVar[OverlegAction] = OverlegAction.FROM_MATCH
    key: int
    other: int
    message_id: int


OVERLEG_COMMANDS: dict[str, type[OnOverleg]] = {c.action: c for c in (Propose, Agree, Object)}
