"""What an orchestrator and Prometheus see of an instance, over HTTP: /healthz, /readyz and /metrics on the
web port (in webhook mode on the webhook's port too), as a person uses the bot meanwhile."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest
import yaml
from aiohttp import ClientSession
from prometheus_client.parser import text_string_to_metric_families

from bot.domain.clock import SystemClock
from bot.domain.outgoing import Kind, Outgoing
from bot.runtime import health
from bot.sandbox.emulator import Fault
from tests import pg
from tests.e2e.harness import Stack, sqlite_url
from tests.net import free_port

pytestmark = pytest.mark.e2e

WENDY, GGD = 1001, -1001001


@pytest.fixture(params=["aiogram", "ptb"])
async def watched(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    s = Stack(sqlite_url(tmp_path), adapter=request.param, web_port=free_port(), extra={"metrics": True})
    await s.start()
    yield s
    await s.close()


async def get(stack: Stack, path: str, port: int | None = None) -> tuple[int, str]:
    async with (
        ClientSession() as http,
        http.get(f"http://127.0.0.1:{port or stack.web_port}{path}") as resp,
    ):
        return resp.status, await resp.text()


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The metrics page read with Prometheus's own parser: (name, labels) → value."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_health_ready_and_metrics_while_a_person_uses_the_bot(watched: Stack) -> None:
    assert watched.phone is not None
    assert await get(watched, "/healthz") == (200, '{"status": "ok"}')
    status, body = await get(watched, "/readyz")
    assert status == 200 and '"telegram": "polling"' in body, body

    await watched.phone.send(WENDY, "/help")
    await watched.phone.expect(WENDY, "/mijn")
    await watched.settle()
    status, text = await get(watched, "/metrics")
    assert status == 200
    seen = samples(text)
    assert seen[("waakvlam_updates_total", (("outcome", "handled"),))] == 1
    assert seen[("waakvlam_telegram_calls_total", (("method", "sendMessage"), ("result", "ok")))] >= 1
    assert seen[("waakvlam_update_handling_seconds_count", ())] == 1
    assert seen[("waakvlam_outbox_backlog", ())] == 0
    assert seen[("waakvlam_poller_lease_held", ())] == 1
    instance = watched.settings().instance_name
    assert seen[("waakvlam_poller_leading", (("instance", instance),))] == 1
    # No label names a chat, a person or what they typed (the samples' values are timings and counts, where
    # the digits of an id may turn up by chance: 0.0100123 s).
    labels = "\n".join(line.rsplit(" ", 1)[0] for line in text.splitlines())
    for needle in (str(WENDY), str(GGD), "Wendy", "/help"):
        assert needle not in labels
    values = {line.rsplit(" ", 1)[-1] for line in text.splitlines() if not line.startswith("#")}
    assert not values & {str(WENDY), str(GGD), f"{WENDY}.0", f"{GGD}.0"}  # nor is any value an id


async def test_not_ready_while_telegram_cannot_be_polled_and_ready_again_after(
    watched: Stack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(health, "READY_WITHIN", 1.0)
    watched.emulator.faults.append(Fault("getUpdates", 502, 1_000))
    deadline = time.monotonic() + 10
    while (answer := await get(watched, "/readyz"))[0] == 200:
        assert time.monotonic() < deadline, "still ready while every getUpdates fails"
        await asyncio.sleep(0.2)
    assert answer[0] == 503 and "no successful getUpdates" in answer[1]
    assert (await get(watched, "/healthz"))[0] == 200  # alive all the same: no restart loop

    watched.emulator.faults.clear()
    deadline = time.monotonic() + 40  # the poller's retry waits double up to 30 s
    while (await get(watched, "/readyz"))[0] != 200:
        assert time.monotonic() < deadline, "not ready again after getUpdates works again"
        await asyncio.sleep(0.2)


async def test_a_backlog_leaves_every_instance_ready_and_shows_in_the_metrics(tmp_path: Path) -> None:
    """A flood fills the shared outbox: /readyz stays 200 (taking instances out of the balancer would not
    send a message sooner), /metrics shows the backlog, and deploy/alerts.yml alerts on that gauge."""
    stack = Stack(sqlite_url(tmp_path), web_port=free_port(), extra={"metrics": True})
    await stack.start()
    try:
        async with stack.uow() as uow:  # 6,000 messages waiting (held back a day)
            later = SystemClock().now() + timedelta(days=1)
            await uow.outbox.put_many([Outgoing(WENDY, Kind.SEND, "x")] * 6000, later)
            await uow.commit()
        assert (await get(stack, "/readyz"))[0] == 200
        status, metrics = await get(stack, "/metrics")
        assert status == 200 and "waakvlam_outbox_backlog 6000.0" in metrics
    finally:
        await stack.close()
    rules = yaml.safe_load((Path(__file__).parents[2] / "deploy" / "alerts.yml").read_text())
    exprs = [r["expr"] for g in rules["groups"] for r in g["rules"]]
    assert "max(waakvlam_outbox_backlog) > 5000" in exprs
    for expr in exprs:  # every alert reads a gauge the bot serves
        name = expr.split("(")[1].split(")")[0]
        assert f"\n{name} " in metrics or f"\n# TYPE {name} gauge" in metrics, name


@pytest.mark.postgres
async def test_not_ready_when_the_database_refuses_connections(pg_cluster: pg.Cluster) -> None:
    admin = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{pg_cluster.port}/postgres")
    await admin.execute('CREATE DATABASE "health"')
    stack = Stack(pg_cluster.url("health"), web_port=free_port())
    await stack.start()
    try:
        assert (await get(stack, "/readyz"))[0] == 200
        # The database goes away for this instance: no new connections, the open ones cut.
        await admin.execute('ALTER DATABASE "health" ALLOW_CONNECTIONS false')
        await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'health'")
        status, body = await get(stack, "/readyz")
        assert status == 503 and "database unreachable" in body, body
        assert (await get(stack, "/healthz"))[0] == 200
        await admin.execute('ALTER DATABASE "health" ALLOW_CONNECTIONS true')
        assert (await get(stack, "/readyz"))[0] == 200  # and ready again once it is back
    finally:
        await admin.execute('ALTER DATABASE "health" ALLOW_CONNECTIONS true')
        await stack.close()
        await admin.close()


async def test_webhook_and_health_on_one_port(tmp_path: Path) -> None:
    port = free_port()
    stack = Stack(sqlite_url(tmp_path), webhook_port=port, web_port=port)
    await stack.start()
    try:
        assert stack.phone is not None
        status, body = await get(stack, "/readyz")  # the webhook is set and Telegram says it delivers
        assert status == 200 and '"telegram": "webhook"' in body, body
        await stack.phone.send(WENDY, "/help")
        await stack.phone.expect(WENDY, "/mijn")
    finally:
        await stack.close()
