"""Signals, their routes and history, and the anonymous counts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, Unpack, cast

from sqlalchemy import Table, bindparam, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from bot.domain.lifecycle import Status
from bot.domain.tallies import TallyKind, code
from storage.changes import SignalChange
from storage.direct import Direct
from storage.models import (
    OutboxMessage,
    Signal,
    SignalEvent,
    SignalMessage,
    SignalRoute,
    Tally,
)
from storage.repositories.base import StaleState, _Repo


class Signals(_Repo):
    async def add(self, signal: Signal, routes: list[SignalRoute], event: SignalEvent) -> Signal:
        """Store a new signal with its routes and its first history event."""
        self.session.add(signal)
        await self.session.flush()
        for r in routes:
            r.signal_id = signal.id
        event.signal_id = signal.id
        self.session.add_all([*routes, event])
        await self.session.flush()
        return signal

    async def add_route(self, route: SignalRoute) -> SignalRoute:
        """Store one more desk a signal goes to (a hand-over's receiver)."""
        await self.add_routes([route])
        return route

    async def add_routes(self, routes: list[SignalRoute]) -> None:
        """Store the desks a new signal goes to."""
        self.session.add_all(routes)
        await self.session.flush()

    async def add_event_now(self, signal_id: int, at: datetime, kind: str, note: str | None) -> None:
        """Add a history line without an actor (the bot's own doing, or a desk's)."""
        await self.add_event(SignalEvent(signal_id=signal_id, at=at, kind=kind, note=note))

    async def add_event(self, event: SignalEvent) -> None:
        """Add a line to a signal's history."""
        self.session.add(event)
        await self.session.flush()

    async def by_id(self, signal_id: int) -> Signal | None:
        """The signal with this id, if any."""
        return await self.session.get(Signal, signal_id)

    async def change(self, signal: Signal, **values: Unpack[SignalChange]) -> None:
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
        to: Status,
        event: str,
        at: datetime,
        actor_id: int | None,
        note: str | None = None,
        **values: Unpack[SignalChange],
    ) -> None:
        """Change a signal's status (compare-and-set) and write the history event of that move."""
        old = signal.status
        change: SignalChange = {**values, "status": to}
        await self.change(signal, **change)
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

    async def open_for_desk(self, meldpunt_id: str, closed: Status) -> list[Signal]:
        """The signals routed to this desk that are not closed."""
        q = (
            select(Signal)
            .join(SignalRoute, SignalRoute.signal_id == Signal.id)
            # The closed status inline, so the planner can use the partial index of open signals.
            .where(
                SignalRoute.meldpunt_id == meldpunt_id, Signal.status != literal(closed, literal_execute=True)
            )
            .order_by(Signal.created_at, Signal.id)
        )
        return list(await self.session.scalars(q))

    async def open_in(self, gemeenten: Collection[str], closed: Status) -> list[Signal]:
        """The open signals of these gemeenten, oldest first."""
        q = (
            select(Signal)
            .where(
                Signal.gemeente.in_(list(gemeenten)), Signal.status != literal(closed, literal_execute=True)
            )
            .order_by(Signal.created_at, Signal.id)
        )
        return list(await self.session.scalars(q))

    async def by_ref(self, ref: str) -> Signal | None:
        """The signal with this reference (S-…), if any."""
        return await self.session.scalar(select(Signal).where(Signal.ref == ref))

    async def routes_of(self, signal_id: int) -> list[SignalRoute]:
        """The desks a signal went to."""
        return list(await self.session.scalars(select(SignalRoute).where(SignalRoute.signal_id == signal_id)))

    async def events_of(self, signal_id: int) -> list[SignalEvent]:
        """A signal's history, oldest first."""
        rows = await self.session.scalars(
            select(SignalEvent).where(SignalEvent.signal_id == signal_id).order_by(SignalEvent.id)
        )
        return list(rows)

    async def of_filer(self, user_id: int) -> list[Signal]:
        """The signals one person filed, oldest first."""
        rows = await self.session.scalars(
            select(Signal).where(Signal.filer_id == user_id).order_by(Signal.id)
        )
        return list(rows)

    async def count(self) -> int:
        """How many signals there are."""
        return int(await self.session.scalar(select(func.count(Signal.id))) or 0)

    async def filed_between(self, gemeenten: Collection[str], start: datetime, end: datetime) -> int:
        """How many signals were filed in these gemeenten from `start` up to `end` (a count, nothing more)."""
        q = select(func.count(Signal.id)).where(
            Signal.gemeente.in_(list(gemeenten)), Signal.created_at >= start, Signal.created_at < end
        )
        return int(await self.session.scalar(q) or 0)

    async def by_resident(self, resident_key: str) -> list[Signal]:
        """Every signal about one resident (by the blind index), for export and erasure."""
        q = select(Signal).where(Signal.resident_key == resident_key).order_by(Signal.id)
        return list(await self.session.scalars(q))

    async def delete(self, ids: list[int]) -> int:
        """Delete signals; their routes and history go with them (ON DELETE CASCADE)."""
        if not ids:
            return 0
        result = await self.session.execute(delete(Signal).where(Signal.id.in_(ids)))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def closed_before(self, status: str, before: datetime) -> list[int]:
        """The ids of signals closed before a time (the retention purge's)."""
        q = select(Signal.id).where(Signal.status == status, Signal.closed_at < before).order_by(Signal.id)
        return list(await self.session.scalars(q))

    async def shown(
        self, signal_id: int, chat_id: int, outbox_id: int | None = None, message_id: int | None = None
    ) -> None:
        """Remember that a message shows this signal (see `SignalMessage`): one queued (its outbox id) or
        one on screen already (its Telegram id)."""
        self.session.add(
            SignalMessage(signal_id=signal_id, chat_id=chat_id, outbox_id=outbox_id, message_id=message_id)
        )

    async def take_shown(self, ids: list[int]) -> list[SignalMessage]:
        """The messages that show these signals, forgotten here (the caller takes them out of the chats).
        Their outbox rows lose the text they carried."""
        if not ids:
            return []
        rows = list(
            await self.session.scalars(
                select(SignalMessage).where(SignalMessage.signal_id.in_(ids)).order_by(SignalMessage.id)
            )
        )
        outbox_ids = [r.outbox_id for r in rows if r.outbox_id is not None]
        if outbox_ids:
            await self.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(outbox_ids), OutboxMessage.status != "pending")
                .values(payload={})
                .execution_options(synchronize_session=False)
            )
        await self.session.execute(delete(SignalMessage).where(SignalMessage.signal_id.in_(ids)))
        return rows


