"""The outbox: every message to send, written in the handler's transaction, claimed with a lease."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update

from bot.domain.outgoing import BULK, Outgoing, Queued
from storage.models import OutboxMessage, SignalMessage
from storage.repositories.base import _Repo
from storage.repositories.outbox_sql import (
    OUTBOX_CLAIM,
    OUTBOX_CLAIM_LOCK,
    OUTBOX_CLAIMED,
    OUTBOX_PUT,
    OUTBOX_PUT_BACK,
    OUTBOX_PUT_LEASED,
    OUTBOX_SENT,
    STILL_TO_GO,
)


class Outbox(_Repo):
    def __init__(self, session: Any) -> None:
        super().__init__(session)
        # What this unit of work queued and leased to itself (`lease_replies`), and rows it queued that
        # wait for a claim; `bulk` when some rows were not tracked.
        self.leased: list[Queued] = []
        self.queued: list[Queued] = []
        self.bulk = False
        self._lease: dict[str, Any] | None = None

    def lease_replies(self, until: datetime) -> None:
        """Lease what this unit of work queues from now on to the caller, to send right after the commit
        without a claim; only in chats with no other row still to go (their order then holds). Rows
        put in bulk wait for a claim as usual."""
        self._lease = {"until": until, "token": secrets.token_hex(8)}

    async def put(self, message: Outgoing, now: datetime) -> int:
        """Queue one message; its outbox id."""
        values = dict(
            chat_id=message.chat_id,
            kind=str(message.kind),
            payload=message.payload(),
            not_before=now,
            created_at=now,
        )
        if self._lease is None:
            row_id = int((await OUTBOX_PUT.rows(self.session, values))[0][0])
            self.queued.append(Queued(row_id, message))
        else:
            row_id, token = (await OUTBOX_PUT_LEASED.rows(self.session, values | self._lease))[0]
            (self.leased if token is not None else self.queued).append(Queued(row_id, message))
        return int(row_id)

    async def put_many(self, messages: list[Outgoing], now: datetime) -> None:
        """Queue many messages at once, in the bulk lane (a reply never waits behind them)."""
        self.bulk = True
        self.session.add_all(
            OutboxMessage(
                chat_id=m.chat_id,
                kind=str(m.kind),
                payload=m.payload(),
                not_before=now,
                created_at=now,
                lane=BULK,
            )
            for m in messages
        )

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Queued]:
        """Lease due rows with a compare-and-set, so two senders never take the same row."""
        token = secrets.token_hex(8)
        if self._postgres:
            # One claimer at a time (held until this short transaction commits): a claimer must see
            # the previous one's leases, or two senders could split one chat and break its order.
            await self.session.execute(select(func.pg_advisory_xact_lock(OUTBOX_CLAIM_LOCK)))
        params = {"now": now, "limit": limit, "until": now + lease, "token": token}
        if not await OUTBOX_CLAIM.count(self.session, params):
            return []  # nothing due (most wake-ups when quiet): no second query
        rows = await self.session.execute(OUTBOX_CLAIMED, {"token": token})
        return [
            Queued(row_id, Outgoing.stored(chat_id, kind, payload), attempts, lane)
            for row_id, chat_id, kind, payload, attempts, lane in rows
        ]

    async def sent_many(self, rows: list[tuple[int, int | None]], now: datetime) -> None:
        """Mark delivered rows, with the Telegram message id each became, in one statement."""
        await OUTBOX_SENT.many(
            self.session, [{"row_id": row_id, "mid": mid, "now": now} for row_id, mid in rows]
        )

    async def retry(
        self, row_id: int, not_before: datetime, error: str, give_up: bool, count: bool = True
    ) -> None:
        """Put a row back for later; `count` is false for waits that are no failure (429, chat order)."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(
                status="failed" if give_up else "pending",
                attempts=OutboxMessage.attempts + (1 if count else 0),
                not_before=not_before,
                claimed_until=None,
                error=error[:500],
            )
        )

    async def put_back(self, rows: list[tuple[int, datetime]], error: str) -> None:
        """Put rows back, each due at its own time, in one round (an executemany): waits that are no
        failure (a chat at its limit, a chat's order), so nothing is counted against them."""
        await OUTBOX_PUT_BACK.many(
            self.session, [{"row_id": row_id, "not_before": at, "error": error} for row_id, at in rows]
        )

    async def last_message_id(self) -> int:
        """The highest Telegram message id any sent row became (0 when none)."""
        return int(await self.session.scalar(select(func.max(OutboxMessage.telegram_message_id))) or 0)

    async def message_id_of(self, row_id: int) -> int | None:
        """The Telegram message id an earlier outbox row was delivered as, if it was."""
        return await self.session.scalar(
            select(OutboxMessage.telegram_message_id).where(OutboxMessage.id == row_id)
        )

    async def keyboards_in(self, chat_id: int) -> list[tuple[int, list[str]]]:
        """The messages to one chat still to go or sent, each with its buttons' data (to find the one that
        carries a given button)."""
        rows = await self.session.execute(
            select(OutboxMessage.id, OutboxMessage.payload).where(
                OutboxMessage.chat_id == chat_id, OutboxMessage.status.in_(("pending", "sent"))
            )
        )
        return [
            (int(i), [str(b[1]) for row in p.get("buttons") or [] for b in row])
            for i, p in rows
            if p.get("buttons")
        ]

    async def payloads(self) -> list[tuple[int, dict[str, Any]]]:
        """Every stored message with its payload (for an AVG export or erasure)."""
        rows = await self.session.execute(select(OutboxMessage.id, OutboxMessage.payload))
        return [(int(i), p) for i, p in rows]

    async def redact(self, row_ids: list[int]) -> None:
        """Empty these messages' text and keyboard (their Telegram ids stay, so a take-down can still reach
        them); one still to go is not sent at all."""
        for row_id in row_ids:
            await self.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status != "pending")
                .values(payload={"buttons": [], "text": ""})
            )
            await self.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, OutboxMessage.status == "pending")
                .values(payload={"buttons": [], "text": ""}, status="failed", error="erased")
            )

    async def purge_finished(self, before: datetime, dry_run: bool) -> int:
        # Failed rows go too: they were logged when they failed and hold the text they carried.
        """Delete (or, dry, count) messages sent or failed before `before`."""
        where = (OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at < before)
        if dry_run:
            return int(await self.session.scalar(select(func.count(OutboxMessage.id)).where(*where)) or 0)
        # A message that shows a signal keeps its Telegram id, so an erasure can still reach it.
        message_id = (
            select(OutboxMessage.telegram_message_id)
            .where(OutboxMessage.id == SignalMessage.outbox_id)
            .scalar_subquery()
        )
        await self.session.execute(
            update(SignalMessage)
            .where(
                SignalMessage.message_id.is_(None),
                SignalMessage.outbox_id.in_(select(OutboxMessage.id).where(*where)),
            )
            .values(message_id=message_id, outbox_id=None)
            .execution_options(synchronize_session=False)
        )
        result = await self.session.execute(delete(OutboxMessage).where(*where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def bulk_beyond(self, n: int) -> bool:
        """Whether more than `n` bulk messages wait to go (read along the pending-lane index, n rows at most)."""
        bulk = select(OutboxMessage.id).where(STILL_TO_GO, OutboxMessage.lane == BULK)
        return await self.session.scalar(bulk.order_by(OutboxMessage.id).offset(n).limit(1)) is not None

    async def backlog(self) -> tuple[int, datetime | None]:
        """Messages still to go, and when the oldest of them was queued (for /readyz and /metrics)."""
        q = select(func.count(OutboxMessage.id), func.min(OutboxMessage.created_at)).where(STILL_TO_GO)
        count, oldest = (await self.session.execute(q)).one()
        return int(count or 0), oldest
