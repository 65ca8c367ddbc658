"""A signal's states and the moves between them, in one table."""

from __future__ import annotations

from enum import StrEnum

from flows.closing import OUTCOME_WORDS
from flows.text import N_


class Status(StrEnum):
    NEW = "nieuw"
    IN_PROGRESS = "in_behandeling"
    INFO_REQUESTED = "info_gevraagd"
    HANDOVER = "overdracht"
    CLOSED = "afgesloten"


class Move(StrEnum):
    PICK_UP = "pick"
    ASK_INFO = "info"
    ANSWER = "answer"
    HAND_OVER = "handover"
    ACCEPT = "accept"
    REFUSE = "refuse"
    CLOSE = "close"
    REOPEN = "reopen"


# from-status → to-status for each move; anything not listed is refused.
MOVES: dict[Move, dict[Status, Status]] = {
    Move.PICK_UP: {Status.NEW: Status.IN_PROGRESS},
    # Asking the filer something makes the asking desk the owner.
    Move.ASK_INFO: {Status.NEW: Status.INFO_REQUESTED, Status.IN_PROGRESS: Status.INFO_REQUESTED},
    Move.ANSWER: {Status.INFO_REQUESTED: Status.IN_PROGRESS},
    # Handing over makes the sending desk the owner until the receiver accepts; a refusal returns it.
    Move.HAND_OVER: {Status.NEW: Status.HANDOVER, Status.IN_PROGRESS: Status.HANDOVER},
    Move.ACCEPT: {Status.HANDOVER: Status.IN_PROGRESS},
    Move.REFUSE: {Status.HANDOVER: Status.IN_PROGRESS},
    Move.CLOSE: {
        Status.NEW: Status.CLOSED,
        Status.IN_PROGRESS: Status.CLOSED,
        Status.INFO_REQUESTED: Status.CLOSED,
    },
    # "Did the help really start?" — no: open again at the closing desk, the history kept.
    Move.REOPEN: {Status.CLOSED: Status.IN_PROGRESS},
}

STATUS_LABELS = {
    Status.NEW: N_("nieuw"),
    Status.IN_PROGRESS: N_("in behandeling"),
    Status.INFO_REQUESTED: N_("informatie gevraagd"),
    Status.HANDOVER: N_("overdracht aangevraagd"),
    Status.CLOSED: N_("afgesloten"),
}

# Outcome codes (stored) and how the filer hears them (flows/closing.py names each once).
OUTCOMES = {code: filer for code, _, filer in OUTCOME_WORDS}


def after(status: Status, move: Move) -> Status | None:
    """The status a move leads to from `status`, or None when the move is not allowed there."""
    return MOVES[move].get(status)
