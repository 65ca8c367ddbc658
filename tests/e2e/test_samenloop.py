"""Samenloop and the routeeroverleg as transcripts, on both adapters and a fake clock: two organisations file
about the same resident and both are told, neither sees the other's text, and the match key is never kept;
three desks decide together who takes a signal (one objects first); an overleg nobody decides climbs the
gemeente's ladder."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.jobs import SendDigest
from storage.models import MatchKey
from tests.clock import FakeClock
from tests.e2e.harness import Phone, Stack, cli, file_intake, intake_from_care, stored_values
from tests.e2e.test_regie import ask_regie
from tests.e2e.test_regiobeeld import _ask, _csv, _url, browser
from tests.e2e.test_waakvlam import set_up, tick, until

pytestmark = pytest.mark.e2e

WENDY, HANNA, WILLEM, GERDA, VERA, ZEGER, SANNE, CARLA, MIRJAM = (
    1001,
    1002,
    1003,
    2001,
    2002,
    2003,
    2004,
    3001,
    4001,
)
GGD, VT, ZVHD, WIJKTEAM = -1001001, -1001002, -1001003, -1002002
GROUPS = (GGD, VT, ZVHD, WIJKTEAM)
KEY, SAME_KEY_TYPED_OTHERWISE = "9401 AB, 12a, 1961", "9401ab 12 A 1961"
GGD_NAME, VT_NAME = "GGD Drenthe — Meldpunt Zorgwekkend Gedrag", "Veilig Thuis Drenthe"
WHY_NOT = "Wij kennen het gezin niet; de GGD ligt meer voor de hand."


async def _ref(
    phone: Phone, user: int, categories: list[str], description: str, key: str = "", own: str = "REF-1"
) -> str:
    receipt = await file_intake(phone, user, categories, ref=own, description=description, match_key=key)
    return receipt["text"].split()[2]


async def _typed_in_groups(phone: Phone, *words: str) -> list[str]:
    return [
        m["text"] for chat in GROUPS for m in await phone.messages(chat) if any(w in m["text"] for w in words)
    ]


async def test_two_organisations_about_one_resident_both_told_neither_sees_the_other(
    timed: Stack, capfd: pytest.CaptureFixture[str]
) -> None:
    phone = timed.phone
    assert phone is not None
    first = await _ref(phone, WENDY, ["Overlast"], "Harde muziek, ruzie op de galerij.", KEY, "REF-1-WENDY")
    second = await _ref(
        phone,
        WILLEM,
        ["Verward of zorgwekkend gedrag"],
        "Verward, post stapelt zich op.",
        SAME_KEY_TYPED_OTHERWISE,
    )

    # The desk of the new signal (GGD) and the desk of the running one (wijkteam) each hear it, privately.
    gerda = await phone.expect(GERDA, "🔗 Mogelijk samenloop")
    assert (
        f"{second} is waarschijnlijk dezelfde bewoner als een lopend dossier bij Sociaal wijkteam Assen"
        in gerda["text"]
    )
    assert gerda["buttons"] == [["🤝 Routeeroverleg"], ["📄 Openen"]]
    sanne = await phone.expect(SANNE, "🔗 Mogelijk samenloop")
    assert (
        f"uw {first} is waarschijnlijk dezelfde bewoner als een nieuw dossier bij {GGD_NAME}" in sanne["text"]
    )
    for told in (gerda, sanne):
        assert "muziek" not in told["text"] and "post stapelt" not in told["text"]
    # Nobody else hears of it: not the filers, not the groups.
    for filer in (WENDY, WILLEM):
        assert not [
            m for m in await phone.messages(filer) if "samenloop" in m["text"].lower() and "🔗" in m["text"]
        ]
    assert not await _typed_in_groups(phone, "samenloop", "Samenloop")
    # Gerda reads her own signal, not the other one.
    assert "Verward, post stapelt" in await phone.read(GERDA, after=gerda["message_id"] - 1)
    await phone.send(GERDA, f"/signaal {first}")
    await phone.expect(GERDA, "Dit signaal bestaat niet, of u mag het niet inzien.")

    # The match key is never kept: not in any table (decrypted), only a keyed pseudonym.
    everything = await stored_values(timed)
    for part in ("9401AB", "9401 AB", "9401ab", "1961", "12a", "12 A"):
        # As a word of its own: a hex digest or a time may hold "12a" or "1961" by chance.
        assert not re.search(rf"(?<![0-9A-Za-z]){re.escape(part)}(?![0-9A-Za-z])", everything), part
    # Nor in the database's files as they lie on disk (the WAL too), nor in any log line.
    db = Path(timed.database_url.split("///", 1)[1])
    raw = b"".join(f.read_bytes() for f in db.parent.glob(db.name + "*"))
    logged = "".join(capfd.readouterr())
    assert raw and "update_handled" in logged
    for part in ("9401AB", "9401 AB", "9401ab"):
        assert part.encode() not in raw and part not in logged
    async with timed.uow() as uow:
        a, b = (await uow.signals.by_ref(first), await uow.signals.by_ref(second))
        assert a is not None and b is not None
        keys = await uow.samenloop.keys_like([], 0)
        audit = [e.action for e in await uow.audit.query(subject=second)]
        counted = [(t.kind, t.count) for t in await uow.tallies.all() if t.kind == "samenloop"]
    assert "match_key_given" in audit and counted == [("samenloop", 1)]
    assert keys == []  # keys_like finds nothing without a pseudonym

    # 🤝 Routeeroverleg: both desks get the signal's card and decide together.
    await phone.press(GERDA, "🤝 Routeeroverleg", message_id=gerda["message_id"])
    opened = await phone.expect(GERDA, "Routeeroverleg O-")
    overleg = opened["text"].split()[1]
    for chat in (GGD, WIJKTEAM):
        card = await phone.expect(chat, f"🤝 Routeeroverleg {overleg} over {second}")
        assert "Waarom: mogelijke samenloop" in card["text"]
    assert await phone.expect(WIJKTEAM, f"Nieuw signaal {second}")  # the wijkteam now has the signal too

    # Erasing Wendy's resident takes the pseudonym with the signal; Willem's stays, and matches nothing now.
    assert "erased 1 signals" in await cli(timed, "erase-person", "REF-1-WENDY", "--yes")
    async with timed.uow() as uow:
        left = list(await uow.session.scalars(select(MatchKey)))
    assert [k.signal_id for k in left] == [b.id]


async def test_three_desks_one_objects_then_they_agree_and_the_filer_hears_who_leads(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    categories = [
        "Verward of zorgwekkend gedrag",
        "Huiselijk geweld of kindermishandeling",
        "Stalking of bedreiging",
    ]
    ref = await _ref(phone, WENDY, categories, "Buren horen geschreeuw.")
    cards = {chat: await phone.expect(chat, f"over {ref}") for chat in (GGD, VT, ZVHD)}
    overleg = cards[GGD]["text"].split()[2]
    for chat, card in cards.items():
        assert "Waarom: gemeld bij meer meldpunten" in card["text"]
        assert card["buttons"] == [["In beeld", "Niet in beeld", "Eerder in beeld"], ["Voorstel doen"]]
        summary = await phone.expect(chat, f"Nieuw signaal {ref}")
        assert "Oppakken" not in [b for row in summary["buttons"] for b in row]  # nobody takes it alone

    await phone.press(GERDA, "Eerder in beeld", chat_id=GGD, message_id=cards[GGD]["message_id"])
    await timed.settle()
    assert (
        f"• {GGD_NAME} — eerder in beeld"
        in (await phone.expect(ZVHD, f"🤝 Routeeroverleg {overleg}"))["text"]
    )

    async def propose(lead: str) -> None:
        await phone.press(ZEGER, "Voorstel doen", chat_id=ZVHD, message_id=cards[ZVHD]["message_id"])
        await phone.press(
            ZEGER,
            "Procesregie",
            message_id=(await phone.message_with_button(ZEGER, "Procesregie"))["message_id"],
        )
        await phone.press(
            ZEGER, lead, message_id=(await phone.message_with_button(ZEGER, lead))["message_id"]
        )
        await phone.press(
            ZEGER, "Versturen", message_id=(await phone.expect(ZEGER, "Dit voorstellen"))["message_id"]
        )

    await propose(VT_NAME)
    await phone.expect(VT, f"🤝 Nieuw voorstel in routeeroverleg {overleg}")
    await timed.settle()
    vt_card = next(m for m in await phone.messages(VT) if m["message_id"] == cards[VT]["message_id"])
    assert (
        f"Voorstel van Zorg- en Veiligheidshuis Drenthe: procesregie; aan zet: {VT_NAME}." in vt_card["text"]
    )
    assert ["Akkoord", "Bezwaar"] in vt_card["buttons"]
    await phone.press(VERA, "Bezwaar", chat_id=VT, message_id=cards[VT]["message_id"])
    await phone.expect(VERA, "Bezwaar tegen het voorstel")
    await phone.fill(VERA, WHY_NOT)
    told = await phone.expect(ZEGER, "Bezwaar van Veilig Thuis Drenthe tegen het voorstel")
    assert WHY_NOT not in told["text"]
    assert f"Bezwaar van Veilig Thuis Drenthe: {WHY_NOT}" in await phone.read(
        ZEGER, after=told["message_id"] - 1
    )
    assert not await _typed_in_groups(phone, "gezin niet", "geschreeuw")  # typed words stay off the chats

    await timed.settle()
    await propose(GGD_NAME)
    await timed.settle()
    await phone.press(VERA, "Akkoord", chat_id=VT, message_id=cards[VT]["message_id"])
    await timed.settle()
    heard_early = [m for m in await phone.messages(WENDY) if "routeeroverleg van de meldpunten" in m["text"]]
    assert heard_early == []  # not decided while the GGD has not agreed
    await phone.press(GERDA, "Akkoord", chat_id=GGD, message_id=cards[GGD]["message_id"])
    heard = await phone.expect(WENDY, f"Uw signaal {ref} is besproken in het routeeroverleg")
    assert f"{GGD_NAME} is aan zet (procesregie)" in heard["text"]
    await timed.settle()
    ggd = next(m for m in await phone.messages(GGD) if m["message_id"] == cards[GGD]["message_id"])
    assert "✅ Besloten op" in ggd["text"] and ggd["buttons"] == []
    summaries = {chat: await phone.expect(chat, f"Nieuw signaal {ref}") for chat in (GGD, VT)}
    assert "Oppakken" in [b for row in summaries[GGD]["buttons"] for b in row]
    assert "Oppakken" not in [b for row in summaries[VT]["buttons"] for b in row]
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summaries[GGD]["message_id"])
    await phone.expect(WENDY, "heeft uw signaal")

    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        stored = await uow.samenloop.overleg_by_ref(overleg)
        assert signal is not None and stored is not None
        parts = {p.meldpunt_id: (p.in_view, p.vote) for p in await uow.samenloop.parts(stored.id)}
        counted = sorted(
            (t.kind, t.category) for t in await uow.tallies.all() if t.kind.startswith("overleg")
        )
    assert (stored.status, stored.route, stored.lead) == ("decided", "procesregie", "ggd-mzg")
    assert signal.owner_desk == "ggd-mzg" and signal.status == "in_behandeling"
    assert parts == {
        "ggd-mzg": ("earlier", "agree"),
        "veilig-thuis": (None, "agree"),
        "zvhd": (None, "agree"),
    }
    assert ("overleg", "routing") in counted and ("overleg_besluit", "procesregie") in counted
    # The resident's export holds the overleg too: who took part, what each said, the objection's reason.
    exported = json.loads(await cli(timed, "export-person", "REF-1"))
    [held] = exported["signals"][0]["overleggen"]
    assert (held["ref"], held["route"], held["lead"]) == (overleg, "procesregie", "ggd-mzg")
    assert {p["desk"]: p["note"] for p in held["parts"]}["veilig-thuis"] == WHY_NOT

    # The regiobeeld counts it (small numbers hidden as ×), as a table and a CSV that Dutch Excel opens.
    link = _url(await _ask(timed, CARLA))
    async with browser() as http:
        async with http.get(link) as resp:
            page = await resp.text()
        base = link.split("/login")[0]
        months = await _csv(http, base + "/samenloop.csv")
        overleggen = await _csv(http, base + "/routeeroverleg.csv")
    assert "Samenloop en routeeroverleg" in page and ref not in page and overleg not in page
    assert months[0] == "Maand;Mogelijke samenloop;Routeeroverleg gestart;Besloten;Adviesvragen"
    assert months[-1] == "november 2026;0;×;×;0"
    assert overleggen == [
        "Waarom gestart;Aantal",
        "gemeld bij meer meldpunten;×",
        "gevraagd door een meldpunt;0",
        "mogelijke samenloop;0",
        "Besluit: procesregie;×",
        "Besluit: advies;0",
        "Besluit: niet passend;0",
        "Tijd tot besluit, mediaan;–",
    ]


async def test_an_overleg_nobody_decides_goes_up_the_ladder(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    ref = await _ref(
        phone, WENDY, ["Huiselijk geweld of kindermishandeling", "Stalking of bedreiging"], "Zorgen."
    )
    card = await phone.expect(VT, f"over {ref}")
    overleg = card["text"].split()[2]
    assert "Besluit graag vóór 24 nov 2026 16:30" in card["text"]  # 16 working hours from Monday 09:00
    await until(timed, datetime(2026, 11, 24, 15, 35, tzinfo=UTC))
    await phone.expect(VT, f"⏰ Routeeroverleg {overleg} ({ref}) is niet besloten binnen de termijn")
    # The desks' overview of the day lists it as still to decide.
    assert timed.core is not None
    async with timed.uow() as uow:
        await timed.core.digests.run(uow, SendDigest("veilig-thuis", date(2026, 11, 25)))
        await uow.commit()
    await phone.expect(VT, f"🤝 Routeeroverleg nog niet besloten: {overleg} ({ref})")
    rung = await phone.expect(MIRJAM, "⬆ Opschaling")
    assert f"Over: {ref}" in rung["text"]
    async with timed.uow() as uow:
        stored = await uow.samenloop.overleg_by_ref(overleg)
        assert stored is not None and stored.climbed and stored.status == "open"


async def test_a_waakvlam_and_a_new_signal_about_one_resident(timed: Stack) -> None:
    """A match key given on a waakvlam finds a later signal of another organisation: the waakvlam's contact
    and the signal's desk hear it (no Routeeroverleg: that decides about two signals)."""
    phone = timed.phone
    assert phone is not None
    await phone.send(GERDA, "/waakvlam")
    await phone.expect(GERDA, "Welke eigen referentie heeft de bewoner")
    await phone.fill(GERDA, "EF-56")
    await phone.expect(GERDA, "Wie houdt contact met de bewoner?")
    agreement = await set_up(phone, GERDA, "Hanna (woningcorporatie) · Actium", match_key=KEY, desk=GGD_NAME)
    signal = await _ref(phone, WENDY, ["Overlast"], "Ruzie op de galerij.", SAME_KEY_TYPED_OTHERWISE)
    hanna = await phone.expect(HANNA, "🔗 Mogelijk samenloop")
    assert (
        f"uw {agreement} is waarschijnlijk dezelfde bewoner als een nieuw dossier bij Sociaal wijkteam Assen"
        in (hanna["text"])
    )
    sanne = await phone.expect(SANNE, "🔗 Mogelijk samenloop")
    assert f"{signal} is waarschijnlijk dezelfde bewoner als een lopend dossier bij Actium" in sanne["text"]
    assert sanne["buttons"] == [["📄 Openen"]] and "Ruzie" not in hanna["text"]
    async with timed.uow() as uow:
        keys = list(await uow.session.scalars(select(MatchKey).order_by(MatchKey.id)))
    assert [(k.agreement_id is not None, k.signal_id is not None) for k in keys] == [
        (True, False),
        (False, True),
    ]


