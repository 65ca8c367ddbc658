"""`waakvlam sandbox` stopped and started again on the same data folder: the chat page starts empty, the
conversation goes on where it was, and nothing the person sends is lost."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.net import free_port
from tests.sandbox_process import sandbox_process

pytestmark = pytest.mark.e2e
WENDY = 1001


async def _post(http: aiohttp.ClientSession, url: str, body: dict[str, Any]) -> Any:
    async with http.post(url, json=body) as resp:
        return await resp.json()


async def _until_bot_says(http: aiohttp.ClientSession, control: str, text: str) -> list[dict[str, Any]]:
    for _ in range(100):
        async with http.get(f"{control}/chats/{WENDY}/messages") as resp:
            messages: list[dict[str, Any]] = await resp.json()
        if any(m["from_bot"] and text in m["text"] for m in messages):
            return messages
        await asyncio.sleep(0.1)
    raise AssertionError(f"the bot never said {text!r}; the chat: {messages}")


async def test_after_a_restart_the_first_message_is_answered_and_the_intake_goes_on(tmp_path: Path) -> None:
    data, port = tmp_path / "data", free_port()
    # A new connection per request: the second sandbox listens on the port the first one had.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as http:
        with sandbox_process(data, port) as running:
            control = running.url + "control"
            # Wendy → /signaal; bot → "acuut gevaar?"; Wendy taps Nee; bot → "Wat heeft u gezien?"
            await _post(http, f"{control}/send", {"user_id": WENDY, "text": "/signaal"})
            first = await _until_bot_says(http, control, "acuut gevaar")
            question = next(m for m in first if m["from_bot"])
            await _post(
                http,
                f"{control}/press",
                {"user_id": WENDY, "message_id": question["message_id"], "button": "Nee"},
            )
            before = await _until_bot_says(http, control, "Wat heeft u gezien?")
        with sandbox_process(data, port) as running:
            control = running.url + "control"
            # A fresh page; Wendy → /signaal again; bot → the same question, where she left off.
            sent = await _post(http, f"{control}/send", {"user_id": WENDY, "text": "/signaal"})
            after = await _until_bot_says(http, control, "Wat heeft u gezien?")
    assert sent["update_id"] > 2  # numbered after the two updates the bot already stored
    assert min(m["message_id"] for m in after) > max(m["message_id"] for m in before)
    assert not any("acuut gevaar" in m["text"] for m in after)  # resumed, not started over
