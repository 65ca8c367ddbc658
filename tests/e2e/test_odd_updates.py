"""Odd updates at the polling door, on both adapters: each is refused or kept as unreadable, polling moves
on (the next person is answered), the same input gets the same treatment on both adapters, and no log line
holds what a person typed; every line is JSON."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import structlog
from sqlalchemy import func, select

from bot.app.logging import configure
from storage.runtime_tables import InboxUpdate
from tests.conftest import ADAPTERS
from tests.e2e.harness import Stack, sqlite_url

pytestmark = pytest.mark.e2e

WENDY = 1001
TYPED = ("Jansen", "111222333", "Pietersen", "Kerkstraat")


def _message(text: Any, sender: dict[str, Any] | None = None) -> dict[str, Any]:
    sender = sender if sender is not None else {"id": WENDY, "is_bot": False, "first_name": "Wendy"}
    return {
        "message": {
            "message_id": 900,
            "date": 0,
            "chat": {"id": sender["id"], "type": "private"},
            "from": sender,
            "text": text,
        }
    }


ODD = {
    "lone_surrogate": _message("\ud800 mevrouw Jansen BSN 111222333"),
    "no_first_name": _message("BSN 111222333 meneer Pietersen", {"id": WENDY, "is_bot": False}),
    "number": _message(111222333),
    "list": _message(["Kerkstraat 1", "Jansen"]),
    "empty": _message(""),
    "nothing_else": {},
    # A number past 64 bits where admission checks none (orjson, which stores every update, refuses it).
    "huge_number": {"message": {**_message("hallo")["message"], "date": 2**70}},
}


@pytest.fixture
def json_logs() -> Any:
    configure("INFO", json=True)
    yield
    logging.getLogger().handlers.clear()
    logging.captureWarnings(False)
    structlog.reset_defaults()


async def test_odd_updates_neither_stop_polling_nor_reach_the_logs(
    stack: Stack, json_logs: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    phone = stack.phone
    assert phone is not None
    ids = {name: await phone.raw_update(body) for name, body in ODD.items()}
    await phone.send(WENDY, "/mijn")  # polling went past them: the next message is answered
    await phone.expect(WENDY, "U heeft nog geen signalen doorgegeven")
    await stack.settle()
    async with stack.uow() as uow:
        stored = {u.update_id: u for u in await uow.session.scalars(select(InboxUpdate))}
    # The lone surrogate could not be stored as it came: it is kept escaped, handled, never replayed.
    kept = stored[ids["lone_surrogate"]]
    assert kept.processed_at is not None and "\\ud800" in json.dumps(kept.payload)
    # So is a number past 64 bits (it stopped polling when the inbox's JSON refused it): kept as text.
    huge = stored[ids["huge_number"]]
    assert huge.processed_at is not None and huge.payload["message"]["date"] == str(2**70)
    # The same refusal on both adapters: nothing stored for a text that is no text, or no sender's name.
    for name in ("no_first_name", "number", "list", "empty", "nothing_else"):
        assert ids[name] not in stored, name
    replies = [m["text"] for m in await phone.bot_messages(WENDY)]
    assert not [r for r in replies if "Er ging iets mis" in r]
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    for line in lines:
        json.loads(line)  # every line is one JSON object
        assert not any(word in line for word in TYPED), line


@pytest.fixture(params=ADAPTERS)
async def guarded(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    """A stack with the product's budget per sender (the harness lifts it: tests tap faster than people)."""
    s = Stack(
        sqlite_url(tmp_path), adapter=request.param, extra={"sender_burst": 60, "sender_per_second": 1.0}
    )
    await s.start()
    yield s
    await s.close()


async def test_one_sender_cannot_flood_the_bot_and_a_stranger_gets_one_answer(guarded: Stack) -> None:
    """Wendy's phone sends /mijn 300 times in a row: some sixty are answered, the rest are dropped at the
    door (one audit row for the whole run); a stranger's 100 'hallo' get one answer. Willem, meanwhile, is
    answered as always."""
    stack = guarded
    phone = stack.phone
    assert phone is not None
    for _ in range(300):
        await phone.raw_update(_message("/mijn"))
    for _ in range(100):
        await phone.raw_update(_message("hallo", {"id": 5555, "is_bot": False, "first_name": "X"}))
    await phone.send(1003, "/mijn")
    await phone.expect(1003, "U heeft nog geen signalen doorgegeven")
    await stack.settle()
    answered = [m for m in await phone.bot_messages(WENDY) if "signalen" in m["text"]]
    assert 60 <= len(answered) <= 90, len(answered)
    assert len(await phone.bot_messages(5555)) == 1
    async with stack.uow() as uow:
        refused = [a for a in await uow.audit.query() if a.action == "update_refused"]
        stored = await uow.session.scalar(select(func.count()).select_from(InboxUpdate))
    # One audit row per flooding sender, for the whole run (the stranger's 100 went past the budget too).
    assert sorted((a.actor_telegram_id, a.detail["reason"]) for a in refused) == [
        (WENDY, "flood"),
        (5555, "flood"),
    ]
    assert stored is not None and stored < 200  # what was dropped was never stored
