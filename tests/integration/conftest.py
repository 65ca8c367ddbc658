"""A migrated database (SQLite, and PostgreSQL when available) with a session factory."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.crypto import Cipher, install
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from tests.e2e.harness import DATA_KEY


@pytest.fixture(autouse=True)
def cipher() -> Cipher:
    """Encrypted columns need a key, as at start-up."""
    c = Cipher([DATA_KEY])
    install(c)
    return c


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    await upgrade_async(database_url)
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


@pytest.fixture
async def other_instance(
    sessions: async_sessionmaker[AsyncSession], database_url: str
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A second instance's sessions on the same (migrated) database, through an engine of its own."""
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()