async def test_a_regie_and_a_new_signal_about_one_resident(timed: Stack) -> None:
    """A match key given when regie is asked finds a later signal of another organisation about the same
    resident under another reference: the regisseur and the signal's desk hear it."""
    phone = timed.phone
    assert phone is not None
    directed = await _ref(phone, WILLEM, ["Verward of zorgwekkend gedrag"], "Verward.", own="AB-12")
    await phone.send(GERDA, f"/regie {directed}")
    regie = await ask_regie(phone, GERDA, "Mijzelf (Gerda (GGD Meldpunt))", directed, "U bent regisseur", KEY)
    signal = await _ref(phone, WENDY, ["Overlast"], "Ruzie.", SAME_KEY_TYPED_OTHERWISE, own="POL-77")
    gerda = await phone.expect(GERDA, "🔗 Mogelijk samenloop")
    assert (
        f"uw {regie} is waarschijnlijk dezelfde bewoner als een nieuw dossier bij Sociaal wijkteam Assen"
        in (gerda["text"])
    )
    sanne = await phone.expect(SANNE, "🔗 Mogelijk samenloop")
    assert (
        f"{signal} is waarschijnlijk dezelfde bewoner als een lopend dossier bij GGD Drenthe" in sanne["text"]
    )


async def test_triage_into_the_werkvoorraad_reprioritised_on_monday_and_the_filer_told(timed: Stack) -> None:
    """Veilig Thuis triages: procesregie without capacity goes on its werkvoorraad with a priority; the filer
    hears it with whom to contact; on Monday the desk's card changes the priority and starts it."""
    phone = timed.phone
    assert phone is not None and timed.core is not None and isinstance(timed.clock, FakeClock)
    ref = await _ref(phone, WENDY, ["Huiselijk geweld of kindermishandeling"], "Zorgen om de kinderen.")
    summary = await phone.expect(VT, f"Nieuw signaal {ref}")
    await phone.press(VERA, "Oppakken", chat_id=VT, message_id=summary["message_id"])
    await timed.settle()
    shown = next(m for m in await phone.messages(VT) if m["message_id"] == summary["message_id"])
    assert ["Procesregie", "Uitgebreid advies"] in shown["buttons"] and [
        "Kort advies",
        "Niet passend",
    ] in shown["buttons"]
    await phone.press(VERA, "Procesregie", chat_id=VT, message_id=summary["message_id"])
    await timed.settle()
    shown = next(m for m in await phone.messages(VT) if m["message_id"] == summary["message_id"])
    assert ["▶ Nu starten"] in shown["buttons"] and [
        "Werkvoorraad P1",
        "Werkvoorraad P2",
        "Werkvoorraad P3",
    ] in shown["buttons"]
    await phone.press(VERA, "Werkvoorraad P2", chat_id=VT, message_id=summary["message_id"])
    told = await phone.expect(
        WENDY, f"Uw signaal {ref} staat op de werkvoorraad van Veilig Thuis Drenthe, prioriteit 2"
    )
    assert "Contact: Vera (Veilig Thuis), Veilig Thuis Drenthe." in told["text"]
    await phone.send(VERA, "/open", chat_id=VT)
    assert (
        " · werkvoorraad P2, wacht minder dan een week"
        in (await phone.expect(VT, "Open signalen van"))["text"]
    )

    # Monday 30 November, 08:00: the desk's overview brings the werkvoorraad card; the filer hears again.
    timed.clock.set(datetime(2026, 11, 30, 7, 0, tzinfo=UTC))
    async with timed.uow() as uow:
        await timed.core.digests.plan_today(uow)
        await uow.commit()
    await tick(timed)
    card = await phone.expect(VT, "Werkvoorraad Veilig Thuis Drenthe, maandag 30 november 2026: 1 wachtend")
    assert f"1. P2 · {ref} · Assen · wacht 1 week" in card["text"]
    assert card["buttons"] == [["1 → P1", "1 → P3", "1 ▶"]]
    again = [m for m in await phone.messages(WENDY) if "staat op de werkvoorraad" in m["text"]]
    assert len(again) == 2
    await phone.press(VERA, "1 → P1", chat_id=VT, message_id=card["message_id"])
    await timed.settle()
    card = next(m for m in await phone.messages(VT) if m["message_id"] == card["message_id"])
    assert f"1. P1 · {ref}" in card["text"] and card["buttons"] == [["1 → P2", "1 → P3", "1 ▶"]]
    await phone.press(VERA, "1 ▶", chat_id=VT, message_id=card["message_id"])
    await timed.settle()
    card = next(m for m in await phone.messages(VT) if m["message_id"] == card["message_id"])
    assert ": 0 wachtend" in card["text"] and card["buttons"] == []
    async with timed.uow() as uow:
        signal = await uow.signals.by_ref(ref)
        assert signal is not None and (signal.triage, signal.priority) == ("procesregie", 0)
        kinds = [e.kind for e in await uow.signals.events_of(signal.id)]
        counted = sorted(
            (t.kind, t.category) for t in await uow.tallies.all() if t.kind in ("triage", "waited")
        )
    assert kinds[-4:] == ["triaged", "queued", "queued", "started"]
    assert counted == [("triage", "veilig-thuis:procesregie"), ("waited", "veilig-thuis:1")]
    link = _url(await _ask(timed, CARLA))
    async with browser() as http:
        async with http.get(link) as resp:
            assert resp.status == 200
        base = link.split("/login")[0]
        triage = await _csv(http, base + "/triage.csv")
        queue = await _csv(http, base + "/werkvoorraad.csv")
    assert triage[0] == "Meldpunt;Procesregie;Uitgebreid advies;Kort advies;Niet passend"
    assert "Veilig Thuis Drenthe;×;0;0;0" in triage
    assert queue[0].startswith("Meldpunt;Wachtend P1;Wachtend P2;Wachtend P3;Langst wachtend (weken)")
    assert "Veilig Thuis Drenthe;0;0;0;0;–" in queue  # started: nothing waits now; too few to give a median


