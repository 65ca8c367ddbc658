"""The signal's allowed moves, as a table."""

from __future__ import annotations

import pytest

from bot.services.lifecycle import Move, Status, after


@pytest.mark.parametrize(
    ("status", "move", "result"),
    [
        (Status.NEW, Move.PICK_UP, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Move.PICK_UP, None),  # already taken
        (Status.CLOSED, Move.PICK_UP, None),
        (Status.NEW, Move.CLOSE, Status.CLOSED),  # e.g. no action needed, straight away
        (Status.IN_PROGRESS, Move.CLOSE, Status.CLOSED),
        (Status.INFO_REQUESTED, Move.CLOSE, Status.CLOSED),
        (Status.HANDOVER, Move.CLOSE, None),  # the receiving desk must answer first
        (Status.CLOSED, Move.CLOSE, None),
    ],
)
def test_moves(status: Status, move: Move, result: Status | None) -> None:
    assert after(status, move) is result
