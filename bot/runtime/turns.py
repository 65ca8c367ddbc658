"""The bot's one rate for all its chats (about 30 messages a second), given out in turns: a reply to a
person takes the next free turn before any bulk message (a burst of check-ins) that waits for one. Within
a lane, first come first served. The arithmetic is the token bucket of bot.domain.bucket."""

from __future__ import annotations

import asyncio
from collections import deque

from bot.domain.bucket import Bucket
from bot.domain.outgoing import BULK, REPLY

# Bulk leaves five turns in the bucket (of the 8 a burst may use), so a reply seldom waits for the next one
# to come: with one kept back, a reply waited for the next turn (~34 ms) whenever another had just taken
# it, p99 79 ms against 17 without the burst; with three 38 ms, with five 32 ms against 20 (bench.burst).
# Over time bulk still gets the whole rate when nobody is answered.
RESERVE = {REPLY: 0.0, BULK: 5.0}


class Turns:
    """`burst` at once, then `per_second`; waiters served reply lane first."""

    def __init__(self, per_second: float, burst: float) -> None:
        self._bucket = Bucket(burst, per_second)
        self._reserve: dict[int, float] = {}
        self.pace(per_second, burst)
        self._lanes: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())
        self._timer: asyncio.Handle | None = None

    def pace(self, per_second: float, burst: float) -> None:
        """From now on, `burst` at once and `per_second` (this instance's part of the bot's rate)."""
        self._bucket.per_second, self._bucket.capacity = per_second, burst
        self._bucket.tokens = min(self._bucket.tokens, burst)
        # never more than the bucket can hold beside one turn (a burst of one keeps nothing back)
        self._reserve = {lane: max(0.0, min(r, burst - 1)) for lane, r in RESERVE.items()}

    async def take(self, lane: int = REPLY) -> None:
        """Wait for a turn: at once while the rate allows and nobody waits, else after every waiter of a
        lane before this one and of this lane ahead of it. `lane` is REPLY or BULK."""
        lane = BULK if lane == BULK else REPLY
        loop = asyncio.get_running_loop()
        if self._first() is None and self._bucket.take(loop.time(), self._reserve[lane]) == 0:
            return
        turn: asyncio.Future[None] = loop.create_future()
        self._lanes[lane].append(turn)
        if self._timer is not None and lane == REPLY:
            self._timer.cancel()  # planned for bulk, which waits longer than a reply needs to
            self._timer = None
        if self._timer is None:
            self._timer = loop.call_soon(self._grant, loop)
        try:
            await turn
        except asyncio.CancelledError:
            turn.cancel()  # still waiting: its place goes; already granted: that one turn is lost
            raise

    def waiting(self, lane: int) -> int:
        """How many wait in a lane (for a test and the metrics)."""
        return sum(not t.done() for t in self._lanes[lane])

    def _grant(self, loop: asyncio.AbstractEventLoop) -> None:
        """Give out every turn the rate allows now, reply lane first; come back when the next is due."""
        self._timer = None
        while (lane := self._first()) is not None:
            wait = self._bucket.take(loop.time(), self._reserve[BULK if lane is self._lanes[BULK] else REPLY])
            if wait > 0:
                self._timer = loop.call_later(wait, self._grant, loop)
                return
            lane.popleft().set_result(None)

    def _first(self) -> deque[asyncio.Future[None]] | None:
        """The first lane with a live waiter (cancelled ones dropped), or None."""
        for lane in self._lanes:
            while lane and lane[0].done():
                lane.popleft()
            if lane:
                return lane
        return None
