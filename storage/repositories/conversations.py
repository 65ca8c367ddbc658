"""Conversation state, written with a compare-and-set on its version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from storage.models import (
    Conversation,
)
from storage.repositories.base import StaleState, _Repo


class Conversations(_Repo):
    async def get(self, chat_id: int, user_id: int) -> Conversation | None:
        return await self.session.scalar(
            select(Conversation).where(Conversation.chat_id == chat_id, Conversation.user_id == user_id)
        )

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
        version = int(state["version"])
        if expected is None:
            self.session.add(
                Conversation(
                    chat_id=chat_id,
                    user_id=user_id,
                    flow=flow,
                    state=state,
                    version=version,
                    asked_outbox_id=asked,
                    updated_at=now,
                )
            )
            await self.session.flush()
            return
        result = await self.session.execute(
            update(Conversation)
            .where(
                Conversation.chat_id == chat_id,
                Conversation.user_id == user_id,
                Conversation.version == expected,
            )
            .values(flow=flow, state=state, version=version, asked_outbox_id=asked, updated_at=now)
        )
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
        result = await self.session.execute(
            delete(Conversation).where(
                Conversation.chat_id == chat_id,
                Conversation.user_id == user_id,
                Conversation.version == expected,
            )
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(chat_id, user_id)
