"""Waakvlam agreements as transcripts, on a fake clock: set up, accept, check in, relapse, end."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.clock import FakeClock
from tests.e2e.harness import Phone, Stack, close_signal, file_intake

pytestmark = pytest.mark.e2e

HANNA, WILLEM, GERDA, CARLA = 1002, 1003, 2001, 3001
GGD = -1001001


async def tick(stack: Stack) -> int:
    """What the scheduler's due tick does: run everything that has fallen due, then let it go out."""
    assert stack.core is not None and stack.runtime is not None
    runner = stack.core.due_runner(stack.runtime.sender.wake)
    done = 0
    while n := await runner.run_once():
        done += n
    await stack.settle()
    return done


async def until(stack: Stack, moment: datetime) -> int:
    clock = stack.clock
    assert isinstance(clock, FakeClock)
    await stack.settle()  # what people tapped is handled before time moves on
    clock.advance(moment - clock.now())
    return await tick(stack)


async def closed_signal(phone: Phone) -> tuple[str, int]:
    """Willem files, Gerda (GGD) picks it up and closes it: the summary now offers a waakvlam."""
    receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref="AB-12")
    ref = receipt["text"].split()[2]
    summary = await phone.expect(GGD, f"Nieuw signaal {ref}")
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(WILLEM, "in behandeling")
    await phone.expect(GGD, "Status: in behandeling")
    await close_signal(phone, GERDA, GGD, summary["message_id"], "Hulp gestart")
    await phone.expect(WILLEM, "afgesloten: er is hulp gestart")
    await phone.message_with_button(GGD, "🕯 Waakvlam starten")
    return ref, summary["message_id"]


async def set_up(
    phone: Phone,
    by: int,
    owner: str,
    rhythm: str = "Elke week",
    signs: str = "De post stapelt zich op",
    match_key: str = "",
    desk: str = "GGD Drenthe — Meldpunt Zorgwekkend Gedrag (standaard)",
) -> str:
    """Walk the set-up flow after the first question (a match key on the form, or Overslaan); return the new
    agreement's reference."""
    mark = await phone.last_id(by)
    await phone.press(by, owner)
    await phone.expect(by, "Hoe vaak is er contact?", after=mark)
    await phone.press(by, rhythm)
    await phone.expect(by, "Hoe lang loopt de waakvlam?", after=mark)
    await phone.press(by, "6 maanden (gebruikelijk)")
    await phone.expect(by, "Wat telt als waarschuwingsteken?", after=mark)
    await phone.press(by, "Overlast")
    await phone.press(by, "Klaar")
    await phone.expect(by, "waaraan u terugval herkent", after=mark)
    await phone.fill(by, signs)
    await phone.expect(by, "Naar welk meldpunt", after=mark)
    await phone.press(by, desk)
    samenloop = await phone.expect(by, "Samenloop:", after=mark)
    if match_key:
        await phone.fill(by, match_key)
    else:
        await phone.press(by, "Overslaan", message_id=samenloop["message_id"])
    confirm = await phone.expect(by, "Klopt deze waakvlam?", after=mark)
    assert "Ritme: Elke week" in confirm["text"] or rhythm != "Elke week"
    await phone.press(by, "Versturen")
    done = await phone.expect(by, "is vastgelegd", after=mark)
    return str(done["text"].split()[1])


