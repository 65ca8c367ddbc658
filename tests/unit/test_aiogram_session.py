"""Bot API calls go as one JSON body; a call with a file attached still goes as a form."""

from __future__ import annotations

import json

from aiogram import Bot
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup
from aiohttp import FormData, JsonPayload

from handlers.aiogram_session import JsonSession

BOT = Bot("123456:" + "A" * 35)


def test_a_message_with_a_keyboard_is_one_json_body_without_empty_fields() -> None:
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Ja", callback_data="j")]])
    body = JsonSession().build_form_data(BOT, SendMessage(chat_id=5, text="Vraag?", reply_markup=keyboard))
    assert isinstance(body, JsonPayload)
    assert body.content_type == "application/json"
    assert json.loads(body.decode()) == {
        "chat_id": 5,
        "text": "Vraag?",
        "reply_markup": {"inline_keyboard": [[{"text": "Ja", "callback_data": "j"}]]},
    }


def test_a_file_goes_as_a_form() -> None:
    method = SendDocument(chat_id=5, document=BufferedInputFile(b"x", filename="export.json"))
    assert isinstance(JsonSession().build_form_data(BOT, method), FormData)
