"""What one sender may cause: a budget per Telegram account at the front door, before anything is stored.

A person taps and types at most a few times a second in a burst and far less on average; a script sends
thousands. Past the budget an update is refused unheard (no row, no reply, no handling): the first refusal
of a run is audited and logged, the rest only counted. Per instance, in memory: behind the poller's lease
one instance takes all updates; with the webhook each counts its share, which only lowers what gets in."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from bot.domain.bucket import Buckets

BURST, PER_SECOND = 60.0, 1.0  # sixty at once (a person files a signal in about a dozen), then one a second
KEEP = 10_000  # senders remembered at most; a sender with a full bucket again is forgotten first


class Spent(Enum):
    OK = "ok"
    FIRST_OVER = "first_over"  # over the budget, for the first time in this run: say so once
    OVER = "over"


@dataclass
class SenderBudget:
    burst: float = BURST
    per_second: float = PER_SECOND
    clock: Callable[[], float] = time.monotonic
    _buckets: Buckets = field(init=False)
    _over: dict[int, float] = field(default_factory=dict)  # sender → when it last went over

    def __post_init__(self) -> None:
        self._buckets = Buckets(self.burst, self.per_second, KEEP)

    def spend(self, sender: int) -> Spent:
        """Count one update from this sender against its budget. A run of refusals ends only when the
        sender has kept within it for as long as a full budget takes to come back: one update let in
        by a token that came back mid-flood does not start a new run (nor a second audit row)."""
        now = self.clock()
        if self._buckets.take(sender, now) == 0:
            return Spent.OK
        last = self._over.get(sender)
        self._over[sender] = now
        if last is not None and now - last < self.burst / self.per_second:
            return Spent.OVER
        if len(self._over) >= KEEP:
            self._over = {s: t for s, t in self._over.items() if now - t < self.burst / self.per_second}
        return Spent.FIRST_OVER
