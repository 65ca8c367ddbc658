"""Where the bot's event loop stood still: a watchdog thread in the bot process while a benchmark runs.

    WAAKVLAM_BOT_STALLS=stalls.txt python -m bench.throughput --users 100 --runs 1 --think 5 --rounds 15

The harness then starts each bot process with this module imported first (tests/e2e/harness.py). A
thread looks at the loop's thread every 4 ms. While that thread is not back in the loop (its innermost
frame the runner's, waiting for events), every look keeps its stack; a stretch of more than 80 ms is
written to `stalls.txt.<pid>` with its start (wall clock, to set beside a benchmark's slowest answers),
its length and its most frequent stacks, marked "GC" while the collector ran (the first is the process's
start-up: its imports, before the loop runs). It found the claim of 0.6 s behind the 15-round soak's
slowest answers (BENCHMARKS.md, History, 2026-12-06, fourth stop). A look waits for the GIL, so a
stretch of pure Python is seen in steps of the interpreter's switch interval (5 ms); a C call that
holds the GIL shows as one long look at its caller."""

from __future__ import annotations

import atexit
import gc
import os
import signal
import sys
import threading
import time
from collections import Counter
from types import FrameType
from typing import Any

EVERY = 0.004
LONGER_THAN = 0.08
DEPTH = 14


class Watchdog:
    def __init__(self, path: str) -> None:
        self.path = path
        self.stalls: list[tuple[float, float, list[tuple[str, int]]]] = []
        self._loop_thread = threading.main_thread().ident
        self._collecting = False

    def _gc(self, phase: str, _info: dict[str, Any]) -> None:
        self._collecting = phase == "start"

    @staticmethod
    def _stack(frame: FrameType | None) -> str:
        names = []
        while frame is not None and len(names) < DEPTH:
            code = frame.f_code
            names.append(f"{os.path.basename(code.co_filename)}:{code.co_name}:{frame.f_lineno}")
            frame = frame.f_back
        return " < ".join(names)

    def _watch(self) -> None:
        began: float | None = None
        stacks: Counter[str] = Counter()
        while True:
            time.sleep(EVERY)
            frame = sys._current_frames().get(self._loop_thread)  # type: ignore[arg-type]
            if frame is None:
                continue
            now = time.time()
            if frame.f_code.co_filename.endswith("runners.py"):  # back in the loop, waiting for events
                if began is not None and now - began > LONGER_THAN:
                    self.stalls.append((began, now - began, stacks.most_common(6)))
                began, stacks = None, Counter()
                continue
            began = now if began is None else began
            stacks[("GC " if self._collecting else "") + self._stack(frame)] += 1

    def start(self) -> None:
        gc.callbacks.append(self._gc)
        threading.Thread(target=self._watch, name="stall-watchdog", daemon=True).start()

    def dump(self, *_: object) -> None:
        with open(f"{self.path}.{os.getpid()}", "w") as out:
            for began, seconds, stacks in self.stalls:
                out.write(f"stall at {began:.3f} for {seconds * 1000:.0f} ms\n")
                for stack, looks in stacks:
                    out.write(f"  {looks:4d} × {stack}\n")


if "WAAKVLAM_BOT_STALLS" in os.environ:
    watchdog = Watchdog(os.environ["WAAKVLAM_BOT_STALLS"])
    watchdog.start()
    atexit.register(watchdog.dump)
    signal.signal(signal.SIGUSR1, watchdog.dump)
