"""Start-up objects are frozen out of the garbage collector's view, so a full collection stays short."""

import gc

from bot.runtime.collector import YOUNG, freeze_startup


def test_objects_alive_at_start_up_are_left_out_of_later_collections() -> None:
    threshold = gc.get_threshold()
    try:
        kept = [[i] for i in range(10_000)]  # stands for the modules and models a bot holds for good
        moved = freeze_startup()
        assert moved >= len(kept)
        tracked_after = len(gc.get_objects(generation=2))
        # A full collection now walks only what came after; before the freeze it walked `kept` too.
        assert tracked_after < moved
        assert not any(obj is kept for obj in gc.get_objects())
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_after_start_up_the_young_generation_is_collected_less_often() -> None:
    threshold = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        freeze_startup()
        # Python's 700 ran a young collection about every second update (gc.callbacks in a 1a run).
        assert gc.get_threshold() == (YOUNG, 10, 10)
        assert YOUNG >= 5_000
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_a_long_running_start_up_ends_by_reading_the_holidays_and_freezing() -> None:
    """`waakvlam run` and the sandbox share this last step (bot/app/runtimes.py: ready)."""
    from types import SimpleNamespace

    from bot.app.runtimes import ready
    from bot.domain import calendar
    from tests.clock import FakeClock

    threshold = gc.get_threshold()
    calendar._dutch_holidays.cache_clear()
    try:
        ready(SimpleNamespace(clock=FakeClock()))  # type: ignore[arg-type]
        assert calendar._dutch_holidays.cache_info().currsize == 2  # this year's and next year's
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[0] == YOUNG
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
