"""What the outbox sender needs of a Telegram library, and the limits it keeps to: each adapter's transport
makes the Bot API calls and turns the library's errors into these three (and getUpdates' 409 into PollConflict)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from aiolimiter import AsyncLimiter

from bot.domain.outgoing import Buttons

# Chats' limiters kept at most; idle ones are forgotten first.
PRUNE_AT = 2_000


class RetryLater(Exception):
    """Telegram said 429: wait `retry_after` seconds."""

    def __init__(self, retry_after: float) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after


class Transient(Exception):
    """A network or server error: try again later."""


class Undeliverable(Exception):
    """Telegram refused for good (blocked by the user, chat gone, bad request)."""


class PollConflict(Exception):
    """Telegram said 409 to getUpdates: another process polls this bot token, or a webhook is set."""


class Transport(Protocol):
    async def send(self, chat_id: int, text: str, buttons: Buttons) -> int: ...

    async def edit(self, chat_id: int, message_id: int, text: str, buttons: Buttons) -> None: ...

    async def edit_markup(self, chat_id: int, message_id: int, buttons: Buttons) -> None: ...

    async def delete(self, chat_id: int, message_id: int) -> None: ...


@dataclass(frozen=True)
class Limits:
    per_second: float = 29.0
    burst: float = 8.0
    chat_burst: int = 3
    group_per_minute: int = 19
    lease_seconds: int = 60
    batch: int = 200
    max_attempts: int = 8


class ChatLimiters:
    """Each chat's own rate (about one message a second in a private chat, 20 a minute in a group), kept
    only while it matters: a drained limiter behaves as a fresh one, so idle chats are forgotten
    (bench.memory: 10,000 chats' limiters were kept for good)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._chats: dict[int, AsyncLimiter] = {}

    def __len__(self) -> int:
        return len(self._chats)

    def of(self, chat_id: int) -> AsyncLimiter:
        """The rate limiter of one chat (a group's 20 a minute, a private chat's 1 a second)."""
        limiter = self._chats.get(chat_id)
        if limiter is None:
            if len(self._chats) >= PRUNE_AT:
                self._prune()
            limiter = self._chats[chat_id] = (
                AsyncLimiter(self.limits.chat_burst, self.limits.chat_burst)
                if chat_id > 0
                else AsyncLimiter(self.limits.group_per_minute, 60)
            )
        return limiter

    def gap(self, chat_id: int) -> float:
        """Roughly when a chat at its limit has room again."""
        return 1.0 if chat_id > 0 else 60.0 / self.limits.group_per_minute

    def _prune(self) -> None:
        self._chats = {
            chat: limiter
            for chat, limiter in self._chats.items()
            if not limiter.has_capacity(limiter.max_rate)
        }
        if len(self._chats) >= PRUNE_AT:  # all busy at once: keep memory bounded all the same
            self._chats.clear()
