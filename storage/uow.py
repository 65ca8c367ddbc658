"""One unit of work per update or job: repositories share a session; the caller commits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Generic, TypeVar, overload

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.outgoing import Queued
from storage.models import User
from storage.repositories import (
    Agreements,
    Audit,
    Conflict,
    Conversations,
    Due,
    Escalations,
    Inbox,
    Invites,
    Leases,
    LoginLinks,
    Outbox,
    Regies,
    Samenloop,
    Senders,
    Signals,
    Tallies,
    Users,
)

R = TypeVar("R")


@dataclass(frozen=True)
class Committed:
    """What a committed unit of work leaves for this instance's outbox sender."""

    # Replies queued and leased to this instance in the transaction (`outbox.lease_replies`).
    leased: list[Queued]
    # Chats with replies that wait for a claim (an earlier row of theirs is still to go).
    waiting_chats: set[int]
    # Whether anything was queued that only a claim will send.
    to_claim: bool


class _Made(Generic[R]):
    """A repository made on first use in a unit of work, then kept: most units use two or three of them,
    and making all fifteen cost a unit ~10 µs."""

    def __init__(self, make: Callable[[AsyncSession], R]) -> None:
        self._make = make

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, uow: None, owner: type) -> _Made[R]: ...
    @overload
    def __get__(self, uow: UnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: UnitOfWork | None, owner: type) -> R | _Made[R]:
        if uow is None:
            return self
        repo = uow.__dict__[self._name] = self._make(uow.session)  # the instance's own from now on
        return repo


class UnitOfWork:
    users = _Made(Users)
    invites = _Made(Invites)
    conversations = _Made(Conversations)
    signals = _Made(Signals)
    tallies = _Made(Tallies)
    inbox = _Made(Inbox)
    outbox = _Made(Outbox)
    audit = _Made(Audit)
    due = _Made(Due)
    agreements = _Made(Agreements)
    logins = _Made(LoginLinks)
    leases = _Made(Leases)
    senders = _Made(Senders)
    regies = _Made(Regies)
    escalations = _Made(Escalations)
    samenloop = _Made(Samenloop)

    session: AsyncSession
    # Set by a handler that refused typed text it must not keep (free text about a resident in the chat): the
    # stored update is then kept as its id alone (bot/runtime/gate.py).
    forget_input: bool = False

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessions()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if exc_type is not None:
            await self.session.rollback()
        await self.session.close()
        if isinstance(exc, IntegrityError):
            # Callers above storage/ see our own error, never the driver's.
            raise Conflict(str(exc.orig)) from exc

    async def commit(self) -> None:
        """Commit; a unique key taken meanwhile becomes Conflict."""
        try:
            await self.session.commit()
        except IntegrityError as exc:
            raise Conflict(str(exc.orig)) from exc

    async def sender(self, telegram_id: int, chat_id: int) -> User | None:
        """Who sent an update: the user, read with their conversation in this chat in one query (nearly
        every update needs both); the conversation is kept for its first `conversations.get`."""
        found = await self.users.in_chat(telegram_id, chat_id)
        if found is None:
            return None
        user, current = found
        self.conversations.remember(chat_id, telegram_id, current)
        return user

    def committed(self) -> Committed:
        """After `commit`: what it queued for the sender, so no caller reads the repositories' fields."""
        outbox = self.outbox
        return Committed(
            list(outbox.leased), {row.chat_id for row in outbox.queued}, bool(outbox.queued) or outbox.bulk
        )

    async def rollback(self) -> None:
        """Forget what this unit of work did."""
        await self.session.rollback()
