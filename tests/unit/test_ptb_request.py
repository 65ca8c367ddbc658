"""python-telegram-bot over aiohttp (handlers/ptb_request.py), against a small Bot API on loopback: a call
arrives as python-telegram-bot's own networking sends it, and a slow or absent server becomes the errors
python-telegram-bot expects (the outbox maps those to retries, tests/e2e on the ptb adapter)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import NetworkError, TimedOut

from handlers.ptb_request import AiohttpRequest
from tests.e2e.harness import TOKEN

CHAT = {"id": 7, "type": "private", "first_name": "P"}


async def _api(received: list[dict[str, Any]], delay: float = 0.0) -> TestServer:
    async def call(request: web.Request) -> web.Response:
        form = dict(await request.post())
        received.append(
            {"method": request.match_info["method"], "agent": request.headers["User-Agent"], **form}
        )
        await asyncio.sleep(delay)  # the server being slow, not a wait for a condition in the test
        message = {"message_id": 42, "date": 0, "chat": CHAT, "text": form.get("text", "")}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", call)
    server = TestServer(app)
    await server.start_server()
    return server


async def _bot(server: TestServer, request: AiohttpRequest) -> Bot:
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{server.port}/bot", request=request)
    await request.initialize()
    return bot


async def test_a_message_with_buttons_goes_as_a_form_and_its_answer_is_read() -> None:
    received: list[dict[str, Any]] = []
    server = await _api(received)
    request = AiohttpRequest()
    try:
        bot = await _bot(server, request)
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="j")]])
        message = await bot.send_message(7, "Hoi 👋", reply_markup=keyboard)
    finally:
        await request.shutdown()
        await server.close()
    assert message.message_id == 42 and message.text == "Hoi 👋"
    [call] = received
    assert (call["method"], call["chat_id"], call["text"]) == ("sendMessage", "7", "Hoi 👋")
    assert json.loads(call["reply_markup"]) == {"inline_keyboard": [[{"text": "Ja", "callback_data": "j"}]]}
    assert call["agent"].startswith("python-telegram-bot")


async def test_a_server_slower_than_the_read_timeout_is_timed_out() -> None:
    server = await _api([], delay=2)
    request = AiohttpRequest(read_timeout=0.2)
    try:
        bot = await _bot(server, request)
        with pytest.raises(TimedOut):
            await bot.send_message(7, "Hoi")
    finally:
        await request.shutdown()
        await server.close()


async def test_no_server_is_a_network_error_and_a_closed_request_says_so() -> None:
    server = await _api([])
    port = server.port
    await server.close()
    request = AiohttpRequest(connect_timeout=1)
    await request.initialize()
    bot = Bot(TOKEN, base_url=f"http://127.0.0.1:{port}/bot", request=request)
    with pytest.raises(NetworkError, match="aiohttp"):
        await bot.send_message(7, "Hoi")
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1/", "POST")
