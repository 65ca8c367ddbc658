"""An erased or purged signal leaves the chats: what the bot sent about it is deleted, or edited down."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from storage.models import Signal, SignalMessage
from tests.e2e.harness import Stack, cli, file_intake, stored_values

pytestmark = pytest.mark.e2e

WENDY, GERDA, GGD = 1001, 2001, -1001001
ERASED = "Dit bericht ging over een signaal dat is verwijderd."
TYPED = ("ZZ-4711", "Lewenborg", "Mevrouw roept om hulp")


_cli = cli


async def _file_and_read(stack: Stack) -> str:
    """Wendy files; Gerda reads it privately; return the signal's code."""
    phone = stack.phone
    assert phone is not None
    await file_intake(
        phone, WENDY, ["Verward of zorgwekkend gedrag"], ref=TYPED[0], area=TYPED[1], description=TYPED[2]
    )
    summary = await phone.expect(GGD, "Nieuw signaal")
    ref = summary["text"].split()[2]
    assert TYPED[2] in await phone.details(GERDA, ref)  # read on the region's server
    await stack.settle()
    return ref


def _bot_texts(stack: Stack) -> list[str]:
    return [m.text for chat in stack.emulator.chats.values() for m in chat if m.sender.get("is_bot")]


def _all_texts(stack: Stack) -> list[str]:
    """Every message in every chat, the people's own too."""
    return [m.text for chat in stack.emulator.chats.values() for m in chat]


async def test_after_an_erasure_no_chat_shows_the_signal(stack: Stack) -> None:
    ref = await _file_and_read(stack)
    shown = [t for t in _bot_texts(stack) if ref in t or TYPED[2] in t]
    assert len(shown) >= 3  # the desk's summary, the filer's receipt, Gerda's /signaal line

    assert not any(TYPED[2] in t for t in _all_texts(stack))  # typed on the form: never in a chat
    assert "erased 1 signals" in await _cli(stack, "erase-person", TYPED[0], "--yes")
    await stack.settle()

    # Not in any chat, the filer's own typed messages included (a bot deletes those in a private chat).
    for text in _all_texts(stack):
        assert not any(t in text for t in TYPED), text
    for text in _bot_texts(stack):
        assert ref not in text, text
    # Within Telegram's 48 hours every one was deleted, not edited.
    assert ERASED not in _bot_texts(stack)
    async with stack.uow() as uow:
        assert await uow.session.scalar(select(func.count(SignalMessage.id))) == 0


async def test_past_48_hours_the_summaries_are_edited_down_instead(stack: Stack) -> None:
    ref = await _file_and_read(stack)
    phone = stack.phone
    assert phone is not None
    group_before = [m.message_id for m in stack.emulator.chats[GGD] if ref in m.text]
    stack.emulator.offset += timedelta(hours=49).total_seconds()

    await _cli(stack, "erase-person", TYPED[0], "--yes")
    await stack.settle()

    group_after = {m.message_id: m.text for m in stack.emulator.chats[GGD]}
    assert [group_after[i] for i in group_before] == [ERASED]
    gerda = [m["text"] for m in await phone.bot_messages(GERDA)]
    assert ERASED in gerda and not any(TYPED[2] in t for t in gerda)
    for text in _bot_texts(stack):
        assert ref not in text and not any(t in text for t in TYPED), text


async def test_the_retention_purge_takes_old_signals_out_of_the_chats_too(stack: Stack) -> None:
    ref = await _file_and_read(stack)
    async with stack.uow() as uow:
        # Closed long ago, its outbox rows purged already: the messages are still found by their Telegram ids.
        await uow.session.execute(
            update(Signal).values(status="afgesloten", closed_at=func.now() - timedelta(days=400))
        )
        await uow.commit()
    async with stack.uow() as uow:
        assert await uow.outbox.purge_finished(stack.clock.now() + timedelta(days=1), dry_run=False) > 0
        await uow.commit()

    assert "purged: 1 closed signals" in await _cli(stack, "purge")
    await stack.settle()

    for text in _bot_texts(stack):
        assert ref not in text and not any(t in text for t in TYPED), text


async def test_an_erasure_reaches_every_copy_of_what_was_typed_and_the_export_shows_them(
    stack: Stack,
) -> None:
    """The raw updates, the queued and sent messages and a conversation in progress held the resident's
    reference, area and description too: the export lists them, and after the erasure the whole database,
    decrypted, holds none of it (a question the desk asked and its answer included)."""
    phone = stack.phone
    assert phone is not None
    await _file_and_read(stack)
    summary = next(m for m in await phone.messages(GGD) if "Nieuw signaal" in m["text"])
    await phone.press(GERDA, "Info vragen", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GERDA, "Welke vraag wilt u de melder stellen?")
    await phone.fill(GERDA, "Woont Lewenborg-mevrouw alleen?")
    await phone.expect(WENDY, "heeft een vraag over uw signaal")
    await phone.expect(WENDY, "voor uw antwoord")
    # The guard takes the number out of the stored answer (on the form).
    await phone.fill(WENDY, "Nee, ZZ-4711 belt zelf nooit, dochter 06-12345678", choice="redact")
    await phone.expect(GERDA, "De melder heeft uw vraag")
    # Wendy starts a second signal about the same resident and stops halfway: it is in her conversation.
    await phone.send(WENDY, "/signaal")
    await stack.settle()
    stored = await stored_values(stack)
    assert all(t in stored for t in TYPED)

    exported = json.loads(await _cli(stack, "export-person", TYPED[0]))
    # Typed on the form, never through Telegram: no update received and no message sent holds it.
    received = json.dumps(exported["copies"]["received_updates"], ensure_ascii=False)
    assert TYPED[2] not in received and "06-12345678" not in received
    assert not any(TYPED[2] in text for text in exported["copies"]["sent_messages"])
    assert TYPED[2] in json.dumps(exported, ensure_ascii=False)  # the signal itself is in the export

    assert "erased 1 signals" in await _cli(stack, "erase-person", TYPED[0], "--yes")
    await stack.settle()
    stored = await stored_values(stack)
    for typed in (*TYPED, "Lewenborg-mevrouw", "belt zelf nooit", "06-12345678"):
        assert typed not in stored, [
            line[max(0, line.index(typed) - 300) : line.index(typed) + 100]
            for line in stored.splitlines()
            if typed in line
        ]
    async with stack.uow() as uow:  # the audit says how many copies went (by a hash of the reference)
        (entry,) = [a for a in await uow.audit.query() if a.action == "person_erased"]
    assert int(entry.detail["copies"]) == 0  # typed on the form: no update or message held a copy
