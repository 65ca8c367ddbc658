"""Conversation state, written with a compare-and-set on its version."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, bindparam, delete, func, select

from storage.direct import Direct, DirectRead
from storage.models import Conversation
from storage.repositories.base import StaleState, _Repo

CONVERSATIONS = cast(Table, Conversation.__table__)
_THIS = (CONVERSATIONS.c.chat_id == bindparam("chat"), CONVERSATIONS.c.user_id == bindparam("user"))
_AT_VERSION = (*_THIS, CONVERSATIONS.c.version == bindparam("expected"))
# Every step of a conversation reads and writes its row: the statements are built once and go to the
# table, not through the ORM (see storage/direct.py).
GET = DirectRead(
    select(CONVERSATIONS.c.flow, CONVERSATIONS.c.state, CONVERSATIONS.c.asked_outbox_id).where(*_THIS)
)
_FIELDS = ("flow", "state", "version", "asked_outbox_id", "updated_at")
# The writes run on the driver's connection itself (storage/direct.py: sqlite3, asyncpg).
INSERT = Direct(
    CONVERSATIONS.insert().values(
        chat_id=bindparam("chat"), user_id=bindparam("user"), **{f: bindparam(f) for f in _FIELDS}
    )
)
UPDATE = Direct(CONVERSATIONS.update().where(*_AT_VERSION).values(**{f: bindparam(f) for f in _FIELDS}))
DELETE = Direct(CONVERSATIONS.delete().where(*_AT_VERSION))


class Current(NamedTuple):
    """A conversation in progress."""

    flow: str
    state: dict[str, Any]
    asked_outbox_id: int | None


class Conversations(_Repo):
    def __init__(self, session: Any) -> None:
        super().__init__(session)
        # What the next `get` of a conversation returns without reading: read along with its user
        # (`Users.in_chat`), or written by this unit of work (a form reads the state it just moved on).
        self._read: dict[tuple[int, int], Current | None] = {}

    def remember(self, chat_id: int, user_id: int, current: Current | None) -> None:
        """Keep a conversation read along with its user (`Users.in_chat`) for the first `get` of it (a stale
        read is safe: every write compares the version)."""
        self._read[(chat_id, user_id)] = current

    async def get(self, chat_id: int, user_id: int) -> Current | None:
        """The conversation in progress (flow, state, asked_outbox_id), if any."""
        if (chat_id, user_id) in self._read:
            return self._read.pop((chat_id, user_id))
        row = await GET.first(self.session, {"chat": chat_id, "user": user_id})
        return Current(*row) if row is not None else None

    async def save(
        self,
        chat_id: int,
        user_id: int,
        flow: str,
        state: dict[str, Any],
        now: datetime,
        expected: int | None,
        asked: int | None = None,
    ) -> None:
        """Write the state if nobody changed it since version `expected` (None: it must be new)."""
        self._read.pop((chat_id, user_id), None)
        values = dict(
            chat=chat_id,
            user=user_id,
            flow=flow,
            state=state,
            version=int(state["version"]),
            asked_outbox_id=asked,
            updated_at=now,
        )
        if expected is None:
            await INSERT.count(self.session, values)  # a second one for this chat and user: IntegrityError
        elif not await UPDATE.count(self.session, values | {"expected": expected}):
            raise StaleState(chat_id, user_id)
        self._read[(chat_id, user_id)] = Current(flow, state, asked)

    async def purge_idle(self, before: datetime, dry_run: bool) -> int:
        """Delete (or, dry, count) conversations untouched since `before`."""
        self._read.clear()
        where = Conversation.updated_at < before
        if dry_run:
            return int(await self.session.scalar(select(func.count(Conversation.id)).where(where)) or 0)
        result = await self.session.execute(delete(Conversation).where(where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def states(self) -> list[tuple[int, int, dict[str, Any]]]:
        """Every conversation in progress: chat, user and state (for an AVG export or erasure)."""
        rows = await self.session.execute(
            select(Conversation.chat_id, Conversation.user_id, Conversation.state)
        )
        return [(int(c), int(u), s) for c, u, s in rows]

    async def drop(self, chat_id: int, user_id: int) -> None:
        """End a conversation whatever its version (an erasure takes what it holds)."""
        self._read[(chat_id, user_id)] = None
        await self.session.execute(
            delete(Conversation).where(Conversation.chat_id == chat_id, Conversation.user_id == user_id)
        )

    async def delete(self, chat_id: int, user_id: int, expected: int | None) -> None:
        """End a conversation, if it is still the version the caller read."""
        self._read.pop((chat_id, user_id), None)
        if expected is None:
            return
        if not await DELETE.count(self.session, {"chat": chat_id, "user": user_id, "expected": expected}):
            raise StaleState(chat_id, user_id)
        self._read[(chat_id, user_id)] = None
