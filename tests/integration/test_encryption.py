"""Encryption at rest: the wrong key opens nothing, and keys rotate without losing data."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.keys import encrypted_columns, rotate
from storage.crypto import Cipher, DataKeyError, install, new_key
from storage.models import Signal
from storage.uow import UnitOfWork
from tests.clock import FakeClock
from tests.e2e.harness import DATA_KEY
from tests.integration.factories import a_filer, a_signal


async def _store(sessions: async_sessionmaker[AsyncSession], description: str) -> None:
    now = FakeClock().now()
    async with UnitOfWork(sessions) as uow:
        await a_signal(uow, await a_filer(uow, now), now, ref="S-ROT1", description=description)
        await uow.conversations.save(
            1, 1, "intake", {"version": 1, "answers": {"description": description}}, now, None
        )
        await uow.commit()


async def _read(sessions: async_sessionmaker[AsyncSession]) -> tuple[str, str]:
    async with UnitOfWork(sessions) as uow:
        signal = await uow.session.scalar(select(Signal))
        conv = await uow.conversations.get(1, 1)
        assert signal is not None and conv is not None
        return signal.description, conv.state["answers"]["description"]


async def test_another_key_cannot_read_the_data(sessions: async_sessionmaker[AsyncSession]) -> None:
    await _store(sessions, "geheim")
    install(Cipher([new_key()]))
    with pytest.raises(DataKeyError, match="no configured key"):
        await _read(sessions)


async def test_rotation_moves_every_value_to_the_new_key(sessions: async_sessionmaker[AsyncSession]) -> None:
    await _store(sessions, "geheim")
    async with sessions() as session:
        before = (await session.execute(text("select description from signals"))).scalar_one()
    fresh = new_key()
    rotated = await rotate(sessions, Cipher([fresh, DATA_KEY]))
    assert rotated == 4  # resident_ref, area, description and the conversation state (the event has no note)
    install(Cipher([fresh]))  # the old key is gone now
    assert await _read(sessions) == ("geheim", "geheim")
    async with sessions() as session:
        after = (await session.execute(text("select description from signals"))).scalar_one()
    assert after != before and after.startswith("gcm:")
    install(Cipher([DATA_KEY]))
    with pytest.raises(DataKeyError):
        await _read(sessions)


def test_every_free_text_column_is_encrypted() -> None:
    names = {f"{c.table.name}.{c.name}" for c in encrypted_columns()}
    assert {
        "signals.resident_ref",
        "signals.area",
        "signals.description",
        "signals.care_orgs",
        "signal_events.note",
        "conversations.state",
        "inbox.payload",
        "outbox.payload",
    } <= names