async def test_full_agreement_life_cycle(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    signal_ref, summary_id = await closed_signal(phone)

    # Gerda scales down: "Waakvlam starten" on the closed summary opens the flow in her private chat,
    # with the resident and the desk already known from the signal.
    await phone.press(GERDA, "🕯 Waakvlam starten", chat_id=GGD, message_id=summary_id)
    ask = await phone.expect(GERDA, "Wie houdt contact met de bewoner?")
    assert "Hanna (woningcorporatie) · Actium" in [b for row in ask["buttons"] for b in row]
    ref = await set_up(phone, GERDA, "Hanna (woningcorporatie) · Actium")
    assert ref.startswith("W-")

    # Hanna is asked, sees the agreement, and accepts; Gerda hears it.
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    for part in (
        f"Waakvlam {ref} (Assen)",
        "elke week",
        "Waarschuwingstekens: Overlast\n",
        "Bij terugval naar: GGD",
    ):
        assert part in request["text"], part
    assert "AB-12" not in request["text"] and "post stapelt" not in request["text"]
    # Who it is about and the written signs are read on the region's server.
    page = await phone.read(HANNA)
    assert "Bewoner (referentie): AB-12" in page and "Overlast, De post stapelt zich op" in page
    await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    accepted = await phone.expect(HANNA, f"U houdt nu waakvlam {ref}")
    assert "De eerste vraag komt op maandag 30 november om 09:00." in accepted["text"]
    # The request's context stays with her: who, where, the signs, the desk, the signal and who set it up.
    for part in (
        f"Waakvlam {ref} (Assen)",
        "Bij terugval naar: GGD",
        f"Volgt signaal {signal_ref} op",
        "vastgelegd door Gerda (GGD Meldpunt)",
    ):
        assert part in accepted["text"], part
    # She may read the signal it follows up, and /mijn lists the waakvlam with its next check-in.
    mark = await phone.last_id(HANNA)
    await phone.send(HANNA, f"/signaal {signal_ref}")
    await phone.expect(HANNA, f"Signaal {signal_ref} · Assen", after=mark)
    assert "Geschiedenis:" in await phone.read(HANNA, after=mark)
    await phone.send(HANNA, "/mijn")
    mine = await phone.expect(HANNA, "Waakvlammen die u houdt:")
    assert f"{ref} · Assen · volgende check-in: 30 nov 2026 09:00" in mine["text"]
    await phone.expect(GERDA, f"Hanna (woningcorporatie) heeft waakvlam {ref} geaccepteerd")
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None and agreement.status == "active"
        signal = await uow.signals.by_ref(signal_ref)
        assert signal is not None and agreement.signal_id == signal.id
        assert agreement.end_on == date(2027, 5, 23)  # six months by default

    # Check-in 1, a week later at 09:00: Goed.
    await until(timed, datetime(2026, 11, 30, 7, 59, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(HANNA) if "hoe gaat het met de bewoner" in m["text"]] == []
    await until(timed, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    first = await phone.expect(HANNA, f"Waakvlam {ref} (Assen): hoe gaat het met de bewoner?")
    # Each check-in repeats in one line what to watch for (the written signs are read on the page) and where
    # a worry goes.
    let_op = "Let op: Overlast · bij zorgen naar GGD Drenthe — Meldpunt Zorgwekkend Gedrag"
    assert first["text"].splitlines()[1] == let_op
    assert first["buttons"] == [["Goed", "Zorgen"], ["Geen contact gehad", "Later herinneren"]]
    await phone.press(HANNA, "Goed", message_id=first["message_id"])
    await timed.settle()
    noted = next(m for m in await phone.messages(HANNA) if m["message_id"] == first["message_id"])
    assert (
        "goed. Genoteerd" in noted["text"]
        and "op maandag 7 december om 09:00" in noted["text"]
        and noted["buttons"] == []
    )

    # Check-in 2: Zorgen → a short follow-up → a re-entry signal straight at the GGD, with its history.
    await until(timed, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    second = await phone.expect(HANNA, "hoe gaat het met de bewoner", after=first["message_id"])
    await phone.press(HANNA, "Zorgen", message_id=second["message_id"])
    await phone.expect(HANNA, "Wat ziet u nu?")
    await phone.press(HANNA, "Overlast")
    await phone.press(HANNA, "Klaar")
    await phone.expect(HANNA, "Wat baart u zorgen?")
    await phone.fill(HANNA, "Weer harde muziek tot diep in de nacht")
    # A last look before it goes: what she chose, that she wrote it (on the form), and where it goes.
    confirm = await phone.expect(HANNA, "Terugval melden bij GGD Drenthe — Meldpunt Zorgwekkend Gedrag?")
    assert "Zorgen: ✓ ingevuld" in confirm["text"] and "Overlast" in confirm["text"]
    assert "harde muziek" not in confirm["text"]
    async with timed.uow() as uow:
        hanna = await uow.users.by_telegram_id(HANNA)
        assert hanna is not None and await uow.signals.of_filer(hanna.id) == []  # not before Versturen
    await phone.press(HANNA, "Versturen", message_id=confirm["message_id"])
    filed = await phone.expect(HANNA, "Uw zorg is als signaal")
    relapse_ref = filed["text"].split()[5]
    assert relapse_ref.startswith("S-") and relapse_ref != signal_ref
    desk = await phone.expect(GGD, f"Nieuw signaal {relapse_ref}")
    assert f"terugval binnen waakvlam {ref}, afgesproken na signaal {signal_ref}" in desk["text"]
    assert "Oppakken" in desk["buttons"][0]
    async with timed.uow() as uow:  # one definition of a new signal: "Wie meldt" counts the relapse too
        tallies = await uow.tallies.all()
    assert sum(t.count for t in tallies if t.kind == "filed_by") == 2  # the first signal and the relapse
    assert sum(t.count for t in tallies if t.kind == "relapse") == 1
    # Gerda set the waakvlam up: she hears of the relapse herself.
    setter = await phone.expect(GERDA, f"Terugval bij waakvlam {ref}")
    assert setter["text"] == (
        f"🕯 Terugval bij waakvlam {ref} (Assen): Hanna (woningcorporatie) meldde zorgen bij een check-in. "
        f"Signaal {relapse_ref} staat bij GGD Drenthe — Meldpunt Zorgwekkend Gedrag."
    )
    history = await phone.details(GERDA, relapse_ref)
    for line in (
        f"Terugval binnen waakvlam {ref}; eerder signaal: {signal_ref}",
        "Dat signaal werd afgesloten: er is hulp gestart",
        "check-in: goed",
        "Weer harde muziek",
    ):
        assert line in history, line

    # Check-ins 3 and 4: no contact twice in a row → Carla (coordinator) is told.
    await until(timed, datetime(2026, 12, 14, 8, 0, tzinfo=UTC))
    third = await phone.expect(HANNA, "hoe gaat het met de bewoner", after=second["message_id"])
    await phone.press(HANNA, "Geen contact gehad", message_id=third["message_id"])
    await timed.settle()
    assert [m for m in await phone.bot_messages(CARLA) if "geen contact" in m["text"]] == []
    await until(timed, datetime(2026, 12, 21, 8, 0, tzinfo=UTC))
    fourth = await phone.expect(HANNA, "hoe gaat het met de bewoner", after=third["message_id"])
    await phone.press(HANNA, "Geen contact gehad", message_id=fourth["message_id"])
    told = await phone.expect(
        CARLA, f"Waakvlam {ref} (Assen): Hanna (woningcorporatie) heeft 2 keer op rij geen contact"
    )
    assert told["buttons"] == [["Bekijken"]]

    # The bot is down for three months: the missed weeks come as one question, not twelve.
    await until(timed, datetime(2027, 3, 29, 7, 0, tzinfo=UTC))  # Monday 09:00, the day after DST began
    late = [
        m
        for m in await phone.bot_messages(HANNA)
        if m["message_id"] > fourth["message_id"] and "hoe gaat het met de bewoner" in m["text"]
    ]
    assert len(late) == 1
    await phone.press(HANNA, "Goed", message_id=late[0]["message_id"])
    await until(timed, datetime(2027, 4, 5, 7, 0, tzinfo=UTC))
    summer = await phone.expect(HANNA, "hoe gaat het met de bewoner", after=late[0]["message_id"])
    await phone.press(HANNA, "Goed", message_id=summer["message_id"])
    await timed.settle()
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None
        sent = [c for c in await uow.agreements.checkins_of(agreement.id) if c.sent_at is not None]
    assert [c.answer for c in sent] == ["good", "worry", "no_contact", "no_contact", "good", "good"]
    # Always 09:00 in Amsterdam: 08:00 UTC in winter, 07:00 UTC in summer.
    assert [c.due_at.hour for c in sent] == [8, 8, 8, 8, 8, 7]

    # A week before the end date: extend or end? Hanna extends.
    await until(timed, datetime(2027, 5, 16, 7, 0, tzinfo=UTC))
    prompt = await phone.expect(HANNA, f"Waakvlam {ref} (Assen) loopt af op zondag 23 mei 2027")
    await phone.expect(CARLA, f"Waakvlam {ref} (Assen) loopt af op")
    await phone.press(HANNA, "Verlengen", message_id=prompt["message_id"])
    await phone.expect(HANNA, f"Waakvlam {ref} is verlengd tot maandag 23 augustus 2027")

    # Carla ends it from /waakvlammen with a reason; Hanna hears it and no question comes any more.
    await phone.send(CARLA, "/waakvlammen")
    overview = await phone.expect(CARLA, "Waakvlammen (1)")
    await phone.press(CARLA, f"{ref} · Assen", message_id=overview["message_id"])
    card = await phone.expect(CARLA, "Status: actief")
    await phone.press(CARLA, "Beëindigen", message_id=card["message_id"])
    await phone.expect(CARLA, "Waarom stopt deze waakvlam?")
    await phone.press(CARLA, "Het gaat goed, niet meer nodig")
    await phone.expect(HANNA, f"Waakvlam {ref} is beëindigd door Carla (coördinator Assen): Het gaat goed")
    mark = await phone.last_id(HANNA)
    await until(timed, datetime(2027, 9, 1, 7, 0, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(HANNA) if m["message_id"] > mark] == []
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None and agreement.status == "ended" and agreement.end_reason == "going_well"
        counts: dict[tuple[str, str], int] = {}
        for t in await uow.tallies.all():
            if t.gemeente == "assen" and t.kind in ("checkin_sent", "checkin_answered", "wv_ended"):
                counts[t.kind, t.category] = counts.get((t.kind, t.category), 0) + t.count
    # The regiobeeld's anonymous counts: seven check-ins sent (missed weeks come as one; the seventh,
    # sent on the way to May, was never answered), six answered, and one agreement ended early (with a
    # reason, before its end date).
    assert counts == {("checkin_sent", ""): 7, ("checkin_answered", ""): 6, ("wv_ended", "early"): 1}


async def coordinator_sets_up(phone: Phone, resident: str, owner: str) -> str:
    """Carla types /waakvlam for a resident without a signal in view; she picks the contact person."""
    await phone.send(CARLA, "/waakvlam")
    await phone.expect(CARLA, "Welke eigen referentie heeft de bewoner")
    await phone.fill(CARLA, resident)
    await phone.expect(CARLA, "Wie houdt contact met de bewoner?")
    return await set_up_rest(phone, owner)


async def set_up_rest(phone: Phone, owner: str) -> str:
    mark = await phone.last_id(CARLA)
    await phone.press(CARLA, owner)
    await phone.expect(CARLA, "Hoe vaak is er contact?", after=mark)
    await phone.press(CARLA, "Op vaste weekdagen")
    await phone.expect(CARLA, "Op welke dagen?", after=mark)
    await phone.press(CARLA, "di")
    await phone.press(CARLA, "Klaar")
    await phone.press(CARLA, "3 maanden")
    await phone.expect(CARLA, "Wat telt als waarschuwingsteken?", after=mark)
    await phone.press(CARLA, "Geen categorie, alleen een beschrijving")
    await phone.press(CARLA, "Klaar")
    signs = await phone.expect(CARLA, "waaraan u terugval herkent", after=mark)
    assert ["Overslaan"] in signs["buttons"] and "Stuur -" not in signs["text"]
    await phone.press(CARLA, "Overslaan")
    await phone.expect(CARLA, "(overgeslagen)", after=mark)  # the question shows it was skipped
    await phone.expect(CARLA, "Naar welk meldpunt", after=mark)
    await phone.press(CARLA, "Sociaal wijkteam Assen")
    await phone.press(
        CARLA, "Overslaan", message_id=(await phone.expect(CARLA, "Samenloop:", after=mark))["message_id"]
    )
    await phone.expect(CARLA, "Klopt deze waakvlam?", after=mark)
    await phone.press(CARLA, "Versturen")
    done = await phone.expect(CARLA, "is vastgelegd", after=mark)
    return str(done["text"].split()[1])


async def test_no_answer_brings_a_reminder_then_the_coordinator(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    ref = await coordinator_sets_up(phone, "CD-34", "Hanna (woningcorporatie) · Actium")
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    assert "op di" in request["text"] and "Waarschuwingstekens: niet vastgelegd" in request["text"]
    await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    await phone.expect(HANNA, "op dinsdag 24 november om 09:00")  # the next Tuesday

    # Tuesday: asked. "Later herinneren" moves it to the next working day, same time.
    await until(timed, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    asked = await phone.expect(HANNA, "hoe gaat het met de bewoner")
    await phone.press(HANNA, "Later herinneren", message_id=asked["message_id"])
    await timed.settle()
    later = next(m for m in await phone.messages(HANNA) if m["message_id"] == asked["message_id"])
    assert (
        "opnieuw" in later["text"]
        and "op woensdag 25 november om 09:00" in later["text"]
        and later["buttons"] == []
    )
    await until(timed, datetime(2026, 11, 25, 8, 0, tzinfo=UTC))
    again = await phone.expect(HANNA, "hoe gaat het met de bewoner", after=asked["message_id"])

    # No answer: one reminder the next working day, then the coordinator, and the agreement is at risk.
    await until(timed, datetime(2026, 11, 26, 8, 0, tzinfo=UTC))
    await phone.expect(
        HANNA, f"Herinnering: waakvlam {ref} wacht nog op uw antwoord", after=again["message_id"]
    )
    assert [m for m in await phone.bot_messages(CARLA) if "risico" in m["text"]] == []
    await until(timed, datetime(2026, 11, 27, 8, 0, tzinfo=UTC))
    warned = await phone.expect(
        CARLA, f"Waakvlam {ref} (Assen): de check-in van 25 nov 2026 09:00 is niet beantwoord"
    )
    assert "Hanna (woningcorporatie)" in warned["text"] and "loopt risico" in warned["text"]
    await phone.send(CARLA, "/waakvlammen")
    overview = await phone.expect(CARLA, "Waakvlammen (1)")
    risk = overview["text"].split("⚠ Op risico:\n")[1].splitlines()[0]
    assert risk.startswith(f"{ref} · Assen · Hanna (woningcorporatie) · volgende check-in: ")

    # A late answer still counts and takes the risk away.
    await phone.press(HANNA, "Goed", message_id=again["message_id"])
    await timed.settle()
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None and not agreement.at_risk
        assert [(c.status, c.answer) for c in await uow.agreements.checkins_of(agreement.id)][:1] == [
            ("answered", "good")
        ]


async def test_a_deactivated_owner_s_agreements_go_to_the_coordinator(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    ref = await coordinator_sets_up(phone, "EF-56", "Willem (welzijn) · Welzijnswerk Assen")
    request = await phone.expect(WILLEM, "vraagt u de waakvlam te houden")
    await phone.press(WILLEM, "Accepteren", message_id=request["message_id"])
    await phone.expect(CARLA, f"Willem (welzijn) heeft waakvlam {ref} geaccepteerd")

    await phone.send(CARLA, f"/deactiveer {WILLEM}")
    asked = await phone.expect(
        CARLA,
        f"Willem (welzijn) is gedeactiveerd. Waakvlam {ref} (Assen) heeft een nieuwe contactpersoon nodig",
    )
    # Meanwhile the pilot light stays on: the check-in goes to the coordinator.
    await until(timed, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    await phone.expect(CARLA, f"Waakvlam {ref} (Assen): hoe gaat het met de bewoner?")
    assert [m for m in await phone.bot_messages(WILLEM) if "hoe gaat het met de bewoner" in m["text"]] == []

    # Re-assigning is a warm hand-over again: Hanna must accept.
    mark = await phone.last_id(CARLA)
    await phone.press(CARLA, "Contactpersoon kiezen", message_id=asked["message_id"])
    choose = await phone.expect(CARLA, "Wie houdt contact met de bewoner?", after=mark)
    names = [b for row in choose["buttons"] for b in row]
    assert "Willem (welzijn) · Welzijnswerk Assen" not in names
    await phone.press(CARLA, "Hanna (woningcorporatie) · Actium", message_id=choose["message_id"])
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    await phone.expect(HANNA, f"U houdt nu waakvlam {ref}.")
    await until(timed, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    await phone.expect(HANNA, f"Waakvlam {ref} (Assen): hoe gaat het met de bewoner?")
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None
        kinds = [e.kind for e in await uow.agreements.events_of(agreement.id)]
    assert kinds[:5] == ["set_up", "accepted", "owner_left", "owner_proposed", "accepted"]


async def test_check_in_buttons_work_only_for_the_people_of_the_agreement(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    ref = await coordinator_sets_up(phone, "GH-78", "Hanna (woningcorporatie) · Actium")
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    # Willem replays Hanna's button data in his own chat: the signature is bound to Hanna.
    shown = next(m for m in timed.emulator.chats[HANNA] if m.message_id == request["message_id"])
    data = shown.keyboard[0][0]["callback_data"]
    forged = await phone.raw_update(
        {
            "callback_query": {
                "id": "forged-1",
                "from": {"id": WILLEM, "is_bot": False, "first_name": "Willem"},
                "message": {
                    "message_id": 1,
                    "chat": {"id": WILLEM, "type": "private"},
                    "date": 0,
                    "text": "x",
                },
                "data": data,
                "chat_instance": "x",
            }
        }
    )
    answer = await phone.callback_answer("forged-1")
    assert forged and answer is not None and answer["text"] == "Deze knop is niet (meer) geldig."
    await phone.press(HANNA, "Weigeren", message_id=request["message_id"])
    await phone.expect(CARLA, f"Hanna (woningcorporatie) houdt waakvlam {ref} niet")
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None and agreement.owner_id is None and agreement.status == "proposed"


async def test_a_coordinator_pauses_resumes_and_changes_the_rhythm(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    ref = await coordinator_sets_up(phone, "JK-90", "Hanna (woningcorporatie) · Actium")
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    await phone.expect(HANNA, f"U houdt nu waakvlam {ref}")

    await phone.send(CARLA, "/waakvlammen")
    overview = await phone.expect(CARLA, "Waakvlammen (1)")
    await phone.press(CARLA, f"{ref} · Assen", message_id=overview["message_id"])
    card = await phone.expect(CARLA, "Status: actief")
    assert "JK-90" not in card["text"] and card["buttons"][-1] == ["📄 Openen"]  # who: on the page
    assert "Bewoner (referentie): JK-90" in await phone.read(CARLA, after=card["message_id"] - 1)
    await phone.press(CARLA, "Pauzeren", message_id=card["message_id"])
    why = await phone.expect(CARLA, "Waarom pauzeert u deze waakvlam?")
    async with timed.uow() as uow:  # nothing changes until a reason is chosen
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None and agreement.status == "active"
    await phone.press(CARLA, "Bewoner is tijdelijk opgenomen of in zorg", message_id=why["message_id"])
    paused = await phone.expect(HANNA, f"Waakvlam {ref} is gepauzeerd")
    assert paused["text"] == (
        f"Waakvlam {ref} is gepauzeerd (Bewoner is tijdelijk opgenomen of in zorg); "
        "er gaan geen vragen uit tot hij wordt hervat."
    )
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None
        events = [(e.kind, e.note) for e in await uow.agreements.events_of(agreement.id)]
    assert events[-1] == ("paused", "in_care")
    await until(timed, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # the Tuesday passes in silence
    assert [m for m in await phone.bot_messages(HANNA) if "hoe gaat het met de bewoner" in m["text"]] == []

    card = await phone.expect(CARLA, "Status: gepauzeerd")
    await phone.press(CARLA, "Hervatten", message_id=card["message_id"])
    resumed = await phone.expect(HANNA, f"Waakvlam {ref} loopt weer")
    assert "op dinsdag 1 december om 09:00" in resumed["text"]  # the next Tuesday

    await timed.settle()  # the paused card is edited back: an older card also says "actief", but is stale
    card = next(m for m in await phone.messages(CARLA) if m["message_id"] == card["message_id"])
    assert "Status: actief" in card["text"]
    await phone.press(CARLA, "Ritme wijzigen", message_id=card["message_id"])
    await phone.expect(CARLA, "Hoe vaak is er contact?", after=card["message_id"])
    await phone.press(CARLA, "Ander aantal dagen")
    await phone.expect(CARLA, "Om de hoeveel dagen?")
    await phone.send(CARLA, "drie")
    await phone.expect(CARLA, "Stuur alleen een getal van 1 tot 90")
    await phone.send(CARLA, "10")
    changed = await phone.expect(HANNA, f"Het ritme van waakvlam {ref} is nu elke 10 dagen")
    assert "op vrijdag 4 december om 09:00" in changed["text"]  # ten days from Tuesday 24 November
    await until(timed, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(HANNA) if "hoe gaat het met de bewoner" in m["text"]] == []
    await until(timed, datetime(2026, 12, 4, 8, 0, tzinfo=UTC))
    await phone.expect(HANNA, f"Waakvlam {ref} (Assen): hoe gaat het met de bewoner?")


NAMES = ["Anouk", "Bram", "Chantal", "Daan", "Esther", "Fleur", "Gijs", "Henk", "Ilse", "Joost", "Zoë"]


async def test_in_a_real_gemeente_the_contact_person_is_found_by_typing_part_of_a_name(stack: Stack) -> None:
    """Twenty people in Assen: none is listed until part of a name is typed; Carla herself is offered only
    as "Mijzelf", always there, never among the others."""
    from storage.models import User

    phone = stack.phone
    assert phone is not None
    async with stack.uow() as uow:
        for i, name in enumerate(NAMES):
            await uow.users.add(
                User(
                    telegram_id=5000 + i,
                    display_name=f"{name} (buurtwerk)",
                    role="veldwerker",
                    org="Buurtwerk Assen",
                    gemeenten=["assen"],
                    locale="nl",
                    active=True,
                    created_at=datetime(2026, 11, 1, tzinfo=UTC),
                )
            )
        await uow.commit()
    await phone.send(CARLA, "/waakvlam")
    await phone.expect(CARLA, "Welke eigen referentie heeft de bewoner")
    await phone.fill(CARLA, "EF-56")
    ask = await phone.expect(CARLA, "Wie houdt contact met de bewoner?")
    myself = "Mijzelf (Carla (coördinator Assen))"
    assert ask["text"].endswith("Typ een deel van de naam om te zoeken (19 mogelijk).")
    assert ask["buttons"] == [[myself], ["« Terug", "Annuleren"]]
    await phone.send(CARLA, "zoe")
    found = await phone.expect(CARLA, 'Gevonden met "zoe"')
    assert found["buttons"][:2] == [["Zoë (buurtwerk) · Buurtwerk Assen"], [myself]]
    await phone.send(CARLA, "xyz")
    await phone.expect(CARLA, 'Niets gevonden met "xyz". Typ een ander deel van de naam.')
    await phone.send(CARLA, "buurtwerk")
    many = await phone.expect(CARLA, '11 gevonden met "buurtwerk"; hier de eerste 8.')
    labels = [row[0] for row in many["buttons"]]
    assert len(labels) == 8 + 2 and labels[-2] == myself and not any(x.startswith("Carla") for x in labels)
    await phone.send(CARLA, "HAN")
    hanna = await phone.expect(CARLA, 'Gevonden met "HAN"')
    assert [row[0] for row in hanna["buttons"]][:1] == ["Hanna (woningcorporatie) · Actium"]
    ref = await set_up_rest(phone, "Hanna (woningcorporatie) · Actium")
    async with stack.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None and agreement.proposed_owner_id is not None
        owner = await uow.users.by_id(agreement.proposed_owner_id)
    assert owner is not None and owner.telegram_id == HANNA


async def test_after_beeindigen_the_open_check_in_can_no_longer_be_answered(timed: Stack) -> None:
    """Hanna has a check-in in her chat; Carla ends the waakvlam. Its buttons go at once; a tap on Zorgen
    that was on its way (a second phone, a slow network) files nothing, and she is told in one line why;
    the check-in is closed in the record."""
    phone = timed.phone
    assert phone is not None
    ref = await coordinator_sets_up(phone, "LM-12", "Hanna (woningcorporatie) · Actium")
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    await phone.expect(HANNA, f"U houdt nu waakvlam {ref}")
    await until(timed, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # Tuesday 09:00: the first check-in
    question = await phone.expect(HANNA, f"Waakvlam {ref} (Assen): hoe gaat het met de bewoner?")
    (held,) = [m for m in timed.emulator.chats[HANNA] if m.message_id == question["message_id"]]
    worry = next(b["callback_data"] for row in held.keyboard for b in row if b["text"] == "Zorgen")

    await phone.send(CARLA, "/waakvlammen")
    overview = await phone.expect(CARLA, "Waakvlammen (1)")
    await phone.press(CARLA, f"{ref} · Assen", message_id=overview["message_id"])
    card = await phone.expect(CARLA, "Status: actief")
    await phone.press(CARLA, "Beëindigen", message_id=card["message_id"])
    why = await phone.expect(CARLA, "Waarom stopt deze waakvlam?")
    await phone.press(CARLA, "Het gaat goed, niet meer nodig", message_id=why["message_id"])
    await phone.expect(HANNA, f"Waakvlam {ref} is beëindigd")
    await timed.settle()
    shown = next(m for m in await phone.messages(HANNA) if m["message_id"] == question["message_id"])
    assert shown["buttons"] == []  # gone when it ended, before anyone tapped

    late = {"id": "late-1", "from": {"id": HANNA, "is_bot": False, "first_name": "Hanna"}}
    late |= {"message": held.as_telegram(), "chat_instance": str(HANNA), "data": worry}
    await phone.raw_update({"callback_query": late})
    await timed.settle()
    assert (await phone.callback_answer("late-1") or {}).get("text") == (
        f"Deze check-in is niet meer open: waakvlam {ref} is beëindigd."
    )
    assert not [m for m in await phone.bot_messages(HANNA) if "Vertel kort" in m["text"]]
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(ref)
        assert agreement is not None
        assert [c.status for c in await uow.agreements.checkins_of(agreement.id)] == ["closed", "skipped"]
        hanna = await uow.users.by_telegram_id(HANNA)
        assert hanna is not None and await uow.signals.of_filer(hanna.id) == []
