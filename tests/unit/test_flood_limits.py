"""The emulator's flood limits, on a controllable clock."""

from __future__ import annotations

from bot.sandbox.limits import FloodLimits


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_private_chat_allows_a_short_burst_then_one_a_second() -> None:
    t = Ticks()
    limits = FloodLimits(clock=t)
    assert [limits.check(42) for _ in range(3)] == [0, 0, 0]
    assert limits.check(42) == 1
    t.now += 1.0
    assert limits.check(42) == 0
    assert limits.check(42) == 1


def test_group_allows_twenty_a_minute() -> None:
    t = Ticks()
    limits = FloodLimits(clock=t)
    assert all(limits.check(-100) == 0 for _ in range(20))
    assert limits.check(-100) == 3  # one more token after 60/20 seconds
    t.now += 3.0
    assert limits.check(-100) == 0


def test_bot_wide_limit_is_thirty_a_second_across_chats() -> None:
    t = Ticks()
    limits = FloodLimits(clock=t)
    assert all(limits.check(chat) == 0 for chat in range(1, 31))
    assert limits.check(31) == 1
    t.now += 0.5
    assert sum(limits.check(chat) == 0 for chat in range(100, 120)) == 15


def test_a_refused_chat_message_does_not_use_up_the_bots_budget() -> None:
    t = Ticks()
    limits = FloodLimits(clock=t)
    for _ in range(3):
        limits.check(1)
    for _ in range(100):
        assert limits.check(1) > 0
    assert all(limits.check(chat) == 0 for chat in range(2, 29))
