"""Repositories: the only place that writes SQL. They never commit; the unit of work does."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.models import (
    AuditEntry,
    Conversation,
    DueWork,
    InboxUpdate,
    Invite,
    OutboxMessage,
    Signal,
    SignalEvent,
    SignalRoute,
    Tally,
    User,
)

OUTBOX_CLAIM_LOCK = 0x57AA_0001


class StaleState(Exception):
    """Someone else moved this conversation on first (a double tap, or another instance)."""


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"


class Users(_Repo):
    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return await self.session.scalar(select(User).where(User.telegram_id == telegram_id))

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

    async def members_of(self, meldpunt_id: str) -> list[User]:
        rows = await self.session.scalars(select(User).where(User.meldpunt_id == meldpunt_id, User.active))
        return list(rows)

    async def all(self) -> list[User]:
        return list(await self.session.scalars(select(User).order_by(User.id)))

    async def coordinators_of(self, gemeente: str) -> list[User]:
        rows = await self.session.scalars(
            select(User).where(User.role == "coordinator", User.active).order_by(User.id)
        )
        return [u for u in rows if gemeente in u.gemeenten]


class Invites(_Repo):
    async def add(self, invite: Invite) -> Invite:
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def by_hash(self, code_hash: str) -> Invite | None:
        return await self.session.scalar(select(Invite).where(Invite.code_hash == code_hash))

    async def redeem(self, invite_id: int, user_id: int, now: datetime) -> bool:
        """Mark an invite used, once: a second redeemer of the same code loses the compare-and-set."""
        result = await self.session.execute(
            update(Invite)
            .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now, used_by=user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


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


class Signals(_Repo):
    async def add(self, signal: Signal, routes: list[SignalRoute], event: SignalEvent) -> Signal:
        self.session.add(signal)
        await self.session.flush()
        for r in routes:
            r.signal_id = signal.id
        event.signal_id = signal.id
        self.session.add_all([*routes, event])
        await self.session.flush()
        return signal

    async def add_route(self, route: SignalRoute) -> SignalRoute:
        self.session.add(route)
        await self.session.flush()
        return route

    async def add_event_now(self, signal_id: int, at: datetime, kind: str, note: str | None) -> None:
        await self.add_event(SignalEvent(signal_id=signal_id, at=at, kind=kind, note=note))

    async def add_event(self, event: SignalEvent) -> None:
        self.session.add(event)
        await self.session.flush()

    async def by_id(self, signal_id: int) -> Signal | None:
        return await self.session.get(Signal, signal_id)

    async def change(self, signal: Signal, **values: Any) -> None:
        """Apply a change if nobody changed the signal since it was read (compare-and-set on version)."""
        result = await self.session.execute(
            update(Signal)
            .where(Signal.id == signal.id, Signal.version == signal.version)
            .values(version=signal.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(0, signal.id)
        await self.session.refresh(signal)

    async def move(
        self,
        signal: Signal,
        to: str,
        event: str,
        at: datetime,
        actor_id: int | None,
        note: str | None = None,
        **values: Any,
    ) -> None:
        """Change a signal's status (compare-and-set) and write the history event of that move."""
        old = signal.status
        await self.change(signal, status=to, **values)
        await self.add_event(
            SignalEvent(
                signal_id=signal.id,
                at=at,
                actor_id=actor_id,
                kind=event,
                from_status=old,
                to_status=to,
                note=note,
            )
        )

    async def open_for_desk(self, meldpunt_id: str, closed: str) -> list[Signal]:
        q = (
            select(Signal)
            .join(SignalRoute, SignalRoute.signal_id == Signal.id)
            .where(SignalRoute.meldpunt_id == meldpunt_id, Signal.status != closed)
            .order_by(Signal.created_at, Signal.id)
        )
        return list(await self.session.scalars(q))

    async def by_ref(self, ref: str) -> Signal | None:
        return await self.session.scalar(select(Signal).where(Signal.ref == ref))

    async def routes_of(self, signal_id: int) -> list[SignalRoute]:
        return list(await self.session.scalars(select(SignalRoute).where(SignalRoute.signal_id == signal_id)))

    async def events_of(self, signal_id: int) -> list[SignalEvent]:
        rows = await self.session.scalars(
            select(SignalEvent).where(SignalEvent.signal_id == signal_id).order_by(SignalEvent.id)
        )
        return list(rows)

    async def of_filer(self, user_id: int) -> list[Signal]:
        rows = await self.session.scalars(
            select(Signal).where(Signal.filer_id == user_id).order_by(Signal.id)
        )
        return list(rows)

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count(Signal.id))) or 0)

    async def by_resident(self, resident_key: str) -> list[Signal]:
        q = select(Signal).where(Signal.resident_key == resident_key).order_by(Signal.id)
        return list(await self.session.scalars(q))

    async def delete(self, ids: list[int]) -> int:
        """Delete signals; their routes and history go with them (ON DELETE CASCADE)."""
        if not ids:
            return 0
        result = await self.session.execute(delete(Signal).where(Signal.id.in_(ids)))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def purge_closed(self, status: str, before: datetime, dry_run: bool) -> int:
        where = (Signal.status == status, Signal.closed_at < before)
        if dry_run:
            return int(await self.session.scalar(select(func.count(Signal.id)).where(*where)) or 0)
        result = await self.session.execute(delete(Signal).where(*where))
        return int(result.rowcount)  # type: ignore[attr-defined]


