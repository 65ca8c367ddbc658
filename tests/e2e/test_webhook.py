"""Webhook mode on both adapters: the emulator delivers each update to the bot's endpoint, which answers
Telegram only once the update is stored and handled, and only with the secret it was given."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import ClientSession
from sqlalchemy import func, select

from storage.models import InboxUpdate, Signal
from tests.e2e.harness import WEBHOOK_SECRET, Stack, file_intake, sqlite_url
from tests.net import free_port

pytestmark = pytest.mark.e2e

WILLEM, GGD = 1003, -1001001


@pytest.fixture(params=["aiogram", "ptb"])
async def hooked(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    s = Stack(sqlite_url(tmp_path), adapter=request.param, webhook_port=free_port())
    await s.start()
    yield s
    await s.close()


async def test_a_signal_filed_over_the_webhook(hooked: Stack) -> None:
    phone = hooked.phone
    assert phone is not None
    assert hooked.emulator.webhook_url == f"http://127.0.0.1:{hooked.webhook_port}/webhook"
    receipt = await file_intake(phone, WILLEM, ["Zelfverwaarlozing of vervuiling"])
    assert "GGD Drenthe" in receipt["text"]
    await phone.expect(GGD, "Nieuw signaal")
    await hooked.settle()
    async with hooked.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(Signal)) == 1
        assert hooked.emulator.calls.get("getUpdates", 0) == 0


async def test_the_endpoint_refuses_a_wrong_secret_and_a_broken_body(hooked: Stack) -> None:
    url = f"http://127.0.0.1:{hooked.webhook_port}/webhook"
    update = {"update_id": 77, "message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}}
    async with ClientSession() as http:
        async with http.post(url, json=update) as resp:
            assert resp.status == 401
        wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
        async with http.post(url, json=update, headers=wrong) as resp:
            assert resp.status == 401
        right = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "application/json"}
        deep = b'{"update_id": 78, "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
        for body in (b"{not json", b"[1, 2]", b'{"update_id": "x"}', deep):
            async with http.post(url, data=body, headers=right) as resp:
                assert resp.status == 400, body[:40]
        # A secret with bytes that are no ASCII is simply wrong (it was a 500 with a traceback).
        odd = {"X-Telegram-Bot-Api-Secret-Token": "gé€ss", "Content-Type": "application/json"}
        async with http.post(url, data=b'{"update_id": 79}', headers=odd) as resp:
            assert resp.status == 401
        # Only JSON is read, whatever else comes with the secret.
        plain = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET, "Content-Type": "text/plain"}
        async with http.post(url, data=b'{"update_id": 80}', headers=plain) as resp:
            assert resp.status == 415
    async with hooked.uow() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(InboxUpdate)) == 0
