"""aiogram's Telegram types are built when first used, not all at import; the ones the bot uses work.

Each check runs in a fresh interpreter: this test process may have imported aiogram the usual way."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

PRELUDE = "from handlers.aiogram_models import build_used, import_deferred\nimport_deferred()\n"


def run(code: str) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, "-c", PRELUDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_the_adapters_leaves_telegram_types_unbuilt() -> None:
    seen = run(
        """
        import json
        import handlers.aiogram_runtime
        from aiogram.types import Poll, Sticker, Update
        print(json.dumps({t.__name__: t.__pydantic_complete__ for t in (Poll, Sticker, Update)}))
        """
    )
    assert seen == {"Poll": False, "Sticker": False, "Update": False}


def test_build_used_builds_the_update_and_the_methods_the_bot_calls() -> None:
    seen = run(
        """
        import json
        from aiogram.methods import GetUpdates, SendMessage, SendPoll, SetWebhook
        from aiogram.types import Poll, Update
        build_used()
        print(json.dumps({t.__name__: t.__pydantic_complete__
                          for t in (Update, GetUpdates, SetWebhook, SendMessage, SendPoll, Poll)}))
        """
    )
    # The outbox's calls (sendMessage, the edits, answering a button) go as plain JSON: no models.
    assert seen == {
        "Update": True,
        "GetUpdates": True,
        "SetWebhook": True,
        "SendMessage": False,
        "SendPoll": False,
        "Poll": False,
    }


def test_a_pressed_button_parses_and_a_keyboard_serialises_as_before() -> None:
    seen = run(
        """
        import json
        from aiogram.client.session.base import Response
        from aiogram.methods import SendMessage
        from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
        build_used()
        user = {"id": 5, "is_bot": False, "first_name": "Anna"}
        chat = {"id": 5, "type": "private"}
        update = Update.model_validate({"update_id": 9, "callback_query": {
            "id": "q", "chat_instance": "c", "data": "abc", "from": user,
            "message": {"message_id": 4, "date": 0, "chat": chat, "text": "Vraag"}}})
        keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Ja", callback_data="j")]])
        sent = SendMessage(chat_id=5, text="x", reply_markup=keyboard).model_dump(warnings=False)
        answer = Response[SendMessage.__returning__].model_validate(
            {"ok": True, "result": {"message_id": 7, "date": 0, "chat": chat, "text": "x"}})
        print(json.dumps({
            "data": update.callback_query.data,
            "question": update.callback_query.message.text,
            "dumped": update.model_dump(mode="json", exclude_none=True, by_alias=True)["callback_query"]["from"],
            "button": sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
            "message_id": answer.result.message_id,
        }))
        """
    )
    assert seen == {
        "data": "abc",
        "question": "Vraag",
        "dumped": {"id": 5, "is_bot": False, "first_name": "Anna"},
        "button": "j",
        "message_id": 7,
    }


def test_a_type_the_bot_never_built_still_builds_when_first_met() -> None:
    # A method outside USED_METHODS (and its nested types) resolves its names on first use.
    seen = run(
        """
        import json
        from aiogram.client.session.base import Response
        from aiogram.methods import GetChat
        chat = Response[GetChat.__returning__].model_validate({"ok": True, "result": {
            "id": 3, "type": "group", "title": "GGD", "accent_color_id": 1, "max_reaction_count": 1,
            "accepted_gift_types": {"unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True,
                                    "premium_subscription": True, "gifts_from_channels": True}}})
        print(json.dumps({"title": chat.result.title}))
        """
    )
    assert seen == {"title": "GGD"}


def test_the_installed_libraries_are_the_ones_the_patch_was_checked_against() -> None:
    """The patch leans on how aiogram builds its models and how pydantic defers: a release outside the
    checked range fails here first, and the pin in pyproject.toml says the same."""
    from importlib.metadata import version

    from packaging.version import Version

    from handlers.aiogram_models import CHECKED_WITH

    pinned = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())
    needs = " ".join(pinned["project"]["dependencies"])
    for name, (low, high) in CHECKED_WITH.items():
        assert Version(low) <= Version(version(name)) < Version(high), name
        assert f"{name}>={low},<{high}" in needs, name
