"""The aiogram router: every filter and handler is a coroutine, so no update waits for a worker thread."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message

from handlers.aiogram_router import HasText, build_router

CHAT = {"id": 5, "type": "private"}
PERSON = {"id": 5, "is_bot": False, "first_name": "Anna"}


def _message(**content: Any) -> Message:
    return Message.model_validate({"message_id": 1, "date": 0, "chat": CHAT, "from": PERSON, **content})


def test_no_filter_or_handler_runs_in_a_worker_thread() -> None:
    # aiogram runs a plain function (F.text is one) with asyncio.to_thread: a thread hand-off per message.
    router = build_router()
    for observer in (router.message, router.callback_query):
        for handler in observer.handlers:
            assert handler.awaitable, handler.callback
            assert all(f.awaitable for f in handler.filters or []), handler.callback


async def test_text_goes_to_the_text_handler_and_a_photo_does_not() -> None:
    assert await HasText()(_message(text="Muziek tot diep in de nacht"))
    assert not await HasText()(_message(text=""))  # as F.text: Telegram sends no empty text anyway
    assert not await HasText()(
        _message(photo=[{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}])
    )
