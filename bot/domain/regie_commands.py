"""Regie's buttons and its typed command, as commands: the one asked accepts or declines; `/regie`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.domain.commands import Command, Tap


class RegieAction(StrEnum):
    """What a button does to a regie; the value is the button's code."""

    ACCEPT = "acc"
    DECLINE = "dec"


@dataclass(frozen=True)
class OnRegie(Tap):
    """A button on a regie request: the regie, the version it was asked at, the message it is on."""

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


REGIE_COMMANDS: dict[str, type[OnRegie]] = {c.action: c for c in (AcceptRegie, DeclineRegie)}


@dataclass(frozen=True)
class ListRegie(Command):
    """`/regie`: the residents one directs (and, for a coordinator, those of their gemeenten, and the open
    signals without a regisseur)."""


@dataclass(frozen=True)
class AskRegie(Command):
    """`/regie S-CODE`: ask a regisseur for the resident of that signal."""

    ref: str
