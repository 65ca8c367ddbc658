"""A waakvlam agreement's and a check-in's states, and the moves between them (as lifecycle.py has them for
signals): the services ask here whether a move is allowed, instead of comparing strings."""

from __future__ import annotations

from enum import StrEnum


class AgreementStatus(StrEnum):
    PROPOSED = "proposed"  # waits for its contact person to accept
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class AgreementMove(StrEnum):
    ACCEPT = "accept"
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


PROPOSED, ACTIVE, PAUSED, ENDED = (
    AgreementStatus.PROPOSED,
    AgreementStatus.ACTIVE,
    AgreementStatus.PAUSED,
    AgreementStatus.ENDED,
)
LIVE = frozenset({PROPOSED, ACTIVE, PAUSED})
AGREEMENT_MOVES: dict[AgreementMove, dict[AgreementStatus, AgreementStatus]] = {
    AgreementMove.ACCEPT: {PROPOSED: ACTIVE},
    AgreementMove.PAUSE: {ACTIVE: PAUSED},
    AgreementMove.RESUME: {PAUSED: ACTIVE},
    AgreementMove.END: {status: ENDED for status in LIVE},
}


def agreement_after(status: AgreementStatus, move: AgreementMove) -> AgreementStatus | None:
    """The status a move leads to from `status`, or None when the move is not allowed there."""
    return AGREEMENT_MOVES[move].get(status)


class CheckInStatus(StrEnum):
    """A check-in's state: planned, then sent; answered, or missed (a late answer still counts), or snoozed
    to the next working day; replaced by a new plan, or skipped when the agreement paused or ended."""

    PLANNED = "planned"
    SENT = "sent"
    MISSED = "missed"
    SNOOZED = "snoozed"
    ANSWERED = "answered"
    REPLACED = "replaced"
    SKIPPED = "skipped"
    CLOSED = "closed"  # out, unanswered, when the agreement ended: a late tap changes nothing


# Open for an answer while out (or missed, or snoozed: a late answer still counts).
OPEN_CHECKIN = frozenset({CheckInStatus.SENT, CheckInStatus.MISSED, CheckInStatus.SNOOZED})
# Waiting to go out: planned, or snoozed to a later day.
TO_SEND = frozenset({CheckInStatus.PLANNED, CheckInStatus.SNOOZED})
