"""The garbage collector and a long-running bot: keep full collections short, and collect less often.

After start-up the process holds a few hundred thousand objects that live as long as it does (imported
modules, aiogram's and pydantic's built models, SQLAlchemy's compiled statements, the region, the
catalogs). Every full collection walked all of them: ~130 ms with the whole bot standing still, about
every 10-20 s under load (bench.throughput --think, BENCHMARKS.md profile 12), which showed as the p99 of
answers. Frozen, they are left out of every collection; what is created later is collected as usual.

The youngest generation is collected after `YOUNG` more container objects than were freed, not
Python's 700: an update leaves a few hundred alive for a moment (its models, its unit of work, its
replies), so at 700 the collector ran about every second update and walked objects that reference
counting would have freed a moment later. With 1a's 100 people filing at once the collector took ~0.18
ms of every update at 700 and ~0.10 at 7,000 (gc.callbacks, BENCHMARKS.md 2026-12-06); one young
collection then takes ~3 ms, an older one ~10 ms, far under what a person notices."""

from __future__ import annotations

import gc

YOUNG = 7_000


def freeze_startup() -> int:
    """Collect once, then move every object alive now out of the collector's view, and collect the
    young generation less often from now on; how many objects moved."""
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)
    return gc.get_freeze_count()