def _bump(insert: Any) -> Any:
    """Add `by` to an anonymous count, creating it when new (an upsert)."""
    keys = ("kind", "gemeente", "category", "month")
    return (
        insert(TALLIES)
        .values({**{k: bindparam(k) for k in keys}, "count": bindparam("by")})
        .on_conflict_do_update(index_elements=list(keys), set_={"count": TALLIES.c.count + bindparam("by")})
    )


TALLIES = cast(Table, Tally.__table__)
# On the driver's connection: two counts of every signal filed, ~0.27 ms each through the session.
TALLY_BUMP = Direct(_bump(sqlite_insert), postgresql=_bump(pg_insert))


class Tallies(_Repo):
    async def bump(self, kind: TallyKind, gemeente: str, category: str, month: str, by: int = 1) -> None:
        """Add to an anonymous count, creating it when new (an upsert on both databases)."""
        params = {"kind": code(kind), "gemeente": gemeente, "category": category, "month": month, "by": by}
        await TALLY_BUMP.count(self.session, params)

    async def all(self) -> list[Tally]:
        """Every count, in the order they were made."""
        return list(await self.session.scalars(select(Tally).order_by(Tally.id)))

    async def add(self, rows: list[Tally]) -> None:
        """Counts made elsewhere (the sandbox's demo year, a benchmark's data)."""
        self.session.add_all(rows)
        await self.session.flush()

    async def of(
        self, kinds: Collection[TallyKind], gemeenten: Collection[str], months: Collection[str]
    ) -> list[Tally]:
        """The counts of these kinds, gemeenten and months (the regiobeeld's only source of history)."""
        q = select(Tally).where(
            Tally.kind.in_([code(k) for k in kinds]),
            Tally.gemeente.in_(list(gemeenten)),
            Tally.month.in_(list(months)),
        )
        return list(await self.session.scalars(q))
