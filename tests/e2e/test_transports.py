"""Both adapters' outbox transports against the emulator over HTTP: what Telegram answers becomes the same
retry decision, whichever library made the call."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot as AiogramBot
from aiogram.client.telegram import TelegramAPIServer
from telegram import Bot as PtbBot

from bot.runtime.transport import RetryLater, Transient, Transport, Undeliverable
from bot.sandbox.emulator import Emulator, Fault
from handlers.aiogram_session import JsonSession
from handlers.aiogram_transport import AiogramTransport
from handlers.ptb_transport import PtbTransport
from tests.e2e.harness import TOKEN, serve_emulator
from tests.net import free_port

pytestmark = pytest.mark.e2e

CHAT = 1001
BUTTONS = [[["Ja", "0|yes|x"], ["Nee", "0|no|x"]]]


@pytest.fixture(params=["aiogram", "ptb"])
async def wired(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Transport, Emulator]]:
    emulator = Emulator(TOKEN)
    runner, base = await serve_emulator(emulator)
    try:
        if request.param == "aiogram":
            bot = AiogramBot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(base)))
            yield AiogramTransport(bot), emulator
            await bot.session.close()
        else:
            async with PtbBot(TOKEN, base_url=f"{base}/bot") as ptb:
                yield PtbTransport(ptb), emulator
    finally:
        await runner.cleanup()


async def test_send_and_edit_show_on_the_phone(wired: tuple[Transport, Emulator]) -> None:
    transport, emulator = wired
    message_id = await transport.send(CHAT, "Is er nu acuut gevaar?", BUTTONS)
    shown = emulator.chats[CHAT][-1]
    assert (shown.message_id, shown.text) == (message_id, "Is er nu acuut gevaar?")
    assert [[b["text"] for b in row] for row in shown.keyboard] == [["Ja", "Nee"]]
    await transport.edit(CHAT, message_id, "Is er nu acuut gevaar?\n→ Nee", [])
    await transport.edit(CHAT, message_id, "Is er nu acuut gevaar?\n→ Nee", [])  # not modified: fine
    await transport.edit_markup(CHAT, message_id, [])
    assert emulator.chats[CHAT][-1].text.endswith("→ Nee") and not emulator.chats[CHAT][-1].keyboard


@pytest.mark.parametrize(
    ("status", "expected"),
    [(429, RetryLater), (403, Undeliverable), (400, Undeliverable), (502, Transient)],
)
async def test_telegrams_refusals_become_retry_decisions(
    wired: tuple[Transport, Emulator], status: int, expected: type[Exception]
) -> None:
    transport, emulator = wired
    emulator.faults.append(Fault("sendMessage", status, 1, retry_after=3))
    with pytest.raises(expected) as raised:
        await transport.send(CHAT, "hallo", [])
    if isinstance(raised.value, RetryLater):
        assert raised.value.retry_after == 3
    assert CHAT not in emulator.chats or not emulator.chats[CHAT]
    assert await transport.send(CHAT, "hallo", []) > 0  # the next call goes through


async def test_an_edit_of_a_message_that_is_gone_is_undeliverable(wired: tuple[Transport, Emulator]) -> None:
    transport, _ = wired
    with pytest.raises(Undeliverable):
        await transport.edit(CHAT, 999, "x", [])


async def test_a_pressed_button_is_answered_with_its_short_text() -> None:
    emulator = Emulator(TOKEN)
    runner, base = await serve_emulator(emulator)
    bot = AiogramBot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(base)))
    try:
        transport = AiogramTransport(bot)
        await transport.answer("77", "Deze knop is niet (meer) geldig.")
        await transport.answer("78", None)
        assert emulator.answers["77"] == {"text": "Deze knop is niet (meer) geldig.", "show_alert": False}
        assert emulator.answers["78"] == {"text": None, "show_alert": False}
    finally:
        await bot.session.close()
        await runner.cleanup()


async def test_telegram_out_of_reach_is_transient() -> None:
    nobody = TelegramAPIServer.from_base(f"http://127.0.0.1:{free_port()}")
    wrong = AiogramBot(TOKEN, session=JsonSession(api=nobody))
    try:
        with pytest.raises(Transient):
            await AiogramTransport(wrong).send(CHAT, "hallo", [])
    finally:
        await wrong.session.close()


def test_the_transport_needs_the_json_session() -> None:
    with pytest.raises(TypeError, match="JsonSession"):
        AiogramTransport(AiogramBot(TOKEN))
