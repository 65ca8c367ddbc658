"""A desk's buttons on a signal, as commands: one type per action, each carrying its button code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Protocol

from bot.domain.commands import Tap
from bot.domain.lifecycle import Move, Status, after


class DeskAction(StrEnum):
    """What a desk does to a signal with a button; the value is the button's code."""

    PICK_UP = "pick"
    ASK_INFO = "info"
    HAND_OVER = "fwd"
    ACCEPT = "acc"
    REFUSE = "ref"
    CLOSE = "close"
    MARK_URGENT = "urg"
    START_WAAKVLAM = "wv"
    AFTERCARE = "hs"
    STILL_RUNNING = "live"
    READ = "read"
    REGIE = "regie"
    OVERLEG = "ovl"
    TRIAGE = "tri"
    QUEUE = "queue"
    START = "go"
    REPRIORITISE = "prio"


@dataclass(frozen=True)
class OnSignal(Tap):
    """A desk's button on a signal: the signal, the version it was shown at and the message it is on."""

    action: ClassVar[DeskAction]
    signal: int
    version: int
    message_id: int


@dataclass(frozen=True)
class PickUp(OnSignal):
    """Oppakken: this desk takes the new signal."""

    action = DeskAction.PICK_UP


@dataclass(frozen=True)
class AskInfo(OnSignal):
    """Info vragen: ask the filer something."""

    action = DeskAction.ASK_INFO


@dataclass(frozen=True)
class HandOver(OnSignal):
    """Doorzetten: ask another desk to take it over (this desk stays responsible until it accepts)."""

    action = DeskAction.HAND_OVER


@dataclass(frozen=True)
class AcceptHandOver(OnSignal):
    """Accepteren: take over what another desk handed over."""

    action = DeskAction.ACCEPT


@dataclass(frozen=True)
class RefuseHandOver(OnSignal):
    """Weigeren: refuse a hand-over, with a reason."""

    action = DeskAction.REFUSE


@dataclass(frozen=True)
class Close(OnSignal):
    """Afsluiten: close the signal with an outcome."""

    action = DeskAction.CLOSE


@dataclass(frozen=True)
class MarkUrgent(OnSignal):
    """Urgent, or no longer: first in the list and the digest."""

    action = DeskAction.MARK_URGENT


@dataclass(frozen=True)
class StartWaakvlam(OnSignal):
    """Waakvlam starten: the closing desk agrees a waakvlam for the resident."""

    action = DeskAction.START_WAAKVLAM


@dataclass(frozen=True)
class AnswerAftercare(OnSignal):
    """ "Is de hulp gestart?" answered by the closing desk (`choice`: yes, not yet, no)."""

    action = DeskAction.AFTERCARE
    choice: str = ""


@dataclass(frozen=True)
class StillRunning(OnSignal):
    """ "Loopt dit nog?" answered yes by the desk that has the signal in hand."""

    action = DeskAction.STILL_RUNNING


@dataclass(frozen=True)
class ReadSignal(OnSignal):
    """📄 Lezen in a desk's group: the signal's text is read privately (the private chat gets an Openen
    button to the page on the region's server; a group allows no Mini App)."""

    action = DeskAction.READ


@dataclass(frozen=True)
class AskRegieForSignal(OnSignal):
    """🧭 Regie: ask a regisseur for the signal's resident (privately, as a hand-over is asked)."""

    action = DeskAction.REGIE


@dataclass(frozen=True)
class StartOverleg(OnSignal):
    """🤝 Overleg: ask other desks into a routeeroverleg on the signal (which ones, privately)."""

    action = DeskAction.OVERLEG


@dataclass(frozen=True)
class Triage(OnSignal):
    """A triaging desk's verdict after Oppakken (`choice`: bot.domain.overleg.TRIAGE)."""

    action = DeskAction.TRIAGE
    choice: str = ""


@dataclass(frozen=True)
class Queue(OnSignal):
    """Procesregie waits on the werkvoorraad with this priority (`choice`: 1, 2 or 3), or gets a new one."""

    action = DeskAction.QUEUE
    choice: str = ""


