"""Start-up objects are frozen out of the garbage collector's view, so a full collection stays short."""

import gc

from bot.runtime.collector import freeze_startup


def test_objects_alive_at_start_up_are_left_out_of_later_collections() -> None:
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
