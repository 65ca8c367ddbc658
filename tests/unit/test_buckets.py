"""A bucket per key (the front door's budget per sender, one answer a minute per stranger): each key its
own rate, and memory bounded by forgetting keys whose bucket is full again, else the oldest."""

from __future__ import annotations

from bot.domain.bucket import Buckets


def test_each_key_has_its_own_rate() -> None:
    strangers = Buckets(capacity=1, per_second=1 / 60)
    assert strangers.take(1, now=0) == 0  # answered
    assert strangers.take(1, now=30) == 30  # half a minute later: not yet, in 30 s
    assert strangers.take(2, now=30) == 0  # another stranger is answered
    assert strangers.take(1, now=60) == 0  # a minute on


def test_past_keep_keys_a_full_bucket_is_forgotten_first_then_the_oldest() -> None:
    senders = Buckets(capacity=2, per_second=1, keep=2)
    senders.take(1, now=0)
    senders.take(2, now=0)
    senders.take(2, now=0)  # 2 is empty, 1 has one left
    senders.take(3, now=1)  # at two keys: 1 is full again by now and goes; 2 stays (still spent)
    assert senders.take(2, now=1) == 0 and senders.take(2, now=1) > 0  # remembered: one token came back
    senders.take(4, now=1)  # none full: the oldest (2) goes
    assert senders.take(2, now=1) == senders.take(2, now=1) == 0  # forgotten: a fresh bucket of two