@dataclass(frozen=True)
class Reprioritise(OnSignal):
    """On the Monday werkvoorraad card: a new priority (`choice` 1–3), or 0 to start it now."""

    action = DeskAction.REPRIORITISE
    choice: str = ""


@dataclass(frozen=True)
class StartNow(OnSignal):
    """Procesregie starts now (off the werkvoorraad)."""

    action = DeskAction.START


# By button code (a DeskAction is its code).
DESK_COMMANDS: dict[str, type[OnSignal]] = {
    c.action: c
    for c in (
        PickUp,
        AskInfo,
        HandOver,
        AcceptHandOver,
        RefuseHandOver,
        Close,
        MarkUrgent,
        StartWaakvlam,
        AnswerAftercare,
        StillRunning,
        ReadSignal,
        AskRegieForSignal,
        StartOverleg,
        Triage,
        Queue,
        StartNow,
        Reprioritise,
    )
}


class SignalState(Protocol):
    """What a desk's rights on a signal depend on."""

    status: Status
    owner_desk: str | None
    handover_to: str | None
    joint_triage: bool
    triage: str | None
    priority: int | None


IN_HAND = frozenset({Status.IN_PROGRESS, Status.INFO_REQUESTED})


def allowed(signal: SignalState, desk: str, triages: bool = False) -> frozenset[DeskAction]:
    """What this desk may do to the signal now: the one rule the card's buttons and every guard ask.

    A desk may act on a signal nobody owns yet or that it owns; a hand-over waits for the receiving desk
    (the sender stays responsible but cannot act meanwhile); a closed signal is the closing desk's alone.
    Every desk it went to may read it, always. A signal several desks got waits for their routeeroverleg:
    the desk it decides on picks it up. A triaging desk that has it in hand records its verdict; procesregie
    then starts now or waits on the werkvoorraad (and is started from there)."""
    status = signal.status
    read = frozenset({DeskAction.READ})
    if status is Status.HANDOVER:
        return read | (
            frozenset({DeskAction.ACCEPT, DeskAction.REFUSE}) if signal.handover_to == desk else frozenset()
        )
    if status is Status.CLOSED:
        owns = signal.owner_desk == desk
        closing = {DeskAction.START_WAAKVLAM, DeskAction.AFTERCARE, DeskAction.REGIE}
        return read | (frozenset(closing) if owns else frozenset())
    may: set[DeskAction] = {DeskAction.READ}
    if signal.joint_triage and signal.owner_desk is None and status is Status.NEW:
        # A routeeroverleg decides who takes it (bot/samenloop): until then the desks read, ask and mark.
        return frozenset({DeskAction.READ, DeskAction.ASK_INFO, DeskAction.MARK_URGENT, DeskAction.REGIE})
    if after(status, Move.PICK_UP) and signal.owner_desk in (None, desk):
        may.add(DeskAction.PICK_UP)
    if signal.owner_desk in (None, desk):
        moves = (
            (Move.ASK_INFO, DeskAction.ASK_INFO),
            (Move.HAND_OVER, DeskAction.HAND_OVER),
            (Move.CLOSE, DeskAction.CLOSE),
        )
        may |= {action for move, action in moves if after(status, move)}
        may |= {DeskAction.MARK_URGENT, DeskAction.REGIE, DeskAction.OVERLEG}
    if status in IN_HAND and signal.owner_desk == desk:
        may.add(DeskAction.STILL_RUNNING)
        if triages:  # a triaging desk (the region file's `triage`): its verdict, then the werkvoorraad
            may |= _triage(signal)
    return frozenset(may)


def _triage(signal: SignalState) -> set[DeskAction]:
    if signal.triage is None:
        return {DeskAction.TRIAGE}
    if signal.triage != "procesregie" or signal.priority == 0:
        return set()
    # Procesregie not started: queue it (or another priority), or start now.
    return {DeskAction.QUEUE, DeskAction.START, DeskAction.REPRIORITISE}
