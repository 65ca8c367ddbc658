"""The front door, on both adapters: polling confirms only what is stored, and updates that Telegram never
sends (a forged sender, a bot, impossible ids) are refused and audited before anything else happens."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.models import AuditEntry, Conversation, InboxUpdate
from tests.e2e.harness import Stack

pytestmark = pytest.mark.e2e

WENDY, WILLEM, GGD = 1001, 1003, -1001001


async def test_polling_confirms_an_update_only_once_it_is_stored(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None and stack.runtime is not None
    gate = stack.runtime.gate
    held = asyncio.Event()
    real = gate._takes._write

    async def slow_store(updates: list[Any]) -> list[Any]:
        held.set()
        await asyncio.Event().wait()  # the database never answers: as if the process died right here
        return await real(updates)

    gate._takes._write = slow_store
    update_id = await phone.send(WENDY, "/help")
    await asyncio.wait_for(held.wait(), 5)
    polls = stack.emulator.calls.get("getUpdates", 0)
    await asyncio.sleep(1.5)  # longer than a long poll: a library's own loop would have asked again
    # Not confirmed: Telegram (the emulator) still holds it, and no further getUpdates moved past it.
    assert update_id in [u["update_id"] for u in stack.emulator.updates]
    assert stack.emulator.calls.get("getUpdates", 0) == polls

    # The process dies with the update unstored; the next one gets it from Telegram again and answers.
    assert stack._task is not None and stack.core is not None
    stack._task.cancel()
    await asyncio.gather(stack._task, return_exceptions=True)
    await stack.core.close()
    await stack.start_bot()
    await phone.expect(WENDY, "/signaal")
    await stack.settle()
    assert update_id not in [u["update_id"] for u in stack.emulator.updates]


def _message(sender: dict[str, Any], chat: dict[str, Any], text: str = "/signaal S-AAAAAA") -> dict[str, Any]:
    return {"message": {"message_id": 7, "date": 0, "from": sender, "chat": chat, "text": text}}


ATTACKER = {"id": 6666, "is_bot": False, "first_name": "A"}
FORGED = [
    # A forged sender beside the attacker's own private chat: would have been answered into that chat.
    (
        _message({"id": WENDY, "is_bot": False, "first_name": "W"}, {"id": 6666, "type": "private"}),
        "chat_is_not_sender",
    ),
    (_message({"id": 7777, "is_bot": True, "first_name": "B"}, {"id": GGD, "type": "group"}), "from_bot"),
    (_message({"id": 2**64, "is_bot": False, "first_name": "X"}, {"id": 2**64, "type": "private"}), "bad_id"),
    (_message(ATTACKER, {"id": -(2**70), "type": "group"}), "bad_id"),
    (_message(ATTACKER, {"id": -100500, "type": "channel"}), "chat_type"),
    (
        {"message": {"message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hi"}},
        "no_sender",
    ),
    (
        {
            "callback_query": {
                "id": "q",
                "from": ATTACKER,
                "chat_instance": "1",
                "data": "é" * 40,
                "message": {"message_id": 1, "date": 0, "chat": {"id": 6666, "type": "private"}},
            }
        },
        "bad_callback_data",
    ),
]


@pytest.mark.parametrize(("update", "reason"), FORGED, ids=[r for _, r in FORGED])
async def test_an_update_telegram_never_sends_is_refused_and_audited(
    stack: Stack, update: dict[str, Any], reason: str
) -> None:
    phone = stack.phone
    assert phone is not None
    mark = {chat: await phone.last_id(chat) for chat in (WENDY, 6666, GGD)}
    await phone.raw_update(update)
    await stack.settle()
    async with stack.uow() as uow:
        refused = [a.detail for a in await uow.audit.query() if a.action == "update_refused"]
        stored = await uow.session.scalar(select(func.count(InboxUpdate.update_id)))
        talks = await uow.session.scalar(select(func.count(Conversation.id)))
    assert refused == [{"reason": reason}]
    assert stored == 0 and talks == 0  # nothing stored, nothing started
    for chat, last in mark.items():
        assert await phone.last_id(chat) == last  # and nothing said anywhere
    # The bot goes on as usual.
    await phone.send(WENDY, "/help")
    await phone.expect(WENDY, "/signaal")


async def test_a_refused_update_is_counted_once_in_the_audit(stack: Stack) -> None:
    await test_an_update_telegram_never_sends_is_refused_and_audited(stack, *FORGED[0])
    async with stack.uow() as uow:
        count = await uow.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "update_refused")
        )
    assert count == 1


GERDA, CARLA, WIJKTEAM = 2001, 3001, -1002002


async def test_a_desk_list_is_shown_only_in_its_own_group_or_privately(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    mark = await phone.last_id(WIJKTEAM)
    await phone.send(GERDA, "/open", chat_id=WIJKTEAM)  # Gerda (GGD) in the wijkteam's group
    refusal = await phone.expect(WIJKTEAM, "eigen meldpunt", after=mark)
    assert refusal["text"] == "Dit overzicht kan alleen privé of in de groepschat van uw eigen meldpunt."
    await stack.settle()
    assert [m["text"] for m in await phone.bot_messages(WIJKTEAM) if m["message_id"] > mark] == [
        refusal["text"]
    ]
    await phone.send(GERDA, "/open", chat_id=GGD)
    await phone.expect(GGD, "geen open signalen")
    await phone.send(GERDA, "/open")
    await phone.expect(GERDA, "geen open signalen")


async def test_deactivating_is_private_and_takes_only_a_real_number(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(CARLA, "/deactiveer 1001", chat_id=GGD)
    await phone.expect(GGD, "Dit kan alleen in een privégesprek met de bot.")
    for odd in ("١٠٠١", "²", "9" * 25, "1001\u200b", "-1001", "0x3e9"):
        mark = await phone.last_id(CARLA)
        await phone.send(CARLA, f"/deactiveer {odd}")
        await phone.expect(CARLA, "Dat kan niet", after=mark)
    async with stack.uow() as uow:
        wendy = await uow.users.by_telegram_id(WENDY)
        assert wendy is not None and wendy.active
    await phone.send(CARLA, "/antwoord S-AAAAAA", chat_id=GGD)
    await phone.expect(GGD, "Antwoorden kan alleen in een privégesprek")


@pytest.mark.parametrize(
    ("who", "shows", "hides"),
    [
        (WENDY, ["/signaal —", "/mijn", "/antwoord"], ["/open", "/waakvlam", "/deactiveer", "/regiobeeld"]),
        (GERDA, ["/signaal —", "/open", "/antwoord", "/waakvlam —"], ["/waakvlammen", "/deactiveer"]),
        (CARLA, ["/signaal —", "/waakvlam —", "/waakvlammen", "/deactiveer", "/regiobeeld"], ["/open"]),
    ],
    ids=["field worker", "desk staff", "coordinator"],
)
async def test_help_lists_only_what_this_person_may_do(
    stack: Stack, who: int, shows: list[str], hides: list[str]
) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(who, "/help")
    text = (await phone.expect(who, "Bij acuut gevaar: bel 112"))["text"]
    for line in shows:
        assert line in text, line
    for line in hides:
        assert line not in text, line
    await phone.send(who, "/taal en")
    await phone.send(who, "/help")
    english = (await phone.expect(who, "call 112"))["text"]
    assert ("/open" in english) == ("/open" in shows)


async def test_a_desk_group_keeps_the_desks_language_whatever_one_member_chose(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(GERDA, "/taal en")
    await phone.expect(GERDA, "Language set: English.")
    await phone.send(GERDA, "/open", chat_id=GGD)
    await phone.expect(GGD, "heeft geen open signalen")
    await phone.send(GERDA, "/help", chat_id=GGD)
    await phone.expect(GGD, "Bij acuut gevaar: bel 112")
    await phone.send(GERDA, "/waakvlam", chat_id=GGD)
    await phone.expect(GGD, "Een waakvlam vastleggen kan alleen in een privégesprek")
    await phone.send(GERDA, "/signaal", chat_id=GGD)
    await phone.expect(GGD, "Een signaal doorgeven kan alleen in een privégesprek")
    assert not [
        m for m in await phone.bot_messages(GGD) if "private chat" in m["text"] or "call 112" in m["text"]
    ]
    # In her own chat she reads English.
    await phone.send(GERDA, "/open")
    await phone.expect(GERDA, "has no open signals")


async def test_people_writing_at_once_to_a_bot_just_started_ask_telegram_its_name_once(stack: Stack) -> None:
    """A command may name the bot (/help@bot), so the bot needs its own name: asked of Telegram once, not
    once per person whose message arrives before the first answer (a thundering herd at start-up)."""
    phone = stack.phone
    assert phone is not None
    people = (WENDY, 1002, WILLEM)
    await asyncio.gather(*(phone.send(person, "/help") for person in people))
    for person in people:
        await phone.expect(person, "/signaal")
    assert stack.emulator.calls.get("getMe", 0) == 1
