"""The garbage collector and a long-running bot: keep full collections short.

After start-up the process holds a few hundred thousand objects that live as long as it does (imported
modules, aiogram's and pydantic's built models, SQLAlchemy's compiled statements, the region, the
catalogs). Every full collection walked all of them: ~130 ms with the whole bot standing still, about
every 10-20 s under load (bench.throughput --think, BENCHMARKS.md profile 12), which showed as the p99 of
answers. Frozen, they are left out of every collection; what is created later is collected as usual."""

from __future__ import annotations

import gc


def freeze_startup() -> int:
    """Collect once, then move every object alive now out of the collector's view; how many moved."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
