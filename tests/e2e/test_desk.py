"""The desk side: pick up, close with an outcome, who may press, and the filer hears it (a signal for several
desks waits for their routeeroverleg: tests/e2e/test_samenloop.py)."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import select

from storage.models import Signal, User
from tests.e2e.harness import Stack, file_intake, hand_over, no_bottleneck

pytestmark = pytest.mark.e2e

WILLEM, WENDY, GERDA, VERA, ZEGER, SANNE = 1003, 1001, 2001, 2002, 2003, 2004
CARLA = 3001
GGD, VT, ZVHD, WIJKTEAM = -1001001, -1001002, -1001003, -1002002
NOTE = "Bewoner kent de wijkcoach al; bel eerst haar."


async def _ggd_signal(stack: Stack) -> tuple[str, dict]:  # type: ignore[type-arg]
    phone = stack.phone
    assert phone is not None
    receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"])
    summary = await phone.expect(GGD, "Nieuw signaal")
    return receipt["text"].split()[2], summary


async def _second_ggd_staff(stack: Stack) -> None:
    """Gijs joins Gerda at the GGD desk (Telegram id 2011)."""
    async with stack.uow() as uow:
        gerda = await uow.users.by_telegram_id(GERDA)
        assert gerda is not None
        await uow.users.add(
            User(
                telegram_id=2011,
                display_name="Gijs (GGD Meldpunt)",
                role="meldpunt",
                org="GGD Drenthe",
                gemeenten=["assen"],
                meldpunt_id="ggd-mzg",
                created_at=gerda.created_at,
            )
        )
        await uow.commit()


async def test_pick_up_then_close_and_the_filer_hears_each_step(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    assert "Status: nieuw, nog niet opgepakt" in summary["text"]
    assert summary["buttons"] == [
        ["Oppakken", "Info vragen"],
        ["Doorzetten", "Afsluiten"],
        ["⚑ Urgent", "🧭 Regie", "🤝 Overleg"],
        ["📄 Lezen"],
    ]

    tap = await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    told = await phone.expect(WILLEM, "in behandeling")
    assert told["text"] == f"GGD Drenthe — Meldpunt Zorgwekkend Gedrag heeft uw signaal {ref} in behandeling."
    await stack.settle()
    assert (await phone.callback_answer(tap) or {}).get("text") == "U heeft dit signaal opgepakt."
    edited = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert (
        "Status: in behandeling bij GGD Drenthe — Meldpunt Zorgwekkend Gedrag (Gerda (GGD Meldpunt))"
        in edited["text"]
    )
    assert (
        edited["buttons"]
        == [
            ["Info vragen"],
            ["Doorzetten", "Afsluiten"],
            ["⚑ Urgent", "🧭 Regie", "🤝 Overleg"],
            ["📄 Lezen"],
        ]
        and edited["edited"]
    )

    # The outcome is chosen privately: the team keeps seeing the summary, unchanged, meanwhile.
    before = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    tap = await phone.press(GERDA, "Afsluiten", chat_id=GGD, message_id=summary["message_id"])
    outcomes = await phone.expect(GERDA, f"Signaal {ref} afsluiten: hoe is het afgehandeld?")
    await stack.settle()
    assert (await phone.callback_answer(tap) or {}).get("text") == (
        "Ga verder in uw privégesprek met de bot; het signaal blijft hier staan."
    )
    assert [row[0] for row in outcomes["buttons"]] == [
        "Hulp gestart",
        "Al bekend bij hulpverlening",
        "Doorverwezen",
        "Geen actie nodig",
        "Niet bereikbaar",
        "Anders",
        "Annuleren",
    ]
    still = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert (still["text"], still["buttons"]) == (before["text"], before["buttons"])
    await phone.press(GERDA, "Al bekend bij hulpverlening", message_id=outcomes["message_id"])
    await phone.press(GERDA, "Overslaan", message_id=(await phone.expect(GERDA, "notitie"))["message_id"])
    await no_bottleneck(phone, GERDA)
    confirm = await phone.expect(GERDA, f"Signaal {ref} afsluiten? Tik op Versturen")
    assert "Uitkomst: Al bekend bij hulpverlening" in confirm["text"]
    assert "Notitie: (overgeslagen)" in confirm["text"]
    await phone.press(GERDA, "Versturen", message_id=confirm["message_id"])
    done = await phone.expect(GERDA, f"Signaal {ref} is afgesloten")
    assert done["text"] == (
        f"Signaal {ref} is afgesloten: de bewoner is al bekend bij de hulpverlening. De melder krijgt bericht."
    )
    closed = await phone.expect(WILLEM, "afgesloten")
    assert closed["text"].endswith(f"signaal {ref} afgesloten: de bewoner is al bekend bij de hulpverlening.")
    await stack.settle()
    final = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert (
        "Status: afgesloten door GGD Drenthe — Meldpunt Zorgwekkend Gedrag" in final["text"]
        and final["buttons"] == [["🕯 Waakvlam starten", "🧭 Regie"], ["📄 Lezen"]]  # left: scaling down
    )
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None
        assert (signal.status, signal.outcome, signal.closed_at is not None) == ("afgesloten", "known", True)
        kinds = [(e.kind, e.from_status, e.to_status) for e in await uow.signals.events_of(signal.id)]
        assert kinds == [
            ("filed", None, "nieuw"),
            ("picked_up", "nieuw", "in_behandeling"),
            ("closed", "in_behandeling", "afgesloten"),
        ]
        # The regiobeeld's anonymous counts for the desk: picked up within its SLA, in the first hour's
        # bucket, closed as "al bekend"; none names the signal.
        desk_counts = {(t.kind, t.count) for t in await uow.tallies.all() if t.category == "ggd-mzg"}
    assert desk_counts == {("picked_up", 1), ("picked_in_sla", 1), ("pickup_0", 1), ("outcome_known", 1)}
    await phone.send(WILLEM, "/mijn")
    assert "afgesloten" in (await phone.expect(WILLEM, "Uw signalen"))["text"]


async def test_only_the_desks_own_staff_may_press_its_buttons(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    for outsider in (VERA, WENDY, 3001):  # another desk, a field worker, a coordinator
        tap = await phone.press(outsider, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
        await stack.settle()
        assert (await phone.callback_answer(tap) or {}).get(
            "text"
        ) == "Alleen medewerkers van dit meldpunt kunnen dit doen."
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and signal.status == "nieuw" and signal.owner_id is None
        refused = [a for a in await uow.audit.query(subject=ref) if a.action == "desk_action_refused"]
        assert len(refused) == 3
    # Desk button data replayed from a private chat is signed for the desk chat, so it is refused.
    data = stack.emulator.chats[GGD][-1].keyboard[0][0]["callback_data"]
    message = {"message_id": 1, "date": 0, "chat": {"id": GERDA, "type": "private"}, "text": "x"}
    user = {"id": GERDA, "is_bot": False, "first_name": "G"}
    update = await phone.raw_update(
        {
            "callback_query": {
                "id": "forged",
                "from": user,
                "message": message,
                "chat_instance": "1",
                "data": data,
            }
        }
    )
    await stack.settle()
    answer = await phone.callback_answer("forged")
    assert update and answer is not None and answer["text"] == "Deze knop is niet (meer) geldig."


async def test_two_staff_pressing_oppakken_at_once_yield_one_owner(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await _second_ggd_staff(stack)
    ref, summary = await _ggd_signal(stack)
    taps = await asyncio.gather(
        phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"]),
        phone.press(2011, "Oppakken", chat_id=GGD, message_id=summary["message_id"]),
    )
    await stack.settle()
    answers = sorted([str((await phone.callback_answer(t) or {}).get("text")) for t in taps])
    assert answers[1] == "U heeft dit signaal opgepakt."
    assert answers[0].startswith("Al opgepakt door Gerda (GGD Meldpunt)") or answers[0].startswith(
        "Al opgepakt door Gijs"
    )
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and signal.owner_id is not None
        events = [e.kind for e in await uow.signals.events_of(signal.id)]
    assert events.count("picked_up") == 1
    assert len([m for m in await phone.bot_messages(WILLEM) if "in behandeling" in m["text"]]) == 1


async def test_open_lists_the_desks_open_signals_oldest_first(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    first, _ = await _ggd_signal(stack)
    await file_intake(phone, WENDY, ["Zelfverwaarlozing of vervuiling"])
    await stack.settle()
    await phone.send(GERDA, "/open", chat_id=GGD)
    listing = await phone.expect(GGD, "Open signalen van GGD Drenthe")
    lines = listing["text"].splitlines()[1:]
    assert len(lines) == 2 and lines[0].startswith(f"{first} · vandaag · Assen · nieuw")
    await phone.send(WENDY, "/open")
    await phone.expect(WENDY, "voor meldpuntmedewerkers")
    async with stack.uow() as uow:
        assert len(list(await uow.session.scalars(select(Signal)))) == 2


async def test_the_desk_asks_the_filer_answers_and_the_answer_is_kept(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    tap = await phone.press(GERDA, "Info vragen", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GERDA, "Welke vraag wilt u de melder stellen?")  # in Gerda's private chat
    await stack.settle()
    assert (await phone.callback_answer(tap) or {}).get(
        "text"
    ) == "Uw vraag stelt u in uw privégesprek met de bot."
    await phone.fill(GERDA, "Weet u of er familie in beeld is?")
    await phone.expect(GERDA, f"Uw vraag over {ref} is naar de melder gestuurd.")
    question = await phone.expect(WILLEM, "heeft een vraag over uw signaal")
    assert "familie" not in question["text"]  # the question is read on the region's server
    assert "Weet u of er familie in beeld is?" in await phone.read(WILLEM, after=question["message_id"] - 1)
    await phone.expect(WILLEM, "voor uw antwoord")
    await stack.settle()
    status = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert "Status: informatie gevraagd" in status["text"]
    url = await phone.form_of(WILLEM)
    page = await phone.fill(WILLEM, "Een dochter in Groningen, bel 06-12345678", url=url)
    assert "persoonsgegevens" in page and "een telefoonnummer (06…78)" in page  # the guard, on the form
    await phone.fill(WILLEM, "Een dochter in Groningen, bel 06-12345678", choice="redact", url=url)
    await phone.expect(WILLEM, "Uw antwoord is doorgegeven aan GGD Drenthe")
    answer = await phone.expect(GERDA, f"De melder heeft uw vraag over {ref} beantwoord")
    assert "Groningen" not in answer["text"]
    assert "Een dochter in Groningen, bel [telefoon]" in await phone.read(
        GERDA, after=answer["message_id"] - 1
    )
    desk_note = await phone.expect(GGD, "heeft de vraag over")
    assert "Groningen" not in desk_note["text"]  # free text stays out of the group chat
    details = await phone.details(GERDA, ref)
    assert (
        "— Gerda (GGD Meldpunt) (GGD Drenthe — Meldpunt Zorgwekkend Gedrag) vroeg de melder: "
        "Weet u of er familie in beeld is?" in details
    )
    assert "— de melder antwoordde: Een dochter in Groningen, bel [telefoon]" in details
    assert "Status: in behandeling" in details


async def test_a_question_while_the_filer_is_busy_waits_for_antwoord(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    await phone.send(WILLEM, "/signaal")  # the filer starts a new intake
    await phone.expect(WILLEM, "acuut gevaar")
    await phone.press(GERDA, "Info vragen", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GERDA, "Welke vraag")
    await phone.fill(GERDA, "Is er een huisarts betrokken?")
    await phone.expect(WILLEM, f"Antwoord daarna met /antwoord {ref}")
    await phone.send(WILLEM, "/cancel")
    await phone.expect(WILLEM, "Geannuleerd")
    await phone.send(WILLEM, f"/antwoord {ref}")
    await phone.expect(WILLEM, "voor uw antwoord")
    await phone.fill(WILLEM, "Ja, de praktijk in Assen-Oost.")
    told = await phone.expect(GERDA, "De melder heeft uw vraag")
    assert "Ja, de praktijk in Assen-Oost." in await phone.read(GERDA, after=told["message_id"] - 1)
    await phone.send(WENDY, f"/antwoord {ref}")  # not Wendy's signal
    await phone.expect(WENDY, "Er staat geen vraag open")


async def test_closing_as_anders_asks_what_happened_and_the_note_stays_private(stack: Stack) -> None:
    """Anders asks how it was handled; the note passes the guard; the filer hears the outcome only, the
    group sees neither, and the history shows both to the desk."""
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")
    await phone.press(GERDA, "Afsluiten", chat_id=GGD, message_id=summary["message_id"])
    await phone.press(GERDA, "Anders", message_id=(await phone.expect(GERDA, "afsluiten:"))["message_id"])
    await phone.expect(GERDA, "Hoe is het afgehandeld? Eén korte zin.")
    await phone.fill(GERDA, "Samen met de buurtcoach een huisbezoek gedaan.")
    await phone.expect(GERDA, "Een korte notitie voor het dossier?")
    url = await phone.form_of(GERDA)
    assert "een telefoonnummer" in await phone.fill(GERDA, "Dochter belt terug op 06-12345678.", url=url)
    await phone.fill(GERDA, "Dochter belt terug op 06-12345678.", choice="redact", url=url)
    await no_bottleneck(phone, GERDA)
    confirm = await phone.expect(GERDA, f"Signaal {ref} afsluiten? Tik op Versturen")
    assert "Uitkomst: Anders" in confirm["text"]
    assert "Hoe: ✓ ingevuld" in confirm["text"] and "Notitie: ✓ ingevuld" in confirm["text"]
    await phone.press(GERDA, "Versturen", message_id=confirm["message_id"])
    told = await phone.expect(WILLEM, "afgesloten")
    assert told["text"].endswith(f"signaal {ref} afgesloten: op een andere manier afgehandeld.")
    history = await phone.details(GERDA, ref)
    lines = [line.split(" — ", 1)[1] for line in history.split("Geschiedenis:\n")[1].splitlines()]
    gerda = "Gerda (GGD Meldpunt) (GGD Drenthe — Meldpunt Zorgwekkend Gedrag)"
    assert lines[-3:] == [
        f"{gerda} heeft het afgesloten: op een andere manier afgehandeld",
        "zo is het afgehandeld: Samen met de buurtcoach een huisbezoek gedaan.",
        f"notitie van {gerda} bij het afsluiten: Dochter belt terug op [telefoon].",
    ]
    own = await phone.details(WILLEM, ref)  # the filer reads the steps and the outcome, not the notes
    assert "afgesloten: op een andere manier afgehandeld" in own
    for chat in (GGD, WILLEM):
        assert not any(
            "buurtcoach" in m["text"] or "Dochter" in m["text"] for m in await phone.messages(chat)
        )
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.status, signal.outcome) == ("afgesloten", "other")
        events = [(e.kind, e.note) for e in await uow.signals.events_of(signal.id)]
    assert events[-3:] == [
        ("closed", "other"),
        ("closed_how", "Samen met de buurtcoach een huisbezoek gedaan."),
        ("closing_note", "Dochter belt terug op [telefoon]."),
    ]


async def test_a_closing_chosen_after_a_colleague_handed_the_signal_over_closes_nothing(stack: Stack) -> None:
    """Gerda chooses privately how the GGD closes it while her colleague Gijs asks the wijkteam to take it
    over: her closing is refused in plain words and the hand-over stands."""
    phone = stack.phone
    assert phone is not None
    await _second_ggd_staff(stack)
    ref, summary = await _ggd_signal(stack)
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")
    await phone.press(GERDA, "Afsluiten", chat_id=GGD, message_id=summary["message_id"])
    await phone.press(
        GERDA, "Geen actie nodig", message_id=(await phone.expect(GERDA, "afsluiten:"))["message_id"]
    )
    await phone.press(GERDA, "Overslaan", message_id=(await phone.expect(GERDA, "notitie"))["message_id"])
    await no_bottleneck(phone, GERDA)
    confirm = await phone.expect(GERDA, "Tik op Versturen")
    await hand_over(phone, 2011, GGD, summary["message_id"], "Sociaal wijkteam Assen")
    await phone.expect(GGD, "overdracht aangevraagd")
    await phone.press(GERDA, "Versturen", message_id=confirm["message_id"])
    refused = await phone.expect(GERDA, "intussen veranderd")
    assert refused["text"] == (
        f"Signaal {ref} is intussen veranderd en niet afgesloten. Bekijk het met /signaal {ref}."
    )
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.status, signal.handover_to) == ("overdracht", "wijkteam-assen")
    assert not any("afgesloten" in m["text"] for m in await phone.messages(WILLEM))


async def _hand_over_to_wijkteam(stack: Stack, note: str = "") -> tuple[str, dict, dict]:  # type: ignore[type-arg]
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")  # the summary has been edited
    await phone.press(GERDA, "Doorzetten", chat_id=GGD, message_id=summary["message_id"])
    offer = await phone.expect(GERDA, f"Aan welk meldpunt wilt u signaal {ref} overdragen?")
    names = [row[0] for row in offer["buttons"]]
    assert "Sociaal wijkteam Emmen" not in names and "GGD Drenthe — Meldpunt Zorgwekkend Gedrag" not in names
    assert {"Veilig Thuis Drenthe", "Vroegsignalering schulden Assen"} <= set(names)
    await phone.press(GERDA, "Sociaal wijkteam Assen", message_id=offer["message_id"])
    asked = await phone.expect(GERDA, "Wilt u het ontvangende meldpunt iets meegeven?")
    if note:
        await phone.fill(GERDA, note)
    else:
        await phone.press(GERDA, "Overslaan", message_id=asked["message_id"])
    await phone.press(GERDA, "Versturen", message_id=(await phone.expect(GERDA, "aanvragen?"))["message_id"])
    incoming = await phone.expect(WIJKTEAM, f"Signaal {ref} · Assen")  # not "new": it is mid-hand-over
    told = await phone.expect(GERDA, "Overdracht aangevraagd.")
    assert told["text"] == (
        "Overdracht aangevraagd. U blijft verantwoordelijk tot Sociaal wijkteam Assen accepteert."
    )
    return ref, summary, incoming


async def test_a_warm_hand_over_accepted_moves_the_signal_and_the_filer_hears_it(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, summary, incoming = await _hand_over_to_wijkteam(stack, note=NOTE)
    assert "Waarom bij u: een ander meldpunt wil het aan u overdragen" in incoming["text"]
    # The note is typed: the receiving desk's chat hears that there is one; Sanne reads it privately.
    waits = await phone.expect(WIJKTEAM, "gaf een notitie mee")
    assert waits["text"] == (
        f"📝 GGD Drenthe — Meldpunt Zorgwekkend Gedrag gaf een notitie mee bij de overdracht van {ref}; "
        f"lees die privé met /signaal {ref}."
    )
    read = await phone.details(SANNE, ref)
    assert (
        f"notitie van Gerda (GGD Meldpunt) (GGD Drenthe — Meldpunt Zorgwekkend Gedrag) bij de overdracht: {NOTE}"
        in read
    )
    assert (
        "overdracht aangevraagd door GGD Drenthe" in incoming["text"]
        and "blijft verantwoordelijk" in incoming["text"]
    )
    assert incoming["buttons"] == [["Accepteren", "Weigeren"], ["📄 Lezen"]]
    sender_view = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert sender_view["buttons"] == [["📄 Lezen"]] and "overdracht aangevraagd" in sender_view["text"]
    # Only the receiving desk may accept; the sender cannot accept on its behalf.
    refused = await phone.press(GERDA, "Accepteren", chat_id=WIJKTEAM, message_id=incoming["message_id"])
    await stack.settle()
    assert (await phone.callback_answer(refused) or {}).get(
        "text"
    ) == "Alleen medewerkers van dit meldpunt kunnen dit doen."
    await phone.press(SANNE, "Accepteren", chat_id=WIJKTEAM, message_id=incoming["message_id"])
    moved = await phone.expect(WILLEM, "overgenomen")
    assert (
        moved["text"]
        == f"Sociaal wijkteam Assen heeft uw signaal {ref} overgenomen van GGD Drenthe — Meldpunt Zorgwekkend Gedrag."
    )
    await stack.settle()
    now_at_wijkteam = next(
        m for m in await phone.messages(WIJKTEAM) if m["message_id"] == incoming["message_id"]
    )
    assert "in behandeling bij Sociaal wijkteam Assen (Sanne (wijkteam Assen))" in now_at_wijkteam["text"]
    assert now_at_wijkteam["buttons"] == [
        ["Info vragen"],
        ["Doorzetten", "Afsluiten"],
        ["⚑ Urgent", "🧭 Regie", "🤝 Overleg"],
        ["📄 Lezen"],
    ]
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.owner_desk, signal.handover_to) == ("wijkteam-assen", None)
        events = [(e.kind, e.note) for e in await uow.signals.events_of(signal.id)]
    assert [kind for kind, _ in events] == [
        "filed",
        "picked_up",
        "handover_requested",
        "handover_note",
        "handover_accepted",
    ]
    assert events[3][1] == NOTE
    for chat in (GGD, WIJKTEAM, WILLEM):  # no group chat, and not the filer, ever shows the note
        assert not any("wijkcoach" in m["text"] for m in await phone.messages(chat))


async def test_a_refused_hand_over_returns_to_the_sender_with_the_reason(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, summary, incoming = await _hand_over_to_wijkteam(stack)
    await phone.press(
        SANNE, "Weigeren", chat_id=WIJKTEAM, message_id=incoming["message_id"]
    )  # reason asked privately
    await phone.expect(SANNE, "Waarom weigert u de overdracht?")
    await phone.fill(SANNE, "Dit is zorgwekkend gedrag, niet voor het wijkteam.")
    back = await phone.expect(GGD, "weigert de overdracht")
    # The group hears that it was refused, never the typed reason; the person responsible reads it privately.
    assert back["text"].startswith(f"Sociaal wijkteam Assen weigert de overdracht van {ref}. Het signaal")
    assert "zorgwekkend gedrag" not in back["text"]
    private = await phone.expect(GERDA, "weigert de overdracht")
    assert "zorgwekkend gedrag" not in private["text"]
    reason = await phone.read(GERDA, after=private["message_id"] - 1)
    assert "weigerde de overdracht: Dit is zorgwekkend gedrag, niet voor het wijkteam." in reason
    history = await phone.details(GERDA, ref)
    lines = history.split("Geschiedenis:\n")[1].splitlines()
    assert [line.split(" — ", 1)[1] for line in lines] == [
        "de melder heeft het ingediend",
        "Gerda (GGD Meldpunt) (GGD Drenthe — Meldpunt Zorgwekkend Gedrag) heeft het opgepakt",
        "Gerda (GGD Meldpunt) (GGD Drenthe — Meldpunt Zorgwekkend Gedrag) vroeg overdracht aan Sociaal wijkteam Assen",
        "Sanne (wijkteam Assen) (Sociaal wijkteam Assen) weigerde de overdracht: "
        "Dit is zorgwekkend gedrag, niet voor het wijkteam.",
    ]
    assert all(re.fullmatch(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}", line.split(" — ")[0]) for line in lines)
    assert "handover_" not in history and "picked_up" not in history
    await stack.settle()
    sender_view = next(m for m in await phone.messages(GGD) if m["message_id"] == summary["message_id"])
    assert "in behandeling bij GGD Drenthe" in sender_view["text"]
    assert sender_view["buttons"] == [
        ["Info vragen"],
        ["Doorzetten", "Afsluiten"],
        ["⚑ Urgent", "🧭 Regie", "🤝 Overleg"],
        ["📄 Lezen"],
    ]  # never without an owner
    async with stack.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.status, signal.owner_desk) == ("in_behandeling", "ggd-mzg")
        events = [(e.kind, e.note) for e in await uow.signals.events_of(signal.id)]
    assert events[-1] == ("handover_refused", "Dit is zorgwekkend gedrag, niet voor het wijkteam.")


async def test_mijn_is_each_persons_own_work(stack: Stack) -> None:
    """/mijn for the filer shows codes and system words, never what she typed about the resident; for Gerda
    what she has in hand and what is open at her desk; for Carla what is open in her gemeente (exact counts:
    a work list)."""
    phone = stack.phone
    assert phone is not None
    ref, summary = await _ggd_signal(stack)
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(WILLEM, "in behandeling")
    await phone.send(WILLEM, "/mijn")
    mine = await phone.expect(WILLEM, "Uw signalen")
    assert f"{ref} · " in mine["text"] and "REF-1" not in mine["text"]
    await phone.send(GERDA, "/mijn")
    gerda = await phone.expect(GERDA, "Bij u in behandeling (1):")
    assert f"{ref} · Assen · in behandeling" in gerda["text"]
    assert "Open bij GGD Drenthe — Meldpunt Zorgwekkend Gedrag: 1." in gerda["text"]
    assert "nog geen signalen doorgegeven" in gerda["text"]  # she filed none herself
    await phone.send(CARLA, "/mijn")
    carla = await phone.expect(CARLA, "Open in uw gemeenten")
    assert carla["text"].startswith("Open in uw gemeenten (Assen): 1, waarvan nog niet opgepakt: 0.")


async def test_a_desk_reads_who_filed_and_can_reach_them_the_filer_sees_no_such_line(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    ref, _ = await _ggd_signal(stack)
    page = await phone.details(GERDA, ref)
    willem = "Willem (welzijn)"
    line = next(x.strip() for x in page.splitlines() if x.strip().startswith("Melder:"))
    assert line.startswith(f"Melder: {willem} · ") and line.endswith("(veldwerker)")
    read = await phone.expect(GERDA, f"Signaal {ref} ·")
    assert read["buttons"] == [["📄 Openen"], [f"Contact met {willem}"]]
    (shown,) = [m for m in stack.emulator.chats[GERDA] if m.message_id == read["message_id"]]
    assert shown.keyboard[1][0]["url"] == f"tg://user?id={WILLEM}"  # a mention by id: no number shown
    own = await phone.details(WILLEM, ref)
    assert "Melder:" not in own
    mine = await phone.expect(WILLEM, f"Signaal {ref} ·")
    assert mine["buttons"] == [["📄 Openen"]]
