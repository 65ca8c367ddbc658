"""The bot's one sending rate, shared by its instances.

Telegram allows a bot about 30 messages a second however many processes send for it, and every instance
sends the outbox (bot/runtime/outbox.py). So every `BEAT` seconds each instance says in the `senders` table
that it is there and by how many it divides the rate: the number of instances heard from within `GONE`
seconds, itself included. It sends at most at that part of the rate, and less while the others leave less.

The parts never add up to more than the whole. The beats take turns (on PostgreSQL a lock held to the
commit; a SQLite file serves one instance, which forgets any other row at once), and in its beat each
instance takes at most what the others' divisors leave: a newcomer sends nothing until the others have made room for it (one or two beats after it
starts), and one that shrinks its part does so before the others can see it. One that stops takes its row
out after its last message; one that dies is forgotten after `GONE` seconds, while the rest send less, not
more; one that could not beat for `GONE - BEAT` seconds (its database out of reach) sends nothing until it
can again, since the others may count it gone by then.

A chat's own limits (about one message a second, 20 a minute in a group) stay each instance's own: a chat's
messages go out from one instance at a time (a claim skips a chat with an earlier row still to go
elsewhere), and a busy group's backlog is put back at the group's pace whichever instance claims it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from fractions import Fraction

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
BEAT, GONE = 2.0, 10.0


def part(count: int, others: Mapping[str, int]) -> float:
    """This instance's part of the rate (0 to 1), with `count` instances heard (itself included) and the
    others' divisors: a count-th, or less while the others leave less (each may send up to its divisor's
    part of the rate)."""
    left = 1 - sum(Fraction(1, share) for share in others.values())  # exact: thirds add up to one
    return float(max(Fraction(0), min(Fraction(1, count), left)))


class RateShare:
    """One instance's beat in the `senders` table; `apply` gets its part of the rate (0: send nothing)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        name: str,
        apply: Callable[[float], None],
    ) -> None:
        self.sessions, self.clock, self.name, self.apply = sessions, clock, name, apply
        self.part = 1.0  # as a sender starts (bot/runtime/outbox.py), until the first beat says otherwise
        self._heard_at: float | None = None  # time.monotonic() of the last beat that reached the table

    async def beat(self) -> float:
        """Say this instance is here; apply and return its part of the rate. A part that shrinks holds
        before the commit, so before any other instance can count on it; one that grows, after it (until
        then this instance sends less than it says, never more)."""
        try:
            async with UnitOfWork(self.sessions) as uow:
                now = self.clock.now()
                count, others = await uow.senders.beat(self.name, now, now - timedelta(seconds=GONE))
                new = part(count, others)
                self._set(min(new, self.part))
                await uow.commit()
        except Exception as exc:
            log.warning("sender_share_unreachable", error=type(exc).__name__)
            if self._heard_at is None or time.monotonic() - self._heard_at > GONE - BEAT:
                self._set(0.0)  # the others may count this instance gone by now
            return self.part
        self._heard_at = time.monotonic()
        self._set(new)
        return new

    def _set(self, part: float) -> None:
        if part != self.part:
            self.part = part
            self.apply(part)

    async def run(self, stop: asyncio.Event) -> None:
        """Beat until `stop` is set; then take this instance's row out (call once its sending has stopped)."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), BEAT)
            if not stop.is_set():
                await self.beat()
        with contextlib.suppress(Exception):
            async with UnitOfWork(self.sessions) as uow:
                await uow.senders.leave(self.name)
                await uow.commit()
