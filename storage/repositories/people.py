"""Registered professionals and their invites."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import bindparam, select, update

from storage.models import (
    Invite,
    User,
)
from storage.repositories.base import _Repo

# Every update looks its sender up: the statement is built once (see messaging.py).
USER_BY_TELEGRAM_ID = select(User).where(User.telegram_id == bindparam("tid"))


class Users(_Repo):
    async def by_id(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    async def by_ids(self, ids: Collection[int]) -> dict[int, User]:
        return {u.id: u for u in await self.session.scalars(select(User).where(User.id.in_(list(ids))))}

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        return await self.session.scalar(USER_BY_TELEGRAM_ID, {"tid": telegram_id})

    async def add(self, user: User) -> User:
        self.session.add(user)
        await self.session.flush()
        return user

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
