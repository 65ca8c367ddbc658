"""An in-memory unit of work for service tests: the repositories a service reaches, as plain lists and
dicts, so a service's decisions are tested without a database (and fast). Only what the services under
test call is here; a call to anything else fails loudly (AttributeError), never silently."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.models import AuditEntry, Invite, User


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
class FakeUnitOfWork:
    users: FakeUsers = field(default_factory=FakeUsers)
    invites: FakeInvites = field(default_factory=FakeInvites)
    audit: FakeAudit = field(default_factory=FakeAudit)
    committed: int = 0

    async def commit(self) -> None:
        self.committed += 1

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(f"the fake unit of work has no {name!r}: add it to tests/fakes.py")
