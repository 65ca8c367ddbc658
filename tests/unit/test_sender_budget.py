"""The front door's budget per sender: a flood is one run of refusals (one audit row), even when a token
comes back in the middle of it; a sender who calmed down and floods again starts a new run."""

from __future__ import annotations

from bot.runtime.budget import SenderBudget, Spent


def test_a_token_back_mid_flood_does_not_start_a_new_run() -> None:
    now = [0.0]
    budget = SenderBudget(burst=2, per_second=1, clock=lambda: now[0])
    assert [budget.spend(7) for _ in range(4)] == [Spent.OK, Spent.OK, Spent.FIRST_OVER, Spent.OVER]
    now[0] = 1.0  # one token back, the flood goes on
    assert [budget.spend(7), budget.spend(7)] == [Spent.OK, Spent.OVER]
    assert budget.spend(8) == Spent.OK  # another sender has a budget of its own
    now[0] = 10.0  # calm for longer than a full budget takes to come back: a new run
    assert [budget.spend(7) for _ in range(3)] == [Spent.OK, Spent.OK, Spent.FIRST_OVER]
