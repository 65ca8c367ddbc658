"""An in-memory unit of work for service tests: the repositories a service reaches, as plain lists and
dicts, so a service's decisions are tested without a database (and fast). Only what the services under
test call is here; a call to anything else fails loudly (AttributeError), never silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain.jobs import Job
from bot.domain.outgoing import Outgoing
from bot.domain.tallies import TallyKind, code
from storage.models import (
    Agreement,
    AuditEntry,
    CheckIn,
    Invite,
    Signal,
    SignalEvent,
    SignalRoute,
    Tally,
    User,
)
from storage.repositories import StaleState


@dataclass
class FakeUsers:
    rows: list[User] = field(default_factory=list)

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return next((u for u in self.rows if u.telegram_id == telegram_id), None)

    async def by_id(self, user_id: int) -> User | None:
        return next((u for u in self.rows if u.id == user_id), None)

    async def add(self, user: User) -> User:
        user.id = len(self.rows) + 1
        self.rows.append(user)
        return user

    async def by_ids(self, ids: Any) -> dict[int, User]:
        return {u.id: u for u in self.rows if u.id in ids}

    async def coordinators_of(self, gemeente: str) -> list[User]:
        return [u for u in self.rows if u.role == "coordinator" and u.active and gemeente in u.gemeenten]

    async def active_with_role(self, role: str) -> list[User]:
        return [u for u in self.rows if u.role == role and u.active]


@dataclass
class FakeInvites:
    rows: list[Invite] = field(default_factory=list)

    async def add(self, invite: Invite) -> Invite:
        invite.id = len(self.rows) + 1
        self.rows.append(invite)
        return invite

    async def by_hash(self, code_hash: str) -> Invite | None:
        return next((i for i in self.rows if i.code_hash == code_hash), None)

    async def redeem(self, invite_id: int, user_id: int, now: datetime) -> bool:
        invite = next(i for i in self.rows if i.id == invite_id)
        if invite.used_at is not None:
            return False
        invite.used_at, invite.used_by = now, user_id
        return True


@dataclass
class FakeAudit:
    rows: list[AuditEntry] = field(default_factory=list)

    async def add(self, entry: AuditEntry) -> None:
        self.rows.append(entry)

    async def count(self, telegram_id: int, action: str, since: datetime) -> int:
        return sum(
            1
            for e in self.rows
            if e.actor_telegram_id == telegram_id and e.action == action and e.at >= since
        )

    def actions(self) -> list[str]:
        return [e.action for e in self.rows]


@dataclass
class FakeSignals:
    """Signals, their routes and history; a change is a compare-and-set on the version, as in storage."""

    rows: list[Signal] = field(default_factory=list)
    routes: list[SignalRoute] = field(default_factory=list)
    events: list[SignalEvent] = field(default_factory=list)
    shown_in: list[tuple[int, int, int | None]] = field(default_factory=list)

    async def by_id(self, signal_id: int) -> Signal | None:
        return next((s for s in self.rows if s.id == signal_id), None)

    async def routes_of(self, signal_id: int) -> list[SignalRoute]:
        return [r for r in self.routes if r.signal_id == signal_id]

    async def change(self, signal: Signal, **values: Any) -> None:
        stored = await self.by_id(signal.id)
        if stored is None or stored is not signal:
            raise StaleState(0, signal.id)
        for name, value in {"version": signal.version + 1, **values}.items():
            setattr(signal, name, value)

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
        old = signal.status
        await self.change(signal, status=to, **values)
        self.events.append(
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

    async def shown(
        self, signal_id: int, chat_id: int, outbox_id: int | None = None, message_id: int | None = None
    ) -> None:
        self.shown_in.append((signal_id, chat_id, outbox_id))

    async def add(self, signal: Signal, routes: list[SignalRoute], event: SignalEvent) -> Signal:
        signal.id = max((s.id for s in self.rows), default=0) + 1
        self.rows.append(signal)
        for route in routes:
            route.signal_id = signal.id
        self.routes += routes
        event.signal_id = signal.id
        self.events.append(event)
        return signal

    async def add_event(self, event: SignalEvent) -> None:
        self.events.append(event)

    async def add_event_now(self, signal_id: int, at: datetime, kind: str, note: str | None) -> None:
        self.events.append(SignalEvent(signal_id=signal_id, at=at, kind=kind, note=note))

    async def by_ref(self, ref: str) -> Signal | None:
        return next((s for s in self.rows if s.ref == ref), None)


@dataclass
class FakeTallies:
    counts: dict[tuple[str, str, str, str], int] = field(default_factory=dict)

    async def bump(self, kind: TallyKind, gemeente: str, category: str, month: str, by: int = 1) -> None:
        key = (code(kind), gemeente, category, month)
        self.counts[key] = self.counts.get(key, 0) + by

    async def of(self, kinds: Any, gemeenten: Any, months: Any) -> list[Tally]:
        return [
            Tally(kind=k, gemeente=g, category=c, month=m, count=n)
            for (k, g, c, m), n in self.counts.items()
            if k in {code(kind) for kind in kinds} and g in gemeenten and m in months
        ]


@dataclass
class FakeOutbox:
    """What a service queued, in order; ids count from 1."""

    queued: list[Outgoing] = field(default_factory=list)

    async def put(self, message: Outgoing, now: datetime) -> int:
        self.queued.append(message)
        return len(self.queued)

    async def put_many(self, messages: list[Outgoing], now: datetime) -> None:
        self.queued += messages

    def to(self, chat_id: int) -> list[Outgoing]:
        return [m for m in self.queued if m.chat_id == chat_id]

    async def keyboards_in(self, chat_id: int) -> list[tuple[int, list[str]]]:
        return [
            (i, [data for row in m.buttons for _, data in row])
            for i, m in enumerate(self.queued, start=1)
            if m.chat_id == chat_id and m.buttons
        ]


@dataclass
class FakeAgreements:
    """Agreements, their check-ins and history; an answer is taken once, as storage's compare-and-set."""

    rows: list[Agreement] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)
    events: list[tuple[int, int | None, str]] = field(default_factory=list)

    async def by_id(self, agreement_id: int) -> Agreement | None:
        return next((a for a in self.rows if a.id == agreement_id), None)

    async def checkins_of(self, agreement_id: int) -> list[CheckIn]:
        return sorted((c for c in self.checkins if c.agreement_id == agreement_id), key=lambda c: c.seq)

    async def checkin(self, checkin_id: int) -> CheckIn | None:
        return next((c for c in self.checkins if c.id == checkin_id), None)

    async def answer(self, checkin: CheckIn, answer: str, by: int, at: datetime, open_: Any) -> bool:
        if checkin.status not in open_:
            return False
        checkin.status, checkin.answer, checkin.answered_by, checkin.answered_at = "answered", answer, by, at
        return True

    async def change(self, agreement: Agreement, **values: Any) -> None:
        for name, value in {"version": agreement.version + 1, **values}.items():
            setattr(agreement, name, value)

    async def event(
        self, agreement_id: int, at: datetime, actor_id: int | None, kind: str, note: str | None = None
    ) -> None:
        self.events.append((agreement_id, actor_id, kind))

    async def next_due(self, agreement_ids: Any, statuses: Any) -> dict[int, datetime]:
        due: dict[int, datetime] = {}
        for c in sorted(self.checkins, key=lambda c: c.due_at):
            if c.agreement_id in agreement_ids and c.status in statuses:
                due.setdefault(c.agreement_id, c.due_at)
        return due


@dataclass
class FakeDue:
    planned: dict[str, tuple[Job, datetime]] = field(default_factory=dict)

    async def plan(self, job: Job, due_at: datetime, suffix: str = "") -> None:
        self.planned.setdefault(job.key(suffix), (job, due_at))  # a key is planned once, as in storage

    async def plan_many(self, rows: list[tuple[Job, datetime]], suffix: str = "") -> None:
        for job, at in rows:
            await self.plan(job, at, suffix)


@dataclass
class FakeUnitOfWork:
    users: FakeUsers = field(default_factory=FakeUsers)
    invites: FakeInvites = field(default_factory=FakeInvites)
    audit: FakeAudit = field(default_factory=FakeAudit)
    signals: FakeSignals = field(default_factory=FakeSignals)
    tallies: FakeTallies = field(default_factory=FakeTallies)
    outbox: FakeOutbox = field(default_factory=FakeOutbox)
    agreements: FakeAgreements = field(default_factory=FakeAgreements)
    due: FakeDue = field(default_factory=FakeDue)
    committed: int = 0

    async def commit(self) -> None:
        self.committed += 1

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"the fake unit of work has no {name!r}: add it to tests/fakes.py")
