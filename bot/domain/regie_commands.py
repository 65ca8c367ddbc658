"""Regie's buttons and its typed commands, as commands: the one asked accepts or declines; the regisseur
opens the regie's card, adds plan lines, closes lines and the regie; the one named in a plan line accepts,
declines, or says how it stands when chased; four weeks after closing, whether the solution held."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.domain.commands import Command, Tap


class RegieAction(StrEnum):
    """What a button does to a regie or one of its plan lines; the value is the button's code."""

    ACCEPT = "acc"
    DECLINE = "dec"
    CARD = "card"
    ADD_LINE = "line"
    CLOSE = "close"
    HELD = "held"
    FAILED = "failed"
    LINE_ACCEPT = "lacc"
    LINE_DECLINE = "ldec"
    LINE_DONE = "ldone"
    LINE_RUNNING = "lrun"
    LINE_NOT_DONE = "lfail"
    SCALE_UP = "up"
    REMIND = "remind"
    SOLVE = "esolve"
    CLIMB = "eup"
    SEND_BACK = "eback"
    SCALE_DOWN = "ewv"


@dataclass(frozen=True)
class OnRegie(Tap):
    """A button on a regie: the regie, the version it was shown at, the message it is on."""

    action: ClassVar[RegieAction]
    regie: int
    version: int
    message_id: int


@dataclass(frozen=True)
class AcceptRegie(OnRegie):
    """The one asked takes the regie on."""

    action = RegieAction.ACCEPT


@dataclass(frozen=True)
class DeclineRegie(OnRegie):
    """The one asked declines, with a reason chosen next."""

    action = RegieAction.DECLINE


@dataclass(frozen=True)
class ShowRegieCard(OnRegie):
    """📋 the regie's card: who directs, its signals, its plan, and what may be done."""

    action = RegieAction.CARD


@dataclass(frozen=True)
class AddPlanLine(OnRegie):
    """➕ Planregel: who does what by when."""

    action = RegieAction.ADD_LINE


@dataclass(frozen=True)
class CloseRegie(OnRegie):
    """🏁 Regie afsluiten: whether a solution was found."""

    action = RegieAction.CLOSE


@dataclass(frozen=True)
class SolutionHeld(OnRegie):
    """Four weeks after closing: yes, the solution held."""

    action = RegieAction.HELD


@dataclass(frozen=True)
class SolutionFailed(OnRegie):
    """Four weeks after closing: no, start again (the regie runs again)."""

    action = RegieAction.FAILED


@dataclass(frozen=True)
class RemindRegie(OnRegie):
    """⏰ Herinner mij on the regie's card: a reminder on the regie (as `/herinner R-…`)."""

    action = RegieAction.REMIND


@dataclass(frozen=True)
class ScaleUpRegie(OnRegie):
    """⬆ Opschalen on the regie's card: up the gemeente's ladder, with a reason."""

    action = RegieAction.SCALE_UP


@dataclass(frozen=True)
class OnEscalation(Tap):
    """A button on an escalation's card: the escalation, the version it was shown at, the message."""

    action: ClassVar[RegieAction]
    escalation: int
    version: int
    message_id: int


@dataclass(frozen=True)
class SolveEscalation(OnEscalation):
    """✅ Los op: a short decision and who acts."""

    action = RegieAction.SOLVE


@dataclass(frozen=True)
class ClimbEscalation(OnEscalation):
    """⬆ Schaal verder op: to the next rung."""

    action = RegieAction.CLIMB


@dataclass(frozen=True)
class SendBackEscalation(OnEscalation):
    """↩ Terug: back to whoever raised it, with why."""

    action = RegieAction.SEND_BACK


@dataclass(frozen=True)
class ScaleDownWaakvlam(OnEscalation):
    """🕯 Afschalen met een waakvlam: whoever picks a solved escalation up agrees a waakvlam for the resident."""

    action = RegieAction.SCALE_DOWN


@dataclass(frozen=True)
class OnPlanLine(Tap):
    """A button on a plan line: the line, the version it was shown at, the message it is on."""

    action: ClassVar[RegieAction]
    line: int
    version: int
    message_id: int


@dataclass(frozen=True)
class AcceptLine(OnPlanLine):
    """The one named takes the plan line on."""

    action = RegieAction.LINE_ACCEPT


@dataclass(frozen=True)
class DeclineLine(OnPlanLine):
    """The one named does not take it on; the regisseur hears it."""

    action = RegieAction.LINE_DECLINE


@dataclass(frozen=True)
class LineDone(OnPlanLine):
    """✅ Gedaan: by the one named (when chased) or the regisseur."""

    action = RegieAction.LINE_DONE


@dataclass(frozen=True)
class LineRunning(OnPlanLine):
    """⏳ Loopt nog: the one named, chased, gives it a week more."""

    action = RegieAction.LINE_RUNNING


@dataclass(frozen=True)
class LineNotDone(OnPlanLine):
    """✖ Lukt niet: with a reason chosen next; the regisseur adjusts the plan (or scales up)."""

    action = RegieAction.LINE_NOT_DONE


REGIE_COMMANDS: dict[str, type[OnRegie] | type[OnPlanLine] | type[OnEscalation]] = {
    c.action: c
    for c in (
        AcceptRegie,
        DeclineRegie,
        ShowRegieCard,
        AddPlanLine,
        CloseRegie,
        SolutionHeld,
        SolutionFailed,
        ScaleUpRegie,
        RemindRegie,
        SolveEscalation,
        ClimbEscalation,
        SendBackEscalation,
        ScaleDownWaakvlam,
        AcceptLine,
        DeclineLine,
        LineDone,
        LineRunning,
        LineNotDone,
    )
}


@dataclass(frozen=True)
class ListRegie(Command):
    """`/regie`: the residents one directs (and, for a coordinator, those of their gemeenten, and the open
    signals without a regisseur)."""


@dataclass(frozen=True)
class AskRegie(Command):
    """`/regie S-CODE`: ask a regisseur for the resident of that signal."""

    ref: str


@dataclass(frozen=True)
class ScaleUp(Command):
    """`/opschalen CODE`: take a signal (S-…) or a regie (R-…) up the gemeente's ladder."""

    ref: str


@dataclass(frozen=True)
class RemindMe(Command):
    """`/herinner CODE`: Herinner mij, on a signal (S-…), a regie (R-…) or a waakvlam (W-…)."""

    ref: str
