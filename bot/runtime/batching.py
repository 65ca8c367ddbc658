"""Group commit: items that arrive while one batch is being written share the next write.

Each caller gets its own item's result and returns only once that item is written, so nothing it relies
on changes; under load many callers share one transaction instead of one each. Used for storing updates
(bot/runtime/gate.py) and for the outbox's "sent" marks (bot/runtime/outbox.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """Call `write(items)` (one transaction, results in the items' order) for whatever is waiting."""

    def __init__(self, write: Callable[[list[Item]], Awaitable[list[Result]]]) -> None:
        self._write = write
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._lock = asyncio.Lock()
        self.commits = 0

    async def submit(self, item: Item) -> Result:
        """Write `item` together with whatever else is waiting; its result once it is committed."""
        done: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending.append((item, done))
        async with self._lock:
            if not done.done():
                # Let the callers that are ready in this same turn of the loop (the rest of a getUpdates
                # batch) join: a write that never waits (SQLite runs on this thread) would go alone.
                await asyncio.sleep(0)
                batch, self._pending = self._pending, []
                try:
                    results = await self._write([item for item, _ in batch])
                except Exception as exc:
                    for _, waiting in batch:
                        waiting.set_exception(exc)
                else:
                    self.commits += 1
                    for (_, waiting), result in zip(batch, results, strict=True):
                        waiting.set_result(result)
        return await done


class Progress:
    """How much of a claimed batch is still to go; `nearly_done` once `low` rows or fewer are left."""

    def __init__(self, size: int, low: int) -> None:
        self.left, self.low = size, low
        self.nearly_done = asyncio.Event()
        self.took(0)

    def took(self, count: int) -> None:
        """Note `count` more done; say so when only the low-water mark is left."""
        self.left -= count
        if self.left <= self.low:
            self.nearly_done.set()


@dataclass(frozen=True)
class Batch:
    """Rows being sent, and how many wake-ups the sender had seen when it claimed them."""

    task: asyncio.Task[None]
    seen: int
