"""Registered professionals, their invites and their links into the regiobeeld page."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.instrumentation import manager_of_class
from sqlalchemy.orm.util import identity_key

from bot.domain.access import Role
from storage.direct import DirectRead
from storage.models import (
    Invite,
    LoginLink,
    User,
)
from storage.repositories.base import _Repo
from storage.repositories.conversations import CONVERSATIONS, Current

# Every update looks its sender up: the statement is built once (see storage/direct.py).
USER_BY_TELEGRAM_ID = select(User).where(User.telegram_id == bindparam("tid"))

USERS = cast(Table, User.__table__)
_USER_CLASS = manager_of_class(User)
USER_KEYS = tuple(column.key for column in USERS.c)
# Nearly every update needs its sender and their conversation in that chat: one query for both, read
# without the ORM's loading (storage/direct.py); the user is then put in the session as if loaded.
USER_AND_CURRENT = DirectRead(
    select(*USERS.c, CONVERSATIONS.c.flow, CONVERSATIONS.c.state, CONVERSATIONS.c.asked_outbox_id)
    .select_from(
        USERS.outerjoin(
            CONVERSATIONS,
            and_(
                CONVERSATIONS.c.user_id == USERS.c.telegram_id, CONVERSATIONS.c.chat_id == bindparam("chat")
            ),
        )
    )
    .where(USERS.c.telegram_id == bindparam("tid"))
)


class Users(_Repo):
    async def by_id(self, user_id: int) -> User | None:
        """The person with this id, if any."""
        return await self.session.get(User, user_id)

    async def by_ids(self, ids: Collection[int]) -> dict[int, User]:
        """These people, by id."""
        return {u.id: u for u in await self.session.scalars(select(User).where(User.id.in_(list(ids))))}

    async def by_telegram_id(self, telegram_id: int) -> User | None:
        """The person with this Telegram id, if registered."""
        return await self.session.scalar(USER_BY_TELEGRAM_ID, {"tid": telegram_id})

    async def in_chat(self, telegram_id: int, chat_id: int) -> tuple[User, Current | None] | None:
        """The user with this Telegram id, and their conversation in `chat_id`, in one query."""
        row = await USER_AND_CURRENT.first(self.session, {"tid": telegram_id, "chat": chat_id})
        if row is None:
            return None
        flow, state, asked = row[len(USER_KEYS) :]
        return self._persistent(row[: len(USER_KEYS)]), (
            Current(flow, state, asked) if flow is not None else None
        )

    def _persistent(self, values: tuple[Any, ...]) -> User:
        """The user as the session would have loaded it: in its identity map, changes flushed as UPDATEs
        (`/taal`). One the session holds already is returned as it is."""
        held = self.session.identity_map.get(identity_key(User, values[0]))
        if held is not None:
            return held
        # As the ORM builds a loaded object: no constructor, whose attribute events would only repeat
        # what the columns' types did on reading (29 against 11 µs).
        user = _USER_CLASS.new_instance()
        user.__dict__.update(zip(USER_KEYS, values, strict=True))
        make_transient_to_detached(user)  # no history: as freshly loaded
        self.session.add(user)
        return user

    async def add(self, user: User) -> User:
        """Store a newly registered person."""
        self.session.add(user)
        await self.session.flush()
        return user

    async def all(self) -> list[User]:
        """Everyone registered, in the order they registered."""
        return list(await self.session.scalars(select(User).order_by(User.id)))

    async def coordinators_of(self, gemeente: str) -> list[User]:
        """The active coordinators of a gemeente."""
        return [u for u in await self.active_with_role(Role.COORDINATOR) if gemeente in u.gemeenten]

    async def active_with_role(self, role: str) -> list[User]:
        """The active people with this role, in the order they registered."""
        rows = await self.session.scalars(
            select(User).where(User.role == role, User.active).order_by(User.id)
        )
        return list(rows)


class Invites(_Repo):
    async def add(self, invite: Invite) -> Invite:
        """Store a new invite (its code only as a hash)."""
        self.session.add(invite)
        await self.session.flush()
        return invite

    async def by_hash(self, code_hash: str) -> Invite | None:
        """The invite whose code has this hash, if any."""
        return await self.session.scalar(select(Invite).where(Invite.code_hash == code_hash))

    async def redeem(self, invite_id: int, user_id: int, now: datetime) -> bool:
        """Mark an invite used, once: a second redeemer of the same code loses the compare-and-set."""
        result = await self.session.execute(
            update(Invite)
            .where(Invite.id == invite_id, Invite.used_at.is_(None), Invite.expires_at > now)
            .values(used_at=now, used_by=user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


class LoginLinks(_Repo):
    async def add(self, link: LoginLink) -> LoginLink:
        """Store a new personal link into the regiobeeld (its token only as a hash)."""
        self.session.add(link)
        await self.session.flush()
        return link

    async def use(self, token_hash: str, now: datetime) -> int | None:
        """Spend a link once, if it is still valid: the user it was made for, or None (unknown, expired or
        used before; a second use loses the compare-and-set)."""
        link = await self.session.scalar(select(LoginLink).where(LoginLink.token_hash == token_hash))
        if link is None:
            return None
        result = await self.session.execute(
            update(LoginLink)
            .where(LoginLink.id == link.id, LoginLink.used_at.is_(None), LoginLink.expires_at > now)
            .values(used_at=now)
        )
        return link.user_id if result.rowcount else None  # type: ignore[attr-defined]
