"""A waakvlam agreement's moves as a table: what each state allows, and nothing else."""

from __future__ import annotations

import pytest

from bot.domain.agreements import (
    AGREEMENT_MOVES,
    LIVE,
    OPEN_CHECKIN,
    TO_SEND,
    AgreementMove,
    AgreementStatus,
    CheckInStatus,
    agreement_after,
)

S = AgreementStatus


@pytest.mark.parametrize(
    ("status", "move", "to"),
    [
        (S.PROPOSED, AgreementMove.ACCEPT, S.ACTIVE),
        (S.ACTIVE, AgreementMove.PAUSE, S.PAUSED),
        (S.PAUSED, AgreementMove.RESUME, S.ACTIVE),
        (S.PROPOSED, AgreementMove.END, S.ENDED),
        (S.ACTIVE, AgreementMove.END, S.ENDED),
        (S.PAUSED, AgreementMove.END, S.ENDED),
    ],
)
def test_the_moves_an_agreement_allows(
    status: AgreementStatus, move: AgreementMove, to: AgreementStatus
) -> None:
    assert agreement_after(status.value, move) is to  # as stored: a plain string


def test_every_other_move_is_refused_and_an_ended_agreement_moves_no_more() -> None:
    allowed = {(s, m) for m, table in AGREEMENT_MOVES.items() for s in table}
    for status in S:
        for move in AgreementMove:
            assert (agreement_after(status, move) is not None) == ((status, move) in allowed)
    assert all(agreement_after(S.ENDED, m) is None for m in AgreementMove)
    assert S.ENDED not in LIVE and len(LIVE) == 3


def test_a_check_in_is_open_for_an_answer_only_once_it_went_out() -> None:
    assert {CheckInStatus.SENT, CheckInStatus.MISSED, CheckInStatus.SNOOZED} == OPEN_CHECKIN
    assert CheckInStatus.PLANNED not in OPEN_CHECKIN and CheckInStatus.ANSWERED not in OPEN_CHECKIN
    assert CheckInStatus.SNOOZED in TO_SEND & OPEN_CHECKIN  # a snoozed one goes out again, and still counts
