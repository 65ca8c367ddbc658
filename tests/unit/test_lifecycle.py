"""The signal's allowed moves, as a table."""

from __future__ import annotations

import pytest

from bot.domain.lifecycle import Move, Status, after


@pytest.mark.parametrize(
    ("status", "move", "result"),
    [
        (Status.NEW, Move.PICK_UP, Status.IN_PROGRESS),
        (Status.IN_PROGRESS, Move.PICK_UP, None),  # already taken
        (Status.CLOSED, Move.PICK_UP, None),
        (Status.NEW, Move.CLOSE, Status.CLOSED),  # e.g. no action needed, straight away
        (Status.IN_PROGRESS, Move.CLOSE, Status.CLOSED),
        (Status.CLOSED, Move.REOPEN, Status.IN_PROGRESS),  # the help did not start
        (Status.IN_PROGRESS, Move.REOPEN, None),
        (Status.INFO_REQUESTED, Move.CLOSE, Status.CLOSED),
        (Status.HANDOVER, Move.CLOSE, None),  # the receiving desk must answer first
        (Status.CLOSED, Move.CLOSE, None),
    ],
)
def test_moves(status: Status, move: Move, result: Status | None) -> None:
    assert after(status, move) is result


@pytest.mark.parametrize(
    ("status", "move", "result"),
    [
        (Status.NEW, Move.HAND_OVER, Status.HANDOVER),
        (Status.IN_PROGRESS, Move.HAND_OVER, Status.HANDOVER),
        (Status.HANDOVER, Move.HAND_OVER, None),  # one hand-over at a time
        (Status.HANDOVER, Move.ACCEPT, Status.IN_PROGRESS),
        (Status.HANDOVER, Move.REFUSE, Status.IN_PROGRESS),  # back to the sender, never ownerless
        (Status.IN_PROGRESS, Move.ACCEPT, None),
        (Status.INFO_REQUESTED, Move.HAND_OVER, None),  # wait for the filer's answer first
        (Status.INFO_REQUESTED, Move.ANSWER, Status.IN_PROGRESS),
        (Status.NEW, Move.ASK_INFO, Status.INFO_REQUESTED),
    ],
)
def test_hand_over_and_info_moves(status: Status, move: Move, result: Status | None) -> None:
    assert after(status, move) is result


def test_the_closing_question_offers_exactly_the_outcomes_the_lifecycle_knows() -> None:
    from bot.domain.lifecycle import OUTCOMES
    from flows.closing import OUTCOMES as CHOICES

    assert [o.value for o in CHOICES] == list(OUTCOMES)
