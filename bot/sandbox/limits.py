"""Telegram's flood limits as token buckets, so the emulator can answer 429 like the real API."""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.domain.bucket import Bucket


@dataclass
class FloodLimits:
    """About 30 messages a second per bot, ~1 a second per private chat (small bursts), 20 a minute per group."""

    per_bot: float = 30.0
    chat_burst: float = 3.0
    chat_per_second: float = 1.0
    group_per_minute: float = 20.0
    clock: Callable[[], float] = time.monotonic
    _bot: Bucket | None = None
    _chats: dict[int, Bucket] = field(default_factory=dict)
    # Why 429s were given: the bot's overall rate, a private chat's, or a group's.
    refused: Counter[str] = field(default_factory=Counter)

    def check(self, chat_id: int) -> int:
        """Count one message to `chat_id`; return 0 or the retry_after (whole seconds) for a 429."""
        now = self.clock()
        if self._bot is None:
            self._bot = Bucket(self.per_bot, self.per_bot)
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = self._chats[chat_id] = (
                Bucket(self.chat_burst, self.chat_per_second)
                if chat_id > 0
                else Bucket(self.group_per_minute, self.group_per_minute / 60)
            )
        wait = max(self._bot.take(now), 0.0)
        if wait:
            self.refused["bot"] += 1
            return max(1, math.ceil(wait))
        wait = chat.take(now)
        if wait:
            self.refused["group" if chat_id < 0 else "chat"] += 1
            self._bot.tokens = min(self._bot.capacity, self._bot.tokens + 1)
            return max(1, math.ceil(wait))
        return 0
