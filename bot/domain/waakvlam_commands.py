"""The waakvlam's buttons as commands: a check-in answered, an agreement accepted, paused, extended, ..."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

from bot.domain.commands import Tap


class CheckInAnswer(StrEnum):
    """A contact person's answer to a check-in; the value is the button's code."""

    GOOD = "ok"
    WORRY = "worry"
    NO_CONTACT = "none"
    LATER = "later"


class AgreementAction(StrEnum):
    """What is done to a waakvlam agreement with a button; the value is the button's code."""

    ACCEPT = "acc"
    DECLINE = "dec"
    SHOW = "card"
    PAUSE = "pause"
    RESUME = "resume"
    CHANGE_OWNER = "owner"
    CHANGE_RHYTHM = "rhythm"
    END = "end"
    EXTEND = "ext"
    STOP = "stop"


@dataclass(frozen=True)
class AnswerCheckIn(Tap):
    """A contact person's tap on a check-in question."""

    answer: CheckInAnswer
    checkin: int
    message_id: int


@dataclass(frozen=True)
class OnAgreement(Tap):
    """A button on a waakvlam agreement: the agreement, the version it was shown at, the message it is on."""

    action: ClassVar[AgreementAction]
    agreement: int
    version: int
    message_id: int


@dataclass(frozen=True)
class AcceptAgreement(OnAgreement):
    """The proposed contact person takes the waakvlam on."""

    action = AgreementAction.ACCEPT


@dataclass(frozen=True)
class DeclineAgreement(OnAgreement):
    """The proposed contact person declines."""

    action = AgreementAction.DECLINE


@dataclass(frozen=True)
class ShowAgreement(OnAgreement):
    """Bekijken: the agreement's card with what may be done to it."""

    action = AgreementAction.SHOW


@dataclass(frozen=True)
class PauseAgreement(OnAgreement):
    """Pauzeren: asks why first."""

    action = AgreementAction.PAUSE


@dataclass(frozen=True)
class ResumeAgreement(OnAgreement):
    """Hervatten: check-ins are planned afresh."""

    action = AgreementAction.RESUME


@dataclass(frozen=True)
class ChangeContact(OnAgreement):
    """Contactpersoon wijzigen: propose another contact person."""

    action = AgreementAction.CHANGE_OWNER


@dataclass(frozen=True)
class ChangeRhythm(OnAgreement):
    """Ritme wijzigen."""

    action = AgreementAction.CHANGE_RHYTHM


@dataclass(frozen=True)
class EndAgreement(OnAgreement):
    """Beëindigen: asks why first."""

    action = AgreementAction.END


@dataclass(frozen=True)
class ExtendAgreement(OnAgreement):
    """Verlengen, a week before the end."""

    action = AgreementAction.EXTEND


@dataclass(frozen=True)
class StopAgreement(OnAgreement):
    """Laten aflopen, a week before the end."""

    action = AgreementAction.STOP


# By button code (an AgreementAction is its code).
AGREEMENT_COMMANDS: dict[str, type[OnAgreement]] = {
    c.action: c
    for c in (
        AcceptAgreement,
        DeclineAgreement,
        ShowAgreement,
        PauseAgreement,
        ResumeAgreement,
        ChangeContact,
        ChangeRhythm,
        EndAgreement,
        ExtendAgreement,
        StopAgreement,
    )
}
