"""Time moves on a fake clock: escalation through the AVE tiers, and the daily digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.e2e.harness import Phone, Stack, close_signal, file_intake, hand_over

pytestmark = pytest.mark.e2e

WILLEM, GERDA, CARLA = 1003, 2001, 3001
GGD, VT, ZVHD = -1001001, -1001002, -1001003


async def _tick(stack: Stack) -> int:
    assert stack.core is not None and stack.runtime is not None
    done = await stack.run_due()
    await stack.settle()
    return done


async def test_an_untaken_signal_climbs_the_ave_tiers(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"])
    ref = receipt["text"].split()[2]
    assert await _tick(timed) == 0  # the GGD has one working day (8.5 working hours)
    clock.advance(timedelta(hours=23, minutes=59))
    assert await _tick(timed) == 0
    clock.advance(timedelta(minutes=2))
    assert await _tick(timed) == 1
    reminder = await phone.expect(GGD, "Herinnering")
    assert ref in reminder["text"] and "de termijn liep af op 24 nov 2026 09:00" in reminder["text"]
    clock.advance(timedelta(hours=24))
    assert await _tick(timed) == 1
    tier2 = await phone.expect(CARLA, "AVE stap 2")
    assert (
        f"/signaal {ref}" in tier2["text"] and "sinds 24 nov 2026 09:00" in tier2["text"]
    )  # the SLA deadline
    clock.advance(timedelta(hours=24))
    assert await _tick(timed) == 1
    tier3 = await phone.expect(ZVHD, "AVE stap 3")
    assert ref in tier3["text"]
    # Three tiers, and then it does not stop: it goes up the gemeente's ladder, a teamleider first.
    await phone.expect(4001, f"Trede 1: Teamleider van de organisatie\nOver: {ref} · reden: Het loopt vast")
    clock.advance(timedelta(days=30))
    assert await _tick(timed) == 1  # the AVE tiers are done; the ladder's first rung ran out and it climbed
    await phone.expect(CARLA, f"Trede 2: Gemeentelijk procesregisseur (AVE stap 2)\nOver: {ref}")
    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None
        kinds = [e.kind for e in await uow.signals.events_of(signal.id)]
    assert kinds == ["filed", "escalated_1", "escalated_2", "escalated_3"]


async def test_a_friday_afternoon_signal_is_chased_on_working_days_only(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    clock.set(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))  # Friday 27 November, 16:00 in Amsterdam
    receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"])
    ref = receipt["text"].split()[2]
    clock.set(datetime(2026, 11, 28, 15, 0, tzinfo=UTC))  # Saturday: calendar hours would remind now
    assert await _tick(timed) == 0
    clock.set(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))  # Sunday night: still the weekend
    assert await _tick(timed) == 0
    clock.set(datetime(2026, 11, 30, 14, 59, tzinfo=UTC))  # Monday 15:59: one working hour Friday, 7.5 today
    assert await _tick(timed) == 0
    clock.advance(timedelta(minutes=2))
    assert await _tick(timed) == 1
    reminder = await phone.expect(GGD, "Herinnering")
    assert ref in reminder["text"] and "30 nov 2026 16:00" in reminder["text"]
    assert [m for m in await phone.bot_messages(CARLA) if "Opschaling" in m["text"]] == []
    clock.set(datetime(2026, 12, 1, 15, 1, tzinfo=UTC))  # Tuesday 16:01: one working day after the deadline
    assert await _tick(timed) == 1
    tier2 = await phone.expect(CARLA, "AVE stap 2")
    assert "sinds 30 nov 2026 16:00" in tier2["text"]


async def test_escalation_stops_the_moment_someone_picks_it_up(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"])
    summary = await phone.expect(GGD, "Nieuw signaal")
    clock.advance(timedelta(hours=25))
    assert await _tick(timed) == 1  # the reminder
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(WILLEM, "in behandeling")
    clock.advance(timedelta(days=5))
    await _tick(timed)
    assert [m for m in await phone.bot_messages(CARLA) if "Opschaling" in m["text"]] == []
    assert [m for m in await phone.bot_messages(ZVHD) if "Opschaling" in m["text"]] == []


async def test_the_digest_tells_each_desk_only_what_there_is(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock) and timed.core is not None
    first = (await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"]))["text"].split()[2]
    clock.advance(timedelta(hours=22))  # Tuesday 07:00 in Amsterdam
    await file_intake(phone, WILLEM, ["Zelfverwaarlozing of vervuiling"], ref="R-2")
    clock.advance(timedelta(hours=1))  # 08:00
    async with timed.uow() as uow:
        assert await timed.core.digests.plan_today(uow) == len(timed.core.region.meldpunten)
        await timed.core.digests.plan_today(uow)  # a second instance planning too changes nothing
        await uow.commit()
    await _tick(timed)
    digest = await phone.expect(GGD, "Overzicht GGD Drenthe")
    assert "dinsdag 24 november 2026" in digest["text"]
    assert "Nieuw sinds het vorige overzicht: 2" in digest["text"] and "Open: 2" in digest["text"]
    assert "Over de termijn" not in digest["text"]
    assert [m for m in await phone.bot_messages(VT) if "Overzicht" in m["text"]] == []  # nothing to say
    clock.advance(timedelta(days=1, hours=2))  # Wednesday 10:00: the first is overdue now
    async with timed.uow() as uow:
        await timed.core.digests.plan_today(uow)
        await uow.commit()
    await _tick(timed)
    later = await phone.expect(GGD, "woensdag 25 november 2026")
    assert f"Over de termijn, nog niet opgepakt: {first}" in later["text"]
    assert "Nieuw sinds het vorige overzicht: 0" in later["text"]  # counted from Tuesday's digest
    overviews = [m for m in await phone.bot_messages(GGD) if m["text"].startswith("Overzicht")]
    assert len(overviews) == 2  # once per day


async def test_no_digest_on_christmas(timed: Stack) -> None:
    clock = timed.clock
    assert isinstance(clock, FakeClock) and timed.core is not None
    clock.set(datetime(2026, 12, 25, 7, 0, tzinfo=UTC))  # a Friday, and a public holiday
    async with timed.uow() as uow:
        assert await timed.core.digests.plan_today(uow) == 0
    clock.set(datetime(2026, 12, 28, 7, 0, tzinfo=UTC))  # the Monday after
    async with timed.uow() as uow:
        assert await timed.core.digests.plan_today(uow) > 0


async def test_a_reminder_claimed_by_an_instance_that_died_is_sent_once_after_restart(timed: Stack) -> None:
    from bot.runtime.due import LEASE

    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"])
    ref = receipt["text"].split()[2]
    clock.advance(timedelta(hours=25))
    async with timed.uow() as uow:  # an instance claims the reminder and dies before sending it
        assert [r.kind for r in await uow.due.claim(clock.now(), LEASE, 10)] == ["sla"]
        await uow.commit()
    await timed.restart_bot()
    assert await _tick(timed) == 0  # still leased by the dead instance
    clock.advance(LEASE + timedelta(seconds=1))
    assert await _tick(timed) == 1
    assert await _tick(timed) == 0
    reminders = [m for m in await phone.bot_messages(GGD) if "Herinnering" in m["text"] and ref in m["text"]]
    assert len(reminders) == 1


SANNE, WIJKTEAM = 2004, -1002002


async def _handed_over_to_the_wijkteam(timed: Stack) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Monday 09:00: a GGD signal, picked up by Gerda and handed over to the wijkteam (25.5 working hours)."""
    phone = timed.phone
    assert phone is not None
    ref = (await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"]))["text"].split()[2]
    summary = await phone.expect(GGD, "Nieuw signaal")
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")
    await hand_over(phone, GERDA, GGD, summary["message_id"], "Sociaal wijkteam Assen")
    incoming = await phone.expect(WIJKTEAM, f"Signaal {ref} · Assen")
    await timed.settle()
    return ref, summary, incoming


def _chased(msgs: list[dict[str, Any]], ref: str) -> list[dict[str, Any]]:
    return [m for m in msgs if ref in m["text"] and ("Herinnering" in m["text"] or "⚠" in m["text"])]


async def test_a_hand_over_nobody_answers_is_chased_then_scaled_up(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    ref, summary, _ = await _handed_over_to_the_wijkteam(timed)
    sender_view = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert (
        "wacht sinds 23 nov 2026 09:00" in sender_view["text"]
        and "blijft verantwoordelijk" in sender_view["text"]
    )
    clock.set(datetime(2026, 11, 26, 7, 59, tzinfo=UTC))  # Thursday 08:59: three working days less a minute
    await _tick(timed)
    assert _chased(await phone.bot_messages(WIJKTEAM), ref) == []
    clock.advance(timedelta(minutes=2))
    await _tick(timed)
    (reminder,) = _chased(await phone.bot_messages(WIJKTEAM), ref)
    assert "GGD Drenthe — Meldpunt Zorgwekkend Gedrag vroeg u op 23 nov 2026 09:00" in reminder["text"]
    assert _chased(await phone.bot_messages(CARLA), ref) == []
    clock.set(datetime(2026, 11, 27, 8, 1, tzinfo=UTC))  # Friday 09:01: one working day later
    await _tick(timed)
    (to_sender,) = _chased(await phone.bot_messages(GGD), ref)
    assert (
        "Sociaal wijkteam Assen heeft de overdracht" in to_sender["text"]
        and "U blijft verantwoordelijk" in to_sender["text"]
    )
    (to_carla,) = _chased(await phone.bot_messages(CARLA), ref)
    assert "Overdracht blijft liggen" in to_carla["text"] and f"/signaal {ref}" in to_carla["text"]
    # ... and up the gemeente's ladder, where a teamleider decides first (then it climbs by itself).
    await phone.expect(4001, f"Trede 1: Teamleider van de organisatie\nOver: {ref} · reden: Het loopt vast")
    clock.advance(timedelta(days=14))
    await _tick(timed)
    assert len(_chased(await phone.bot_messages(WIJKTEAM), ref)) == 1  # two tiers, then it stops
    history = await phone.details(GERDA, ref)
    assert "herinnering aan Sociaal wijkteam Assen: de overdracht is nog niet beantwoord" in history
    assert "overdracht blijft liggen bij Sociaal wijkteam Assen" in history


async def test_a_hand_over_answered_in_time_is_not_chased(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    ref, _, incoming = await _handed_over_to_the_wijkteam(timed)
    clock.set(datetime(2026, 11, 25, 10, 0, tzinfo=UTC))  # Wednesday
    await phone.press(SANNE, "Accepteren", chat_id=WIJKTEAM, message_id=incoming["message_id"])
    await phone.expect(WILLEM, "overgenomen")
    clock.advance(timedelta(days=10))
    await _tick(timed)
    for chat in (WIJKTEAM, GGD, CARLA):
        assert _chased(await phone.bot_messages(chat), ref) == []
    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and signal.handover_since is None


async def test_the_werkvoorraad_puts_urgent_then_overdue_first_and_says_who_has_it(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock) and timed.core is not None
    refs, summaries = [], []
    for i in range(3):  # Monday 09:00, 10:00 and 11:00
        mark = await phone.last_id(GGD)
        ref = (await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref=f"R-{i}"))[
            "text"
        ].split()[2]
        refs.append(ref)
        summaries.append(await phone.expect(GGD, f"Nieuw signaal {ref}", after=mark))
        clock.advance(timedelta(hours=1))
    first, second, third = refs
    clock.set(datetime(2026, 11, 24, 8, 30, tzinfo=UTC))  # Tuesday 09:30: only the first is past its deadline
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summaries[1]["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")
    tap = await phone.press(GERDA, "⚑ Urgent", chat_id=GGD, message_id=summaries[2]["message_id"])
    await timed.settle()
    assert (await phone.callback_answer(tap) or {}).get("text") == "Gemarkeerd als urgent."
    marked = next(m for m in await phone.messages(GGD) if m["message_id"] == summaries[2]["message_id"])
    assert (
        "⚑ Urgent · Status: nieuw" in marked["text"]
        and ["Niet meer urgent", "🧭 Regie", "🤝 Overleg"] in marked["buttons"]
    )
    await phone.send(GERDA, "/open")
    listing = await phone.expect(GERDA, "Open signalen van GGD Drenthe")
    lines = listing["text"].splitlines()[1:]
    assert [line.split(" · ")[0] for line in lines] == [f"⚑ {third}", f"⏰ {first}", second]
    assert lines[2] == f"{second} · 1 werkdag · Assen · in behandeling · bij Gerda (GGD Meldpunt)"
    async with timed.uow() as uow:
        await timed.core.digests.plan_today(uow)
        await uow.commit()
    await _tick(timed)
    digest = await phone.expect(GGD, "Overzicht GGD Drenthe")
    assert (
        f"⚑ Urgent: {third}" in digest["text"]
        and f"Over de termijn, nog niet opgepakt: {first}" in digest["text"]
    )
    await phone.press(GERDA, "Niet meer urgent", chat_id=GGD, message_id=summaries[2]["message_id"])
    await timed.settle()
    history = await phone.details(GERDA, third)
    assert "niet meer urgent" in history and "gemarkeerd als urgent" in history


async def _closed_by_gerda(phone: Phone, outcome: str, pick_up: bool) -> tuple[str, dict[str, Any]]:
    """A GGD signal, closed by Gerda with `outcome` (picked up first or not); the filer hears it."""
    ref = (await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"]))["text"].split()[2]
    summary = await phone.expect(GGD, "Nieuw signaal")
    if pick_up:
        await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
        await phone.expect(GGD, "Status: in behandeling bij")
    await close_signal(phone, GERDA, GGD, summary["message_id"], outcome)
    await phone.expect(WILLEM, "afgesloten")
    return ref, summary


async def test_four_weeks_after_help_started_the_desk_is_asked_and_no_opens_it_again(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    ref, summary = await _closed_by_gerda(phone, "Hulp gestart", pick_up=True)
    # Everything sent and marked sent before the clock jumps four weeks: a message still in flight then
    # would outlive its lease at once and go again (at least once), after the edits that follow.
    await timed.settle()

    def asked(msgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [m for m in msgs if "Is de hulp echt gestart?" in m["text"]]

    clock.set(datetime(2026, 12, 21, 7, 59, tzinfo=UTC))  # four weeks on is Monday 21 December, 09:00
    await _tick(timed)
    assert asked(await phone.bot_messages(GGD)) == []
    clock.advance(timedelta(minutes=2))
    await _tick(timed)
    (question,) = asked(await phone.bot_messages(GGD))
    assert f"signaal {ref} (Assen) af: er is hulp gestart" in question["text"]
    assert question["buttons"] == [["Ja", "Weet niet"], ["Nee, opnieuw openen"]]
    await phone.press(
        WILLEM, "Nee, opnieuw openen", chat_id=GGD, message_id=question["message_id"]
    )  # not staff
    await timed.settle()
    await phone.press(GERDA, "Nee, opnieuw openen", chat_id=GGD, message_id=question["message_id"])
    told = await phone.expect(WILLEM, "opnieuw geopend")
    assert f"uw signaal {ref} opnieuw geopend" in told["text"]
    await timed.settle()
    answered = next(m for m in await phone.messages(GGD) if m["message_id"] == question["message_id"])
    assert "opnieuw geopend door Gerda" in answered["text"] and answered["buttons"] == []
    reopened = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert "Status: in behandeling bij GGD Drenthe" in reopened["text"]
    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.status, signal.outcome, signal.owner_desk) == (
            "in_behandeling",
            None,
            "ggd-mzg",
        )
        kinds = [e.kind for e in await uow.signals.events_of(signal.id)]
    assert kinds[-3:] == ["closed", "help_asked", "reopened"]  # the history is kept
    clock.advance(timedelta(weeks=8))
    await _tick(timed)
    assert (
        len([m for m in await phone.bot_messages(GGD) if m["text"].startswith("🔎")]) == 1
    )  # once per closing


async def test_yes_the_help_started_keeps_it_closed(timed: Stack) -> None:
    phone, clock = timed.phone, timed.clock
    assert phone is not None and isinstance(clock, FakeClock)
    ref, _ = await _closed_by_gerda(phone, "Doorverwezen", pick_up=False)
    await timed.settle()  # all marked sent before the clock jumps (see the test above)
    clock.advance(timedelta(weeks=4, minutes=1))
    await _tick(timed)
    question = await phone.expect(GGD, "Is de hulp echt gestart?")
    await phone.press(GERDA, "Ja", chat_id=GGD, message_id=question["message_id"])
    await timed.settle()
    answered = next(m for m in await phone.messages(GGD) if m["message_id"] == question["message_id"])
    assert answered["text"] == f"🔎 Signaal {ref}: de hulp is gestart (bevestigd door Gerda (GGD Meldpunt))."
    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.status, signal.outcome) == ("afgesloten", "referred")
        assert [e.kind for e in await uow.signals.events_of(signal.id)][-1] == "help_confirmed"
    assert [m for m in await phone.bot_messages(WILLEM) if "opnieuw" in m["text"]] == []
