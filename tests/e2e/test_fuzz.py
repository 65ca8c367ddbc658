"""Arbitrary updates at the real front door (the runtime's `take`, as polling and the webhook call it), on
both adapters: no handler raises, every reply is the catalog's words, nothing is stored for refused input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.e2e.harness import Stack
from tests.fuzz_updates import check, reply_patterns, updates

pytestmark = pytest.mark.e2e
PATTERNS = reply_patterns()


@settings(
    max_examples=150,  # per adapter: 300 in all
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(update=updates())
async def test_no_update_breaks_the_bot(stack: Stack, update: dict[str, Any]) -> None:
    await check(stack, update, PATTERNS)
