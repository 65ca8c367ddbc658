"""A token bucket: a burst of `capacity`, then `per_second` on average. Pure arithmetic on the times given."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class Buckets:
    """A bucket per key (a sender, a stranger), kept only while it matters: at `keep` keys, those whose
    bucket is full again are forgotten first (a fresh one behaves the same), else the oldest tenth."""

    capacity: float
    per_second: float
    keep: int = 10_000
    _by_key: dict[int, Bucket] = field(default_factory=dict)

    def take(self, key: int, now: float) -> float:
        """Take one token of this key's bucket; 0 when allowed, else the seconds until one is available."""
        bucket = self._by_key.get(key)
        if bucket is None:
            if len(self._by_key) >= self.keep:
                self._forget(now)
            bucket = self._by_key[key] = Bucket(self.capacity, self.per_second)
        return bucket.take(now)

    def _forget(self, now: float) -> None:
        full = [k for k, b in self._by_key.items() if b.tokens + (now - b.stamp) * b.per_second >= b.capacity]
        for key in full or list(self._by_key)[: max(1, self.keep // 10)]:
            self._by_key.pop(key, None)
