"""Conversation state, written with a compare-and-set on its version."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, func, select

from storage.models import Conversation
from storage.repositories.base import StaleState, _Repo

CONVERSATIONS = cast(Table, Conversation.__table__)
_THIS = (CONVERSATIONS.c.chat_id == bindparam("chat"), CONVERSATIONS.c.user_id == bindparam("user"))
_AT_VERSION = (*_THIS, CONVERSATIONS.c.version == bindparam("expected"))
# Every step of a conversation reads and writes its row: the statements are built once and go to the
# table, not through the ORM (see messaging.py).
GET = select(CONVERSATIONS.c.flow, CONVERSATIONS.c.state, CONVERSATIONS.c.asked_outbox_id).where(*_THIS)
_FIELDS = ("flow", "state", "version", "asked_outbox_id", "updated_at")
INSERT = CONVERSATIONS.insert().values(
    chat_id=bindparam("chat"), user_id=bindparam("user"), **{f: bindparam(f) for f in _FIELDS}
)
UPDATE = CONVERSATIONS.update().where(*_AT_VERSION).values(**{f: bindparam(f) for f in _FIELDS})
DELETE = CONVERSATIONS.delete().where(*_AT_VERSION)


class Conversations(_Repo):
    async def get(self, chat_id: int, user_id: int) -> Row[str, dict[str, Any], int | None] | None:
        """The conversation in progress (flow, state, asked_outbox_id), if any."""
        return (await self.session.execute(GET, {"chat": chat_id, "user": user_id})).first()

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
            await self.session.execute(INSERT, values)  # a second one for this chat and user: IntegrityError
            return
        result = await self.session.execute(UPDATE, values | {"expected": expected})
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(chat_id, user_id)

    async def purge_idle(self, before: datetime, dry_run: bool) -> int:
        where = Conversation.updated_at < before
        if dry_run:
            return int(await self.session.scalar(select(func.count(Conversation.id)).where(where)) or 0)
        result = await self.session.execute(delete(Conversation).where(where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def delete(self, chat_id: int, user_id: int, expected: int | None) -> None:
        if expected is None:
            return
        result = await self.session.execute(DELETE, {"chat": chat_id, "user": user_id, "expected": expected})
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(chat_id, user_id)