async def test_advice_asked_answered_read_privately_and_turned_into_a_signal(timed: Stack) -> None:
    """/advies: Willem asks the GGD a question without a resident; Gerda reads and answers it privately; the
    group shows the code and the kind of asker only; Willem files a signal from it with one tap."""
    phone = timed.phone
    assert phone is not None
    question, answer = "Hoe benader ik een buurman die elke hulp afwijst?", "Ga samen met de wijkagent langs."
    await phone.send(WILLEM, "/advies")
    await phone.press(
        WILLEM, GGD_NAME, message_id=(await phone.message_with_button(WILLEM, GGD_NAME))["message_id"]
    )
    await phone.expect(WILLEM, "Uw vraag, op het formulier")
    await phone.fill(WILLEM, question)
    await phone.press(
        WILLEM,
        "Versturen",
        message_id=(await phone.expect(WILLEM, "Deze adviesvraag versturen?"))["message_id"],
    )
    sent = await phone.expect(WILLEM, "Uw adviesvraag A-")
    ref = sent["text"].split()[2]
    card = await phone.expect(GGD, f"❓ Adviesvraag {ref} · Welzijn en wijkteam · Assen")
    assert card["buttons"] == [["📄 Lezen", "✍️ Beantwoorden"]]
    await phone.press(GERDA, "📄 Lezen", chat_id=GGD, message_id=card["message_id"])
    told = await phone.expect(GERDA, f"Adviesvraag {ref} aan {GGD_NAME}: lees hem op de server")
    assert question in await phone.read(GERDA, after=told["message_id"] - 1)
    await phone.press(GERDA, "✍️ Beantwoorden", chat_id=GGD, message_id=card["message_id"])
    await phone.expect(GERDA, f"Uw antwoord op adviesvraag {ref}")
    await phone.fill(GERDA, answer)
    heard = await phone.expect(WILLEM, f"✉️ Antwoord van {GGD_NAME} op uw adviesvraag {ref}")
    assert heard["buttons"] == [["📄 Openen"], ["📝 Signaal indienen"]]
    page = await phone.read(WILLEM, after=heard["message_id"] - 1)
    assert question in page and answer in page
    await timed.settle()
    card = next(m for m in await phone.messages(GGD) if m["message_id"] == card["message_id"])
    assert "Beantwoord door Gerda (GGD Meldpunt)" in card["text"] and card["buttons"] == [["📄 Lezen"]]
    assert not await _typed_in_groups(phone, "buurman", "wijkagent langs")
    # Someone else may not read it.
    await phone.press(VERA, "📄 Lezen", chat_id=GGD, message_id=card["message_id"])
    await timed.settle()

    # It becomes a signal after all: one tap starts the intake, and the question remembers the signal.
    mark = await phone.last_id(WILLEM)
    await phone.press(WILLEM, "📝 Signaal indienen", message_id=heard["message_id"])
    await phone.press(
        WILLEM, "Nee", message_id=(await phone.message_with_button(WILLEM, "Ja", after=mark))["message_id"]
    )
    await phone.press(WILLEM, "Zorgmijding")
    await phone.press(
        WILLEM,
        "Klaar",
        message_id=(await phone.message_with_button(WILLEM, "✅ Zorgmijding", after=mark))["message_id"],
    )
    await phone.expect(WILLEM, "eigen korte referentie", after=mark)
    await phone.fill(WILLEM, "WW-9")
    await phone.expect(WILLEM, "welke wijk", after=mark)
    await phone.fill(WILLEM, "9401")
    await phone.expect(WILLEM, "Beschrijf kort", after=mark)
    await phone.fill(WILLEM, "Mijdt elke hulp.")
    receipt = await intake_from_care(phone, WILLEM, mark)
    signal = receipt["text"].split()[2]
    async with timed.uow() as uow:
        stored = await uow.samenloop.advice_by_ref(ref)
        filed = await uow.signals.by_ref(signal)
        counted = [(t.kind, t.category, t.count) for t in await uow.tallies.all() if t.kind == "advies"]
        refused = [a.action for a in await uow.audit.query() if a.action == "advice_refused"]
    assert stored is not None and filed is not None and stored.signal_id == filed.id
    assert (stored.question, stored.answer) == (question, answer)
    assert counted == [("advies", "ggd-mzg:welzijn", 1)] and refused == ["advice_refused"]
    link = _url(await _ask(timed, CARLA))
    async with browser() as http:
        async with http.get(link) as resp:
            assert resp.status == 200
        advice = await _csv(http, link.split("/login")[0] + "/advies.csv")
    assert advice[:2] == ["Meldpunt;Adviesvragen", f"{GGD_NAME};×"]
    assert "Wie vraagt: Welzijn en wijkteam;×" in advice and "Wie vraagt: Politie;0" in advice
