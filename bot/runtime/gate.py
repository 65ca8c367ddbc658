"""The inbox: store each Telegram update before acting on it, act once, never lose one.

Telegram delivers at least once, and forgets an update once it is confirmed: with polling, by the next
getUpdates' offset; with the webhook, by our 200. So an update is committed here before it is confirmed
(`store`, then the offset moves on; the webhook answers after `handle`), and its effects and its "done"
mark then commit together. Updates that arrive together (a getUpdates batch, a busy webhook) are stored in
one transaction (a group commit).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.incoming import Incoming
from bot.domain.outgoing import Queued
from bot.runtime.batching import GroupCommit
from bot.runtime.locks import KeyedLocks
from bot.runtime.observe import Metrics, chat_kind
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg
from storage.repositories import StaleState
from storage.uow import Committed, UnitOfWork

log = structlog.get_logger(__name__)
T = TypeVar("T")


class ClaimLost(Exception):
    """The update's claim passed to another instance while this one was still handling it."""


LEASE = timedelta(seconds=30)
ATTEMPTS = 3
# Hand replies straight to the sender only while fewer updates than this are in hand here: at a person's
# pace that saves a claim per reply; when many arrive at once, the sender's batched claims cost less.
HAND_OVER_BELOW = 8
EARLIER_POLL = 0.02
SORRY = N_("Er ging iets mis aan onze kant. Uw eerdere antwoorden zijn bewaard; probeer het zo nog eens.")


class DirectSend(Protocol):
    """The outbox sender of this instance, taking a handler's replies straight from its transaction."""

    @property
    def lease(self) -> timedelta | None:
        """How long a handed row is leased for; None when the sender is too busy to take more."""

    def hand(self, rows: list[Queued], held: set[int]) -> None: ...


class Serve(Protocol):
    async def __call__(self, uow: UnitOfWork, command: Incoming, /) -> str | None: ...


