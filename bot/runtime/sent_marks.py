"""The sent marks: which outbox rows went out, and as which Telegram message, committed in groups."""

from __future__ import annotations

import structlog
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from bot.domain.clock import Clock
from bot.runtime.batching import GroupCommit
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
# A delivered message whose "sent" mark is lost goes out again once its lease runs out: a failed mark
# (a dropped connection, a locked SQLite file) is written again, for up to ~3 s, before the delivery fails.
MARK_ATTEMPTS = 6


class SentMarks:
    """Commit "sent" marks together (a group commit): each caller returns once its own mark is committed,
    so a chat's next message still waits for the previous one to be on record; under load many chats'
    marks go in one transaction instead of one transaction each."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock) -> None:
        self.sessions, self.clock = sessions, clock
        self._group: GroupCommit[tuple[int, int | None], None] = GroupCommit(self._write)

    @property
    def commits(self) -> int:
        """How many group commits wrote marks so far."""
        return self._group.commits

    async def mark(self, row_id: int, message_id: int | None) -> None:
        """Mark an outbox row sent (with Telegram's message id); return once committed."""
        await self._group.submit((row_id, message_id))

    async def _write(self, marks: list[tuple[int, int | None]]) -> list[None]:
        async for attempt in AsyncRetrying(
            retry=retry_if_exception_type(DBAPIError),
            stop=stop_after_attempt(MARK_ATTEMPTS),
            wait=wait_exponential(multiplier=0.1, max=1),
            before_sleep=_marks_failed,
            reraise=True,
        ):
            with attempt:
                async with UnitOfWork(self.sessions) as uow:
                    await uow.outbox.sent_many(marks, self.clock.now())
                    await uow.commit()
        return [None] * len(marks)


def _marks_failed(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.warning("outbox_marks_retry", attempt=state.attempt_number, error=str(error))
