"""A signal in hand that goes quiet: "Loopt dit nog?" to its owner, privately, after ten working days
without activity; two working days without an answer, the coordinator. Time moves on the fake clock,
which starts on Monday 23 November 2026 at 09:00."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.e2e.harness import Phone, Stack, file_intake, no_bottleneck

pytestmark = pytest.mark.e2e

WILLEM, GERDA, CARLA, MIRJAM = 1003, 2001, 3001, 4001
GGD = -1001001
ASKED = "Loopt dit nog?"


async def _tick(stack: Stack) -> None:
    assert stack.core is not None and stack.runtime is not None
    await stack.run_due()
    await stack.settle()


async def _picked_up(timed: Stack) -> tuple[Phone, FakeClock, str, dict[str, Any]]:
    """Monday 09:00: a GGD signal, picked up by Gerda at once."""
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    ref = (await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"]))["text"].split()[2]
    summary = await phone.expect(GGD, "Nieuw signaal")
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")
    return phone, clock, ref, summary


def _about(msgs: list[dict[str, Any]], ref: str, words: str) -> list[dict[str, Any]]:
    return [m for m in msgs if ref in m["text"] and words in m["text"]]


async def test_a_quiet_signal_is_asked_about_privately_then_the_coordinator_hears(timed: Stack) -> None:
    phone, clock, ref, _ = await _picked_up(timed)
    clock.set(datetime(2026, 12, 7, 7, 59, tzinfo=UTC))  # Monday 7 Dec 08:59: ten working days less a minute
    await _tick(timed)
    assert _about(await phone.bot_messages(GERDA), ref, ASKED) == []
    clock.advance(timedelta(minutes=2))
    await _tick(timed)
    (asked,) = _about(await phone.bot_messages(GERDA), ref, ASKED)
    assert asked["text"] == (
        f"⏳ Loopt dit nog? Signaal {ref} (Assen) is bij u in behandeling; de laatste activiteit was op "
        "23 nov 2026 09:00. Kies wat er nu gebeurt."
    )
    assert asked["buttons"] == [["Loopt nog"], ["Doorzetten", "Afsluiten"]]
    assert _about(await phone.bot_messages(GGD), ref, ASKED) == []  # privately, never in the group
    clock.set(datetime(2026, 12, 9, 7, 59, tzinfo=UTC))  # Wednesday 08:59: two working days less a minute
    await _tick(timed)
    assert _about(await phone.bot_messages(CARLA), ref, "ligt stil") == []
    clock.advance(timedelta(minutes=2))
    await _tick(timed)
    (told,) = _about(await phone.bot_messages(CARLA), ref, "ligt stil")
    assert told["text"] == (
        f"⚠ Signaal {ref} in Assen ligt stil bij GGD Drenthe — Meldpunt Zorgwekkend Gedrag: geen activiteit "
        'sinds 23 nov 2026 09:00, en de vraag "Loopt dit nog?" aan Gerda (GGD Meldpunt) bleef onbeantwoord. '
        f"Bekijk het met /signaal {ref}."
    )
    # It no longer stops at the coordinators: it goes up the gemeente's ladder, raised by the bot itself.
    card = await phone.expect(
        MIRJAM, f"Trede 1: Teamleider van de organisatie\nOver: {ref} · reden: Het loopt vast"
    )
    assert "Opgeschaald door de bot (een vraag die niemand beantwoordde)" in card["text"]
    await phone.expect(CARLA, f"({ref}) ligt bij Teamleider van de organisatie (Mirjam (teamleider GGD))")
    clock.advance(timedelta(days=3))
    await _tick(timed)
    assert len(_about(await phone.bot_messages(GERDA), ref, ASKED)) == 1  # once per quiet spell
    history = await phone.details(GERDA, ref)
    assert "geen activiteit: gevraagd of het nog loopt (GGD Drenthe" in history
    assert "ligt stil bij GGD Drenthe — Meldpunt Zorgwekkend Gedrag: de coördinatoren ingelicht" in history


async def test_loopt_nog_starts_the_count_again_and_nobody_else_is_told(timed: Stack) -> None:
    phone, clock, ref, _ = await _picked_up(timed)
    clock.set(datetime(2026, 12, 7, 8, 1, tzinfo=UTC))
    await _tick(timed)
    (asked,) = _about(await phone.bot_messages(GERDA), ref, ASKED)
    tap = await phone.press(GERDA, "Loopt nog", message_id=asked["message_id"])
    await timed.settle()
    assert (await phone.callback_answer(tap) or {}).get("text") == "Dank u."
    noted = next(m for m in await phone.messages(GERDA) if m["message_id"] == asked["message_id"])
    assert noted["text"] == (
        f"✓ Genoteerd: signaal {ref} loopt nog. Na 10 werkdagen zonder activiteit vraagt de bot het opnieuw."
    )
    assert noted["buttons"] == []
    clock.set(datetime(2026, 12, 18, 8, 1, tzinfo=UTC))  # Friday 18 Dec: past the old answer time
    await _tick(timed)
    assert _about(await phone.bot_messages(CARLA), ref, "ligt stil") == []
    assert _about(await phone.bot_messages(GERDA), ref, ASKED) == []  # the answered one now says "Genoteerd"
    clock.set(datetime(2026, 12, 21, 8, 2, tzinfo=UTC))  # Monday 21 Dec 09:02: ten working days on
    await _tick(timed)
    assert len(_about(await phone.bot_messages(GERDA), ref, ASKED)) == 1
    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None
        kinds = [e.kind for e in await uow.signals.events_of(signal.id)]
    assert kinds == ["filed", "picked_up", "idle_asked", "still_running", "idle_asked"]


async def test_activity_moves_the_question_and_closing_from_it_ends_the_watch(timed: Stack) -> None:
    phone, clock, ref, summary = await _picked_up(timed)
    clock.set(datetime(2026, 11, 26, 8, 0, tzinfo=UTC))  # Thursday 26 Nov 09:00: Gerda marks it urgent
    await phone.press(GERDA, "⚑ Urgent", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "⚑ Urgent · Status")
    clock.set(
        datetime(2026, 12, 9, 8, 1, tzinfo=UTC)
    )  # Wednesday 9 Dec: ten days after pick-up, not after it
    await _tick(timed)
    assert _about(await phone.bot_messages(GERDA), ref, ASKED) == []
    clock.set(datetime(2026, 12, 10, 8, 1, tzinfo=UTC))  # Thursday 10 Dec 09:01: ten after the mark
    await _tick(timed)
    (asked,) = _about(await phone.bot_messages(GERDA), ref, ASKED)
    # Afsluiten on the private question asks the outcome right there, in the same private chat.
    tap = await phone.press(GERDA, "Afsluiten", message_id=asked["message_id"])
    choose = await phone.expect(GERDA, f"Signaal {ref} afsluiten: hoe is het afgehandeld?")
    await timed.settle()
    assert not (await phone.callback_answer(tap) or {}).get("text")
    await phone.press(GERDA, "Hulp gestart", message_id=choose["message_id"])
    await phone.press(GERDA, "Overslaan", message_id=(await phone.expect(GERDA, "notitie"))["message_id"])
    await no_bottleneck(phone, GERDA)
    await phone.press(
        GERDA, "Versturen", message_id=(await phone.expect(GERDA, "Tik op Versturen"))["message_id"]
    )
    await phone.expect(WILLEM, "afgesloten: er is hulp gestart")
    clock.advance(timedelta(days=7))
    await _tick(timed)
    assert _about(await phone.bot_messages(CARLA), ref, "ligt stil") == []
