"""Shared fixtures: databases (SQLite always, PostgreSQL when the server can be started), the e2e stack."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from tests import pg
from tests.e2e.harness import Stack, sqlite_url

_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.Cluster | None]:
    try:
        cluster = pg.start_cluster()
    except (pg.Unavailable, OSError) as exc:
        pytest.skip(f"PostgreSQL not available: {exc}")
    except Exception as exc:  # a failed initdb or start says why in its output
        pytest.skip(f"PostgreSQL could not start: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty database of each kind."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    cluster: pg.Cluster = request.getfixturevalue("pg_cluster")
    name = f"waakvlam_{next(_counter)}"
    conn = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{cluster.port}/postgres")
    await conn.execute(f'CREATE DATABASE "{name}"')
    await conn.close()
    yield cluster.url(name)


ADAPTERS = ["aiogram", "ptb"]


@pytest.fixture(params=ADAPTERS)
async def stack(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    """The full stack on SQLite: emulator, migrated database with the demo users, the bot polling; every
    transcript runs once on each adapter (aiogram, python-telegram-bot)."""
    s = Stack(sqlite_url(tmp_path), adapter=request.param)
    await s.start()
    yield s
    await s.close()


@pytest.fixture
async def any_stack(database_url: str) -> AsyncIterator[Stack]:
    """The full stack on every available database kind."""
    s = Stack(database_url)
    await s.start()
    yield s
    await s.close()