@dataclass
class UpdateGate:
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    messenger: Messenger
    tr: Translator
    on_commit: Callable[[], None]
    default_locale: str = "nl"
    # Webhook mode: a load balancer may split one chat's updates between instances. With polling Telegram
    # serves one consumer only, so the per-chat lock below already keeps a chat's order.
    shared: bool = False
    # Replies leased in the handler's own transaction and handed to this instance's sender (no claim).
    direct: DirectSend | None = None
    # What acts on a command an adapter read from an update (the front desk), in the gate's transaction.
    serve: Serve | None = None
    metrics: Metrics = field(default_factory=lambda: Metrics("waakvlam"))
    _locks: KeyedLocks = field(default_factory=lambda: KeyedLocks())
    _handling: int = 0  # updates being handled here now
    _takes: GroupCommit[tuple[int, int | None, dict[str, Any]], tuple[bool, bool]] = field(init=False)
    # Updates this instance stored and claimed ahead of handling (a polled batch): handle() takes them.
    _stored: dict[int, tuple[bool, bool]] = field(default_factory=dict)
    # This gate's name on the updates it claims: "done" only while the claim is still this one's.
    _token: str = field(default_factory=lambda: secrets.token_hex(8))

    def __post_init__(self) -> None:
        self._takes = GroupCommit(self._take_many)

    @property
    def store_commits(self) -> int:
        """Transactions that stored updates so far (fewer than updates under load)."""
        return self._takes.commits

    async def store(self, updates: list[tuple[int, int | None, dict[str, Any]]]) -> None:
        """Store and claim a batch before it is confirmed to Telegram; `handle` then acts on each."""
        taken = await asyncio.gather(*(self._takes.submit(u) for u in updates))
        for (update_id, _, _), answer in zip(updates, taken, strict=True):
            self._stored[update_id] = answer

    def stored_here(self, update_id: int) -> bool:
        """Whether this update was stored ahead of handling (its payload is in the inbox already)."""
        return update_id in self._stored

    async def refuse(self, update_id: int, telegram_id: int | None, reason: str) -> None:
        """Drop an update that may not come in (bot.runtime.admission); audited, nothing else is stored."""
        log.warning("update_refused", update_id=update_id, outcome="refused", reason=reason)
        self.metrics.updates.labels("refused").inc()
        async with UnitOfWork(self.sessions) as uow:
            await record(uow, self.clock, "update_refused", telegram_id=telegram_id, reason=reason)
            await uow.commit()

    async def give_up(self, update_id: int) -> None:
        """Close a stored update that its library could not even read, so it is not replayed forever."""
        self._stored.pop(update_id, None)
        self.metrics.updates.labels("unreadable").inc()
        async with UnitOfWork(self.sessions) as uow:
            await uow.inbox.done(update_id, self.clock.now())
            await uow.commit()

    async def act(
        self, update_id: int, payload: dict[str, Any], chat_id: int | None, command: Incoming | None
    ) -> str | None:
        """Store this update and act on its command once, in one transaction that the gate owns; return
        the short answer for a pressed button. An update without a command is only marked done."""
        serve = self.serve

        async def work(uow: UnitOfWork) -> str | None:
            if command is None or serve is None:
                return None
            return await serve(uow, command)

        return await self.handle(update_id, payload, chat_id, work)

    async def handle(
        self,
        update_id: int,
        payload: dict[str, Any],
        chat_id: int | None,
        work: Callable[[UnitOfWork], Awaitable[T]],
    ) -> T | None:
        """Run `work` once for this update; None when it was handled before or is in hand elsewhere."""
        # Take the chat's lock first: updates of one chat are then handled in the order they arrived.
        async with self._locks.hold(chat_id):
            stored = self._stored.pop(update_id, None)
            claimed, earlier = stored or await self._takes.submit((update_id, chat_id, payload))
            if not claimed:
                log.info(
                    "update_skipped", update_id=update_id, chat_kind=chat_kind(chat_id), outcome="duplicate"
                )
                self.metrics.updates.labels("duplicate").inc()
                return None
            if earlier and chat_id is not None:
                await self._after_earlier(chat_id, update_id)
            self._handling += 1
            try:
                return await self._run(update_id, chat_id, work)
            finally:
                self._handling -= 1

    async def _run(
        self, update_id: int, chat_id: int | None, work: Callable[[UnitOfWork], Awaitable[T]]
    ) -> T | None:
        began = time.perf_counter()
        kind = chat_kind(chat_id)
        for attempt in range(ATTEMPTS):
            try:
                async with UnitOfWork(self.sessions) as uow:
                    lease = self._hand_over_lease()
                    hand_before = None
                    if lease is not None:
                        start = self.clock.now()
                        uow.outbox.lease_replies(start + lease)
                        hand_before = start + lease / 2
                    result = await work(uow)
                    if not await uow.inbox.done(update_id, self.clock.now(), self._token):
                        raise ClaimLost(update_id)
                    if uow.forget_input:  # typed text refused unread: keep the update's id alone
                        await uow.inbox.redact([update_id], self.clock.now())
                    await uow.commit()
            except ClaimLost:
                # This handling outlived its lease and another instance took the update over: its
                # effects are that instance's to make; these roll back unseen.
                log.warning("update_claim_lost", update_id=update_id, chat_kind=kind, outcome="lost")
                self.metrics.updates.labels("duplicate").inc()
                return None
            except StaleState:  # and its Conflict: a unique row written first elsewhere
                # Another instance moved this conversation on first: run again on the fresh state.
                log.info("update_conflict_retry", update_id=update_id, attempt=attempt)
                continue
            except Exception:
                log.exception("update_failed", update_id=update_id, chat_kind=kind, outcome="failed")
                self.metrics.updates.labels("failed").inc()
                await self._apologise(update_id, chat_id)
                return None
            self._after_commit(uow.committed(), hand_before)
            took = time.perf_counter() - began
            self.metrics.handled.inc()
            self.metrics.handling.observe(took)
            log.info(
                "update_handled",
                update_id=update_id,
                chat_kind=kind,
                outcome="handled",
                ms=round(took * 1000, 1),
            )
            return result
        log.warning("update_failed", update_id=update_id, chat_kind=kind, outcome="conflicts")
        self.metrics.updates.labels("failed").inc()
        await self._apologise(update_id, chat_id)
        return None

    def _hand_over_lease(self) -> timedelta | None:
        if self.direct is None or self._handling >= HAND_OVER_BELOW:
            return None
        return self.direct.lease

    def _after_commit(self, done: Committed, hand_before: datetime | None) -> None:
        """Hand the leased replies to the sender; wake it to claim whatever was not leased."""
        if self.direct is None:
            self.on_commit()
            return
        # A handler that ran past half its lease leaves its replies to a claim once the lease ends, rather
        # than this sender racing the lease's end (a reply sent twice).
        late = bool(done.leased) and (hand_before is None or self.clock.now() > hand_before)
        self.direct.hand([] if late else done.leased, done.waiting_chats)
        if late or done.to_claim:
            self.on_commit()

    async def _take_many(
        self, updates: list[tuple[int, int | None, dict[str, Any]]]
    ) -> list[tuple[bool, bool]]:
        """Store and claim updates in one transaction; per update: claimed here, and (webhook mode) is an
        earlier update of its chat in hand elsewhere."""
        async with UnitOfWork(self.sessions) as uow:
            now = self.clock.now()
            taken = await uow.inbox.take_many(updates, now, LEASE, self._token)
            answers = []
            for (update_id, chat_id, _), claimed in zip(updates, taken, strict=True):
                earlier = (
                    claimed
                    and self.shared
                    and chat_id is not None
                    and await uow.inbox.earlier_in_hand(chat_id, update_id, now)
                )
                answers.append((claimed, earlier))
            await uow.commit()
        return answers

    async def _after_earlier(self, chat_id: int, update_id: int) -> None:
        """Another instance is handling an earlier update of this chat (a quick double tap split between
        instances): let it finish first, so the chat's updates take effect in order. Never longer than
        that update's lease: an instance that died is not waited for."""
        log.info("update_waits_for_earlier", update_id=update_id)
        waited = 0.0
        while waited < LEASE.total_seconds():
            await asyncio.sleep(EARLIER_POLL)
            waited += EARLIER_POLL
            async with UnitOfWork(self.sessions) as uow:
                if not await uow.inbox.earlier_in_hand(chat_id, update_id, self.clock.now()):
                    return

    async def _apologise(self, update_id: int, chat_id: int | None) -> None:
        """Tell the user kindly, and close the update so it does not fail forever."""
        async with UnitOfWork(self.sessions) as uow:
            if chat_id is not None:
                locale = self.default_locale
                text = self.tr.render(locale, Msg(SORRY))
                await self.messenger.send(uow.outbox, chat_id, text)
            await uow.inbox.done(update_id, self.clock.now())
            await uow.commit()
        self.on_commit()

    async def unfinished(self) -> list[dict[str, Any]]:
        """Updates stored but never finished (a crash between storing and acting): replay these."""
        async with UnitOfWork(self.sessions) as uow:
            rows = await uow.inbox.unfinished(self.clock.now())
            return [dict(r.payload) for r in rows]
