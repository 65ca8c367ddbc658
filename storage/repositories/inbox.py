"""The inbox: every Telegram update, stored before it is acted on, claimed with a lease."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.direct import Direct
from storage.models import (
    InboxUpdate,
    OutboxMessage,
)
from storage.repositories.base import _Repo

INBOX = cast(Table, InboxUpdate.__table__)
OUTBOX = cast(Table, OutboxMessage.__table__)


def _inbox_insert(dialect_insert: Any) -> Any:
    values: dict[str, Any] = {
        c: bindparam(c)
        for c in ("update_id", "chat_id", "payload", "received_at", "claimed_until", "claim_token")
    }
    return (
        dialect_insert(INBOX)
        .values(values)
        .on_conflict_do_nothing(index_elements=["update_id"])
        .returning(INBOX.c.update_id)
    )


# The statements every update runs, built once: SQLAlchemy then reuses their compiled form without
# building and keying a new statement per call (a tenth of the bot's CPU under load in the profile).
# Those wrapped in `Direct` run on the driver's connection itself (storage/direct.py).
INBOX_INSERT = {"postgresql": _inbox_insert(pg_insert), "sqlite": _inbox_insert(sqlite_insert)}
INBOX_CLAIM = (
    update(INBOX)
    .where(
        INBOX.c.update_id == bindparam("u"),
        INBOX.c.processed_at.is_(None),
        or_(INBOX.c.claimed_until.is_(None), INBOX.c.claimed_until < bindparam("now")),
    )
    .values(claimed_until=bindparam("until"), claim_token=bindparam("token"))
)
INBOX_DONE = Direct(
    update(INBOX).where(INBOX.c.update_id == bindparam("u")).values(processed_at=bindparam("now"))
)
# Done only while the claim is still this instance's: a handler that outlived its lease, while another
# instance took the update over, finds no row and its effects roll back.
INBOX_DONE_HELD = Direct(
    update(INBOX)
    .where(
        INBOX.c.update_id == bindparam("u"),
        INBOX.c.claim_token == bindparam("token"),
        INBOX.c.processed_at.is_(None),
    )
    .values(processed_at=bindparam("now"))
)
# Typed text refused unread (stray text in a chat) is redacted in the same transaction.
INBOX_REDACT = Direct(
    update(INBOX)
    .where(INBOX.c.update_id == bindparam("u"))
    .values(
        payload=bindparam("erased", type_=INBOX.c.payload.type),
        processed_at=func.coalesce(INBOX.c.processed_at, bindparam("now", type_=INBOX.c.processed_at.type)),
    )
)
INBOX_EARLIER_IN_HAND = (
    select(INBOX.c.update_id)
    .where(
        INBOX.c.chat_id == bindparam("chat"),
        INBOX.c.update_id < bindparam("u"),
        INBOX.c.processed_at.is_(None),
        INBOX.c.claimed_until >= bindparam("now"),
    )
    .limit(1)
)


class Inbox(_Repo):
    # Bookkeeping statements go to the table, not the ORM class: no session objects to synchronise, so
    # SQLAlchemy skips its per-statement ORM work (a third of a statement's cost in the profile).
    async def receive(
        self, update_id: int, payload: dict[str, Any], now: datetime, chat_id: int | None = None
    ) -> None:
        """Store an update if it is new; a redelivered one is left as it is."""
        await self._insert([(update_id, chat_id, payload)], now, None, None)

    async def take(
        self,
        update_id: int,
        chat_id: int | None,
        payload: dict[str, Any],
        now: datetime,
        lease: timedelta,
        token: str | None = None,
    ) -> bool:
        """Store a new update already claimed for handling; a redelivered one is claimed only when it is
        unfinished and not in hand elsewhere. `token` names the claimant (see `done`)."""
        return (await self.take_many([(update_id, chat_id, payload)], now, lease, token))[0]

    async def take_many(
        self,
        updates: list[tuple[int, int | None, dict[str, Any]]],
        now: datetime,
        lease: timedelta,
        token: str | None = None,
    ) -> list[bool]:
        """`take` for several updates, the new ones stored in one statement; one answer per update."""
        until = now + lease
        stored = set(await self._insert(updates, now, until, token))
        taken: list[bool] = []
        for update_id, _, _ in updates:
            if update_id in stored:
                stored.discard(update_id)  # the same update twice in one batch is taken once
                taken.append(True)
            else:
                taken.append(await self.claim(update_id, now, lease, token))
        return taken

    async def _insert(
        self,
        updates: list[tuple[int, int | None, dict[str, Any]]],
        now: datetime,
        claimed_until: datetime | None,
        token: str | None,
    ) -> list[int]:
        """Store the updates not stored yet; the ids of those it stored."""
        stmt = INBOX_INSERT["postgresql" if self._postgres else "sqlite"]
        rows = [
            dict(
                update_id=u,
                chat_id=c,
                payload=p,
                received_at=now,
                claimed_until=claimed_until,
                claim_token=token,
            )
            for u, c, p in updates
        ]
        result = await self.session.execute(stmt, rows)
        return list(result.scalars())

    async def claim(self, update_id: int, now: datetime, lease: timedelta, token: str | None = None) -> bool:
        """Take an unprocessed update for handling; false when done already or in hand elsewhere."""
        params = {"u": update_id, "now": now, "until": now + lease, "token": token}
        result = await self.session.execute(INBOX_CLAIM, params)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def done(self, update_id: int, now: datetime, token: str | None = None) -> bool:
        """Mark an update handled; with `token`, only while that claim still holds it (false: it was
        taken over elsewhere, and the caller must not commit its effects)."""
        if token is None:
            await INBOX_DONE.count(self.session, {"u": update_id, "now": now})
            return True
        return bool(await INBOX_DONE_HELD.count(self.session, {"u": update_id, "now": now, "token": token}))

    async def earlier_in_hand(self, chat_id: int, update_id: int, now: datetime) -> bool:
        """Is an earlier update of this chat being handled (by another instance) right now?"""
        row = await self.session.execute(INBOX_EARLIER_IN_HAND, {"chat": chat_id, "u": update_id, "now": now})
        return row.first() is not None

    async def last_update_id(self) -> int:
        """The highest update id stored (0 when none)."""
        return int(await self.session.scalar(select(func.max(InboxUpdate.update_id))) or 0)

    async def purge_handled(self, before: datetime, dry_run: bool) -> int:
        """Delete (or, dry, count) the updates handled before `before`."""
        where = (InboxUpdate.processed_at.is_not(None), InboxUpdate.processed_at < before)
        if dry_run:
            return int(
                await self.session.scalar(select(func.count()).select_from(InboxUpdate).where(*where)) or 0
            )
        result = await self.session.execute(delete(InboxUpdate).where(*where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def payloads(self) -> list[tuple[int, dict[str, Any]]]:
        """Every stored update with its raw payload (for an AVG export or erasure: a week's worth)."""
        rows = await self.session.execute(select(InboxUpdate.update_id, InboxUpdate.payload))
        return [(int(u), p) for u, p in rows]

    async def redact(self, update_ids: list[int], now: datetime) -> None:
        """Replace these updates' payloads by their id alone and mark them handled: the row keeps Telegram's
        redelivery from acting on them again, nothing of what was typed stays."""
        for update_id in update_ids:
            erased = {"update_id": update_id, "erased": True}
            await INBOX_REDACT.count(self.session, {"u": update_id, "erased": erased, "now": now})

    async def unfinished(self, now: datetime) -> list[InboxUpdate]:
        """Updates stored but not handled, whose claim (if any) ran out: to handle again."""
        rows = await self.session.scalars(
            select(InboxUpdate)
            .where(
                InboxUpdate.processed_at.is_(None),
                or_(InboxUpdate.claimed_until.is_(None), InboxUpdate.claimed_until < now),
            )
            .order_by(InboxUpdate.update_id)
        )
        return list(rows)
