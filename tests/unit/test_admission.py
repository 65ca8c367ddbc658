"""What the inbox keeps of an update as Telegram sent it (bot.runtime.admission.storable)."""

from __future__ import annotations

from typing import Any

from bot.runtime.admission import storable

WENDY = {"id": 1001, "is_bot": False, "first_name": "Wendy"}
KEYBOARD = {"inline_keyboard": [[{"text": "Zorgen", "callback_data": "f:c:zorg"}]]}


def _pressed(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "update_id": 7,
        "callback_query": {"id": "7", "from": WENDY, "data": "f:c:zorg", "message": message},
    }


def test_a_pressed_buttons_message_is_kept_and_read_without_its_keyboard() -> None:
    sent = {"message_id": 3, "date": 0, "chat": {"id": 1001, "type": "private"}, "text": "Waar gaat het om?"}
    update = _pressed({**sent, "reply_markup": KEYBOARD})
    kept, readable = storable(update)
    assert readable
    assert kept == _pressed(sent)  # the rest as it came: the button's data, who pressed it, the chat
    assert update["callback_query"]["message"]["reply_markup"] == KEYBOARD  # the caller's dict untouched


def test_what_the_inbox_cannot_hold_is_kept_escaped_and_not_acted_on() -> None:
    message = {"message_id": 3, "date": 2**70, "chat": {"id": 1001, "type": "private"}, "from": WENDY}
    kept, readable = storable({"update_id": 8, "message": {**message, "text": "\ud800 meneer"}})
    assert not readable
    assert kept["message"]["date"] == str(2**70)
    assert kept["message"]["text"] == "\\ud800 meneer"


def test_an_ordinary_message_is_kept_as_it_came() -> None:
    update = {"update_id": 9, "message": {"message_id": 3, "date": 0, "chat": {"id": 1001}, "from": WENDY}}
    assert storable(update) == (update, True)
