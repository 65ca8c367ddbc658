"""The routeeroverleg's buttons as commands: on a desk's card, whether the resident is in view there, a
proposal, Akkoord or Bezwaar; on a samenloop notice, opening an overleg. And /advies: a question to a desk
without a resident, its buttons to read, answer and turn it into a signal."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.domain.commands import Command, Tap


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


class AdviceAction(StrEnum):
    """What a button does to an advice question; the value is the button's code."""

    READ = "read"
    ANSWER = "answer"
    TO_SIGNAL = "signal"


@dataclass(frozen=True)
class AskAdvice(Command):
    """`/advies`: ask a desk a question without a resident (privately, on the form)."""


@dataclass(frozen=True)
class OnAdvice(Tap):
    """A button on an advice question: the question and the message it is on."""

    action: ClassVar[AdviceAction]
    advice: int
    message_id: int


@dataclass(frozen=True)
class ReadAdvice(OnAdvice):
    """📄 Lezen: the question (and answer) on the region's server, privately."""

    action = AdviceAction.READ


@dataclass(frozen=True)
class AnswerAdvice(OnAdvice):
    """✍️ Beantwoorden: the desk answers, on the form."""

    action = AdviceAction.ANSWER


@dataclass(frozen=True)
class AdviceToSignal(OnAdvice):
    """📝 Signaal indienen: the asker, or the desk that answered, files a signal after all."""

    action = AdviceAction.TO_SIGNAL


ADVICE_COMMANDS: dict[str, type[OnAdvice]] = {c.action: c for c in (ReadAdvice, AnswerAdvice, AdviceToSignal)}
