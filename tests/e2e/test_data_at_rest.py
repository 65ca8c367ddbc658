"""A copy of the database alone reveals no descriptions, references or areas."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.models import Signal
from tests.e2e.harness import Stack, file_intake

pytestmark = pytest.mark.e2e

SECRET_TEXT = "Mevrouw Jansen roept om hulp vanuit de kelder"
REF = "HUURDER-SECRET-77"
AREA = "Kloosterveen"


async def test_the_raw_database_files_hold_no_plaintext(stack: Stack, tmp_path: Path) -> None:
    phone = stack.phone
    assert phone is not None
    receipt = await file_intake(
        phone, 1003, ["Verward of zorgwekkend gedrag"], ref=REF, area=AREA, description=SECRET_TEXT
    )
    ref = receipt["text"].split()[2]
    # The GGD desk member reads it on the region's server: decrypted for display only.
    assert SECRET_TEXT in await phone.details(2001, ref)
    await stack.settle()
    async with stack.uow() as uow:
        stored = await uow.session.scalar(select(Signal))
        assert (
            stored is not None and stored.description == SECRET_TEXT
        )  # the app, with the key, reads it back
    raw = await asyncio.to_thread(lambda: b"".join(p.read_bytes() for p in tmp_path.glob("waakvlam.db*")))
    assert len(raw) > 10_000
    for secret in (SECRET_TEXT, REF, AREA, "Kloosterveen"):
        assert secret.encode() not in raw, f"{secret!r} found in the database files"
    assert b"gcm:" in raw and b"fernet:" not in raw  # sealed with AES-GCM, none left in the old format
