"""A token bucket: a burst of `capacity`, then `per_second` on average. Pure arithmetic on the times given."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Bucket:
    capacity: float
    per_second: float
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self, now: float, reserve: float = 0.0) -> float:
        """Take one token, leaving `reserve` tokens for others; return 0 when allowed, else the seconds
        until one is available."""
        if self.tokens < 0:
            self.tokens, self.stamp = self.capacity, now
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens >= 1 + reserve:
            self.tokens -= 1
            return 0.0
        return (1 + reserve - self.tokens) / self.per_second