class Tallies(_Repo):
    async def bump(self, kind: str, gemeente: str, category: str, month: str) -> None:
        """Add one to an anonymous count, creating it when new (an upsert on both databases)."""
        insert = pg_insert if self._postgres else sqlite_insert
        stmt = insert(Tally).values(kind=kind, gemeente=gemeente, category=category, month=month, count=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["kind", "gemeente", "category", "month"], set_={"count": Tally.count + 1}
        )
        await self.session.execute(stmt)

    async def all(self) -> list[Tally]:
        return list(await self.session.scalars(select(Tally).order_by(Tally.id)))


class Inbox(_Repo):
    async def receive(self, update_id: int, payload: dict[str, Any], now: datetime) -> None:
        """Store an update if it is new; a redelivered one is left as it is."""
        insert = pg_insert if self._postgres else sqlite_insert
        stmt = insert(InboxUpdate).values(update_id=update_id, payload=payload, received_at=now)
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["update_id"]))

    async def claim(self, update_id: int, now: datetime, lease: timedelta) -> bool:
        """Take an unprocessed update for handling; false when done already or in hand elsewhere."""
        result = await self.session.execute(
            update(InboxUpdate)
            .where(
                InboxUpdate.update_id == update_id,
                InboxUpdate.processed_at.is_(None),
                or_(InboxUpdate.claimed_until.is_(None), InboxUpdate.claimed_until < now),
            )
            .values(claimed_until=now + lease)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def done(self, update_id: int, now: datetime) -> None:
        await self.session.execute(
            update(InboxUpdate).where(InboxUpdate.update_id == update_id).values(processed_at=now)
        )

    async def purge_handled(self, before: datetime, dry_run: bool) -> int:
        where = (InboxUpdate.processed_at.is_not(None), InboxUpdate.processed_at < before)
        if dry_run:
            return int(
                await self.session.scalar(select(func.count()).select_from(InboxUpdate).where(*where)) or 0
            )
        result = await self.session.execute(delete(InboxUpdate).where(*where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def unfinished(self, now: datetime) -> list[InboxUpdate]:
        rows = await self.session.scalars(
            select(InboxUpdate)
            .where(
                InboxUpdate.processed_at.is_(None),
                or_(InboxUpdate.claimed_until.is_(None), InboxUpdate.claimed_until < now),
            )
            .order_by(InboxUpdate.update_id)
        )
        return list(rows)


class Due(_Repo):
    async def plan(self, kind: str, key: str, due_at: datetime, payload: dict[str, Any]) -> None:
        """Plan work once: a second plan with the same key is ignored."""
        insert = pg_insert if self._postgres else sqlite_insert
        stmt = insert(DueWork).values(
            kind=kind, key=key, due_at=due_at, payload=payload, status="pending", attempts=0
        )
        await self.session.execute(stmt.on_conflict_do_nothing(index_elements=["key"]))

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[DueWork]:
        """Lease due rows with a compare-and-set; a row leased by a crashed instance comes back after its lease."""
        token = secrets.token_hex(8)
        free = or_(DueWork.claimed_until.is_(None), DueWork.claimed_until < now)
        candidates = (
            select(DueWork.id)
            .where(DueWork.status == "pending", DueWork.due_at <= now, free)
            .order_by(DueWork.due_at, DueWork.id)
            .limit(limit)
        )
        if self._postgres:
            candidates = candidates.with_for_update(skip_locked=True)
        await self.session.execute(
            update(DueWork)
            .where(DueWork.id.in_(candidates.scalar_subquery()), DueWork.status == "pending", free)
            .values(claimed_until=now + lease, claim_token=token, attempts=DueWork.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return list(await self.session.scalars(select(DueWork).where(DueWork.claim_token == token)))

    async def done(self, row_id: int, token: str, now: datetime) -> bool:
        """Mark done if this claimer still holds the lease; false when another took it over."""
        result = await self.session.execute(
            update(DueWork)
            .where(DueWork.id == row_id, DueWork.claim_token == token, DueWork.status == "pending")
            .values(status="done", done_at=now, claimed_until=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def last_done(self, key_prefix: str) -> datetime | None:
        """When the latest finished row with this key prefix fell due (e.g. a desk's previous digest)."""
        q = select(func.max(DueWork.due_at)).where(
            DueWork.key.startswith(key_prefix), DueWork.status == "done"
        )
        return await self.session.scalar(q)

    async def pending(self, kind: str | None = None) -> list[DueWork]:
        q = select(DueWork).where(DueWork.status == "pending")
        if kind:
            q = q.where(DueWork.kind == kind)
        return list(await self.session.scalars(q.order_by(DueWork.due_at)))


class Audit(_Repo):
    """Append only: there is no update or delete here, and the database refuses them too."""

    async def add(self, entry: AuditEntry) -> None:
        self.session.add(entry)
        await self.session.flush()

    async def count(self, telegram_id: int, action: str, since: datetime) -> int:
        q = select(func.count(AuditEntry.id)).where(
            AuditEntry.actor_telegram_id == telegram_id, AuditEntry.action == action, AuditEntry.at >= since
        )
        return int(await self.session.scalar(q) or 0)

    async def query(
        self,
        telegram_id: int | None = None,
        subject: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 1000,
    ) -> list[AuditEntry]:
        q = select(AuditEntry)
        if telegram_id is not None:
            q = q.where(AuditEntry.actor_telegram_id == telegram_id)
        if subject is not None:
            q = q.where(AuditEntry.subject == subject)
        if since is not None:
            q = q.where(AuditEntry.at >= since)
        if until is not None:
            q = q.where(AuditEntry.at < until)
        return list(await self.session.scalars(q.order_by(AuditEntry.id).limit(limit)))


class Outbox(_Repo):
    async def put(self, chat_id: int, kind: str, payload: dict[str, Any], now: datetime) -> OutboxMessage:
        row = OutboxMessage(chat_id=chat_id, kind=kind, payload=payload, not_before=now, created_at=now)
        self.session.add(row)
        await self.session.flush()
        return row

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[OutboxMessage]:
        """Lease due rows with a compare-and-set, so two senders never take the same row."""
        token = secrets.token_hex(8)
        due = or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now)
        earlier = aliased(OutboxMessage)
        # A chat's messages go in order: an earlier row that waits (429) or is in hand elsewhere blocks.
        blocked = (
            select(earlier.id)
            .where(
                earlier.chat_id == OutboxMessage.chat_id,
                earlier.id < OutboxMessage.id,
                earlier.status == "pending",
                or_(earlier.not_before > now, earlier.claimed_until >= now),
            )
            .exists()
        )
        candidates = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now, due, ~blocked)
            .order_by(OutboxMessage.id)
            .limit(limit)
        )
        if self._postgres:
            # One claimer at a time (held until this short transaction commits): a claimer must see
            # the previous one's leases, or two senders could split one chat and break its order.
            await self.session.execute(select(func.pg_advisory_xact_lock(OUTBOX_CLAIM_LOCK)))
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(candidates.scalar_subquery()), OutboxMessage.status == "pending", due)
            .values(claimed_until=now + lease, claim_token=token)
            .execution_options(synchronize_session=False)
        )
        rows = await self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.claim_token == token).order_by(OutboxMessage.id)
        )
        return list(rows)

    async def sent(self, row_id: int, telegram_message_id: int | None, now: datetime) -> None:
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(status="sent", sent_at=now, telegram_message_id=telegram_message_id, claimed_until=None)
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

    async def message_id_of(self, row_id: int) -> int | None:
        """The Telegram message id an earlier outbox row was delivered as, if it was."""
        return await self.session.scalar(
            select(OutboxMessage.telegram_message_id).where(OutboxMessage.id == row_id)
        )

    async def next_due(self) -> datetime | None:
        return await self.session.scalar(
            select(func.min(OutboxMessage.not_before)).where(OutboxMessage.status == "pending")
        )

    async def purge_finished(self, before: datetime, dry_run: bool) -> int:
        # Failed rows go too: they were logged when they failed and hold the text they carried.
        where = (OutboxMessage.status.in_(("sent", "failed")), OutboxMessage.created_at < before)
        if dry_run:
            return int(await self.session.scalar(select(func.count(OutboxMessage.id)).where(*where)) or 0)
        result = await self.session.execute(delete(OutboxMessage).where(*where))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def pending_count(self) -> int:
        q = select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")
        return int(await self.session.scalar(q) or 0)
