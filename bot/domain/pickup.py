"""How long a desk took to pick a signal up, in working hours, kept as an anonymous histogram: one count
per bucket, desk and month, so the regiobeeld can say the median and the 90th percentile without keeping
any one signal's times."""

from __future__ import annotations

import bisect

# Upper bounds of the buckets, in working hours (8.5 is one working day); the last one is open.
BOUNDS = (1.0, 2.0, 4.0, 8.5, 17.0, 25.5, 42.5, 85.0)


def bucket(hours: float) -> int:
    """The bucket of a pick-up time: the first whose bound it does not exceed (len(BOUNDS) beyond all)."""
    return bisect.bisect_left(BOUNDS, hours)


def percentile(histogram: list[int], p: float) -> float | None:
    """The upper bound of the bucket holding the p-th share of pick-ups (inf for the open bucket); None
    without any."""
    total = sum(histogram)
    if total == 0:
        return None
    seen = 0
    for i, n in enumerate(histogram):
        seen += n
        if seen >= p * total:
            return BOUNDS[i] if i < len(BOUNDS) else float("inf")
    return float("inf")
