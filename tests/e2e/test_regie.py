"""Regie as transcripts, on both adapters and a fake clock: a desk asks a regisseur for a resident, the one
asked declines with a reason, the desk asks again, the second one accepts; every summary names the
regisseur; a later signal and a relapse about the same resident reach the regisseur at once, privately."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.clock import FakeClock
from tests.e2e.harness import Phone, Stack, close_signal, file_intake
from tests.e2e.test_regiobeeld import _monday
from tests.e2e.test_waakvlam import set_up, until

pytestmark = pytest.mark.e2e

WENDY, HANNA, WILLEM, GERDA, SANNE, CARLA = 1001, 1002, 1003, 2001, 2004, 3001
GGD = -1001001
HANNA_ACTIUM = "Hanna (woningcorporatie) · Actium"
SANNE_WIJKTEAM = "Sanne (wijkteam Assen) · Gemeente Assen"


async def filed(phone: Phone, who: int, ref: str, category: str = "Verward of zorgwekkend gedrag") -> str:
    """A field worker files a signal about resident `ref`; the signal's code."""
    receipt = await file_intake(phone, who, [category], ref=ref)
    return str(receipt["text"].split()[2])


async def ask_regie(
    phone: Phone, by: int, who: str, signal: str, told: str = "gevraagd aan", match_key: str = ""
) -> str:
    """After the first question: choose `who`, a match key or Overslaan, look once more, send; the regie's
    code from the answer."""
    mark = await phone.last_id(by)
    await phone.press(by, who)
    samenloop = await phone.expect(by, "Samenloop:", after=mark)
    if match_key:
        await phone.fill(by, match_key)
    else:
        await phone.press(by, "Overslaan", message_id=samenloop["message_id"])
    confirm = await phone.expect(by, f"Regie vragen voor de bewoner van signaal {signal}?", after=mark)
    assert f"Regisseur: {who}" in confirm["text"]
    await phone.press(by, "Versturen", message_id=confirm["message_id"])
    answer = await phone.expect(by, told, after=mark)
    return next(w.strip("().") for w in answer["text"].split() if w.startswith(("R-", "(R-")))


async def test_regie_asked_declined_asked_again_and_accepted(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    signal = await filed(phone, WILLEM, "AB-12")
    summary = await phone.expect(GGD, f"Nieuw signaal {signal}")
    assert "🧭 Regie" in [b for row in summary["buttons"] for b in row]

    # Gerda (GGD) asks a regisseur from the desk's summary: the question comes privately, the group waits.
    pressed = await phone.press(GERDA, "🧭 Regie", chat_id=GGD, message_id=summary["message_id"])
    answer = await phone.callback_answer(pressed)
    assert answer is not None and "privégesprek" in answer["text"]
    question = await phone.expect(GERDA, f"Wie wordt regisseur voor de bewoner van signaal {signal}?")
    offered = [b for row in question["buttons"] for b in row]
    assert HANNA_ACTIUM in offered and SANNE_WIJKTEAM in offered
    regie = await ask_regie(phone, GERDA, HANNA_ACTIUM, signal)
    assert regie.startswith("R-")
    await phone.expect(GERDA, f"Regie {regie} gevraagd aan Hanna (woningcorporatie). Tot Hanna")
    await phone.expect(GERDA, "accepteert blijft de regie bij u.")

    # Hanna is asked privately: codes and names of professionals only; the signal itself is read on the page.
    request = await phone.expect(HANNA, "vraagt u regisseur te zijn")
    assert (
        f"signaal {signal} (Assen)" in request["text"]
        and "Gerda (GGD Meldpunt) (GGD Drenthe)" in request["text"]
    )
    assert "AB-12" not in request["text"]
    assert request["buttons"][0] == ["Accepteren", "Weigeren"]
    assert "Referentie van de melder: AB-12" in await phone.read(HANNA)
    waiting = await phone.expect(GGD, "🧭 Regie: gevraagd aan Hanna (woningcorporatie) (Actium)")
    assert waiting["message_id"] == summary["message_id"]  # the summary itself, edited

    # She declines, with a reason chosen from a short list; Gerda and Carla (coordinator) hear why.
    await phone.press(HANNA, "Weigeren", message_id=request["message_id"])
    why = await phone.expect(HANNA, "Waarom neemt u de regie niet?")
    await phone.press(HANNA, "Geen ruimte in mijn caseload", message_id=why["message_id"])
    await phone.expect(HANNA, f"U neemt de regie {regie} niet.")
    told = await phone.expect(GERDA, "neemt de regie voor de bewoner")
    assert told["text"] == (
        f"Hanna (woningcorporatie) neemt de regie voor de bewoner van signaal {signal} niet: Geen ruimte in "
        f"mijn caseload. De regie blijft bij u; vraag een ander met /regie {signal}."
    )
    carla = await phone.expect(CARLA, "neemt de regie voor de bewoner")
    assert "De regie blijft bij Gerda (GGD Meldpunt)" in carla["text"]
    # The old request's Accepteren no longer does anything.
    late = await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    assert (await phone.callback_answer(late) or {}).get("text") == "Dit verzoek staat niet meer open."

    # Gerda asks again, typed this time; Sanne (wijkteam) accepts.
    await phone.send(GERDA, f"/regie {signal}")
    await phone.expect(GERDA, f"Wie wordt regisseur voor de bewoner van signaal {signal}?")
    assert await ask_regie(phone, GERDA, SANNE_WIJKTEAM, signal) == regie  # one regie per resident
    ask = await phone.expect(SANNE, "vraagt u regisseur te zijn")
    await phone.press(SANNE, "Accepteren", message_id=ask["message_id"])
    accepted = await phone.expect(SANNE, f"U bent regisseur voor de bewoner van signaal {signal} ({regie})")
    assert accepted["message_id"] == ask["message_id"] and accepted["buttons"] == [["📄 Openen"]]
    await phone.expect(
        GERDA, f"Sanne (wijkteam Assen) (Gemeente Assen) is nu regisseur voor de bewoner van signaal {signal}"
    )
    await phone.expect(GGD, "🧭 Regie: Sanne (wijkteam Assen) (Gemeente Assen)")
    async with timed.uow() as uow:
        stored = await uow.regies.by_ref(regie)
        sanne = await uow.users.by_telegram_id(SANNE)
        assert stored is not None and sanne is not None
        assert (stored.status, stored.regisseur_id, stored.asked_id) == ("active", sanne.id, None)
        kinds = [(e.kind, e.note) for e in await uow.regies.events_of(stored.id)]
        assert kinds == [("asked", None), ("declined", "capacity"), ("asked", None), ("accepted", None)]

    # `/signaal`, `/mijn` and `/regie` say who directs.
    mark = await phone.last_id(GERDA)
    await phone.send(GERDA, f"/signaal {signal}")
    headline = await phone.expect(GERDA, f"Signaal {signal} · Assen", after=mark)
    assert "🧭 Regie: Sanne (wijkteam Assen) (Gemeente Assen)" in headline["text"]
    await phone.send(SANNE, "/mijn")
    await phone.expect(SANNE, "Regie bij u: 1, gevraagd aan u: 0. Overzicht met /regie.")
    await phone.send(SANNE, "/regie")
    listing = await phone.expect(SANNE, "Regie bij u (1):")
    assert f"{regie} · Assen · sinds 23 nov 2026 09:00 · signalen: {signal}" in listing["text"]

    # A later signal about the same resident (typed differently) reaches Sanne at once, privately.
    later = await filed(phone, WENDY, "ab 12", "Overlast")
    news = await phone.expect(SANNE, f"🧭 Nieuw signaal {later} (Assen)")
    assert f"over de bewoner van wie u regisseur bent ({regie})" in news["text"]
    assert news["buttons"] == [["📄 Openen"]]
    assert "Referentie van de melder: ab 12" in await phone.read(SANNE, after=news["message_id"] - 1)


async def test_the_coordinator_sees_regies_and_signals_left_without_a_regisseur(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    clock = timed.clock
    assert isinstance(clock, FakeClock)
    directed = await filed(phone, WILLEM, "AB-12")
    alone = await filed(phone, WENDY, "CD-34", "Overlast")
    await phone.send(GERDA, f"/regie {directed}")
    # Taking it on oneself: no request, it runs at once.
    await ask_regie(phone, GERDA, "Mijzelf (Gerda (GGD Meldpunt))", directed, told="U bent regisseur")

    # Five working days on (Monday 23 → Monday 30 November), the other signal has no regisseur yet.
    clock.advance(timedelta(days=7))
    await phone.send(CARLA, "/regie")
    listing = await phone.expect(CARLA, "Regie in uw gemeenten (1):")
    assert "· Assen · Regie: Gerda (GGD Meldpunt) (GGD Drenthe)" in listing["text"]
    assert "Open signalen zonder regisseur, langer dan 5 werkdagen (1):" in listing["text"]
    assert f"{alone} · Assen · sinds 23 nov 2026 09:00" in listing["text"]
    assert f"{directed} · Assen · sinds" not in listing["text"]

    # Who is no desk of the signal and no coordinator may not ask a regisseur for it.
    await phone.send(WILLEM, f"/regie {directed}")  # he filed it: he reads it, but does not direct it
    await phone.expect(WILLEM, "Regie vragen voor dit signaal kunnen de meldpunten")
    await phone.send(HANNA, f"/regie {directed}")
    await phone.expect(HANNA, "Dit signaal bestaat niet, of u mag het niet inzien.")
    await phone.send(WENDY, f"/regie {directed}", chat_id=GGD)
    await phone.expect(GGD, "Dit kan alleen in een privégesprek met de bot.")

    # Gerda is switched off: the resident she directed is not left without anyone noticing.
    await phone.send(CARLA, f"/deactiveer {GERDA}")
    left = await phone.expect(CARLA, "Gerda (GGD Meldpunt) is gedeactiveerd. Regie R-")
    assert f"(Assen) heeft een nieuwe regisseur nodig: /regie {directed}" in left["text"]
    await phone.send(CARLA, "/regie")
    again = await phone.expect(CARLA, "Regie in uw gemeenten (1):", after=left["message_id"])
    assert "· Assen · nog geen regisseur" in again["text"]
    assert f"{directed} · Assen · sinds" in again["text"]  # open, and nobody directs its resident now


async def test_a_relapse_in_a_waakvlam_reaches_the_regisseur(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    signal = await filed(phone, WILLEM, "AB-12")
    summary = await phone.expect(GGD, f"Nieuw signaal {signal}")
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling")
    await phone.send(GERDA, f"/regie {signal}")
    regie = await ask_regie(phone, GERDA, SANNE_WIJKTEAM, signal)
    await phone.press(
        SANNE, "Accepteren", message_id=(await phone.expect(SANNE, "vraagt u regisseur"))["message_id"]
    )
    await phone.expect(SANNE, "U bent regisseur")

    # The desk closes and scales down into a waakvlam that Hanna holds.
    await close_signal(phone, GERDA, GGD, summary["message_id"], "Hulp gestart")
    await phone.message_with_button(GGD, "🕯 Waakvlam starten")  # the summary offers what follows closing
    await phone.press(GERDA, "🕯 Waakvlam starten", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GERDA, "Wie houdt contact met de bewoner?")
    waakvlam = await set_up(phone, GERDA, HANNA_ACTIUM)
    await phone.press(
        HANNA, "Accepteren", message_id=(await phone.expect(HANNA, "vraagt u de waakvlam"))["message_id"]
    )
    await phone.expect(HANNA, f"U houdt nu waakvlam {waakvlam}")

    # A week on, Hanna worries at the check-in: the relapse goes to the desk and to Sanne at once.
    await until(timed, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    checkin = await phone.expect(HANNA, "hoe gaat het met de bewoner")
    await phone.press(HANNA, "Zorgen", message_id=checkin["message_id"])
    await phone.press(
        HANNA, "Overlast", message_id=(await phone.expect(HANNA, "Wat ziet u nu?"))["message_id"]
    )
    await phone.press(HANNA, "Klaar")
    await phone.expect(HANNA, "Wat baart u zorgen?")
    await phone.fill(HANNA, "Weer harde muziek")
    await phone.press(
        HANNA, "Versturen", message_id=(await phone.expect(HANNA, "Terugval melden bij"))["message_id"]
    )
    relapse = (await phone.expect(HANNA, "Uw zorg is als signaal"))["text"].split()[5]
    told = await phone.expect(SANNE, f"🧭 Terugval: signaal {relapse} (Assen)")
    assert f"({regie})" in told["text"] and "harde muziek" not in told["text"]
    desk = await phone.expect(GGD, f"Nieuw signaal {relapse}")
    assert "🧭 Regie: Sanne (wijkteam Assen) (Gemeente Assen)" in desk["text"]


async def raised(phone: Phone, who: int, subject: str, reason: str) -> str:
    """`/opschalen CODE`: a reason, no note, Versturen; the escalation's code."""
    await phone.send(who, f"/opschalen {subject}")
    asked = await phone.expect(who, f"{subject} opschalen: waarom?")
    await phone.press(who, reason, message_id=asked["message_id"])
    note = await phone.expect(who, "Wat moet de volgende trede weten?")
    await phone.press(who, "Overslaan", message_id=note["message_id"])
    await phone.press(who, "Versturen", message_id=(await phone.expect(who, "opschalen naar"))["message_id"])
    return str((await phone.expect(who, "Opgeschaald: E-"))["text"].split()[1])


async def directed_by_sanne(phone: Phone) -> tuple[str, str, int]:
    """Willem files about AB-12, Gerda asks Sanne to direct, Sanne accepts: the signal, the regie, and the
    GGD summary's message id."""
    signal = await filed(phone, WILLEM, "AB-12")
    summary = await phone.expect(GGD, f"Nieuw signaal {signal}")
    await phone.send(GERDA, f"/regie {signal}")
    regie = await ask_regie(phone, GERDA, SANNE_WIJKTEAM, signal)
    ask = await phone.expect(SANNE, "vraagt u regisseur te zijn")
    await phone.press(SANNE, "Accepteren", message_id=ask["message_id"])
    await phone.expect(SANNE, "U bent regisseur")
    return signal, regie, summary["message_id"]


async def test_a_plan_line_accepted_late_chased_and_not_done_then_the_regie_closes_and_runs_again(
    timed: Stack,
) -> None:
    phone = timed.phone
    assert phone is not None
    signal, regie, summary_id = await directed_by_sanne(phone)

    # Sanne opens the regie's card from /regie and adds a line: Hanna does a home visit within a week.
    await phone.send(SANNE, "/regie")
    await phone.press(
        SANNE, f"📋 {regie}", message_id=(await phone.expect(SANNE, "Regie bij u (1):"))["message_id"]
    )
    card = await phone.expect(SANNE, f"Regie {regie} · Assen")
    assert "Plan: nog geen regels." in card["text"] and f"Signalen: {signal}" in card["text"]
    assert card["buttons"][:2] == [["➕ Planregel", "⬆ Opschalen"], ["⏰ Herinner mij", "🏁 Regie afsluiten"]]
    # ⏰ on the card asks what /herinner R-… asks; stopped here.
    await phone.press(SANNE, "⏰ Herinner mij", message_id=card["message_id"])
    await phone.expect(SANNE, f"Herinner mij aan {regie}: voor wie?")
    await phone.send(SANNE, "/cancel")
    await phone.expect(SANNE, "Geannuleerd. Er is niets opgeslagen.")
    await phone.press(SANNE, "➕ Planregel", message_id=card["message_id"])
    # People and organisations of Assen: more than fit on a screen, so part of a name is typed.
    who = await phone.expect(SANNE, f"Planregel voor regie {regie}: wie doet het?")
    assert "Typ een deel van de naam om te zoeken (15 mogelijk)." in who["text"]
    await phone.send(SANNE, "hanna")
    await phone.press(
        SANNE, HANNA_ACTIUM, message_id=(await phone.expect(SANNE, 'Gevonden met "hanna"'))["message_id"]
    )
    await phone.expect(SANNE, "Wat gaat diegene doen?")
    await phone.fill(SANNE, "Huisbezoek samen met de wijkagent")
    await phone.press(
        SANNE,
        "Over 1 week",
        message_id=(await phone.expect(SANNE, "Wanneer moet het klaar zijn?"))["message_id"],
    )
    confirm = await phone.expect(SANNE, f"Deze planregel toevoegen aan regie {regie}?")
    assert "Wat: ✓ ingevuld" in confirm["text"] and "Huisbezoek" not in confirm["text"]
    await phone.press(SANNE, "Versturen", message_id=confirm["message_id"])
    await phone.expect(SANNE, f"Planregel 1 staat in regie {regie}; Hanna (woningcorporatie) wordt gevraagd")

    # Hanna is asked privately, reads what on the page, and takes it on; Sanne hears it.
    asked = await phone.expect(HANNA, f"regisseur van {regie} (Assen), vraagt u planregel 1")
    assert "klaar vóór maandag 30 november 2026" in asked["text"] and "Huisbezoek" not in asked["text"]
    page = await phone.read(HANNA)
    assert "Huisbezoek samen met de wijkagent" in page and "1. Hanna (woningcorporatie)" in page
    await phone.press(HANNA, "Accepteren", message_id=asked["message_id"])
    await phone.expect(HANNA, f"U heeft planregel 1 van regie {regie} aangenomen")
    await phone.expect(SANNE, f"Hanna (woningcorporatie) heeft planregel 1 van regie {regie} aangenomen.")

    # On the date at 09:00: "Loopt dit nog?" — a week more.
    await until(timed, datetime(2026, 11, 30, 7, 59, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(HANNA) if "Loopt dit nog?" in m["text"]] == []
    await until(timed, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    chased = await phone.expect(
        HANNA, f"Planregel 1 van regie {regie} moest klaar zijn vóór maandag 30 november"
    )
    assert chased["buttons"][:2] == [["✅ Gedaan"], ["⏳ Loopt nog (een week)", "✖ Lukt niet"]]
    await phone.press(HANNA, "⏳ Loopt nog (een week)", message_id=chased["message_id"])
    await phone.expect(
        SANNE, "planregel 1 van regie " + regie + " loopt nog; nieuwe datum: maandag 7 december 2026"
    )
    # The first date's second tier stays quiet: the line was answered.
    await until(timed, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(SANNE) if "niet beantwoord" in m["text"]] == []

    # Chased again on 7 December and left unanswered: two working days on, Sanne and Carla hear it.
    await until(timed, datetime(2026, 12, 7, 8, 0, tzinfo=UTC))
    await phone.expect(HANNA, "moest klaar zijn vóór maandag 7 december 2026", after=chased["message_id"])
    await until(timed, datetime(2026, 12, 9, 8, 0, tzinfo=UTC))
    silent = f"Planregel 1 van regie {regie} (Assen) bij Hanna (woningcorporatie) is over de datum"
    await phone.expect(SANNE, silent)
    await phone.expect(CARLA, silent)

    # Sanne closes the line as not done (waiting list) from her card.
    await phone.send(SANNE, "/regie")
    await phone.press(
        SANNE,
        f"📋 {regie}",
        message_id=(await phone.expect(SANNE, "Regie bij u (1):", after=card["message_id"]))["message_id"],
    )
    card = await phone.expect(
        SANNE,
        "1. Hanna (woningcorporatie) · klaar vóór maandag 7 december 2026 · aangenomen",
        after=card["message_id"],
    )
    await phone.press(SANNE, "✖ 1 lukt niet", message_id=card["message_id"])
    await phone.press(
        SANNE,
        "Wachtlijst",
        message_id=(await phone.expect(SANNE, "Waarom lukt planregel 1 niet?"))["message_id"],
    )
    await phone.expect(SANNE, f"Planregel 1 van regie {regie} lukt niet: Wachtlijst.")

    # She closes the regie: solved. The desk's summary no longer names a regisseur.
    await phone.send(SANNE, "/regie")
    await phone.press(
        SANNE,
        f"📋 {regie}",
        message_id=(await phone.expect(SANNE, "Regie bij u (1):", after=card["message_id"]))["message_id"],
    )
    card = await phone.expect(SANNE, "· lukt niet", after=card["message_id"])
    await phone.press(SANNE, "🏁 Regie afsluiten", message_id=card["message_id"])
    await phone.press(
        SANNE,
        "Opgelost: de hulp loopt",
        message_id=(await phone.expect(SANNE, f"Regie {regie} afsluiten: is er"))["message_id"],
    )
    # One optional tap: a system bottleneck that was in the way, counted for the bestuurders.
    await phone.press(
        SANNE,
        "Capaciteit",
        message_id=(await phone.expect(SANNE, "Zat een systeemknelpunt in de weg?"))["message_id"],
    )
    await phone.press(
        SANNE, "Versturen", message_id=(await phone.expect(SANNE, f"Regie {regie} afsluiten?"))["message_id"]
    )
    await phone.expect(SANNE, f"Regie {regie} is afgesloten: Opgelost: de hulp loopt.")
    async with timed.uow() as uow:
        assert [
            t.count for t in await uow.tallies.all() if (t.kind, t.category) == ("knelpunt", "capacity")
        ] == [1]
    await timed.settle()
    shown = next(m for m in await phone.messages(GGD) if m["message_id"] == summary_id)
    assert "🧭 Regie" not in shown["text"]

    # Four weeks later (Wednesday 6 January, 09:00): did it hold? No — the regie runs again.
    await until(timed, datetime(2027, 1, 6, 7, 59, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(SANNE) if "Houdt de oplossing stand" in m["text"]] == []
    await until(timed, datetime(2027, 1, 6, 8, 0, tzinfo=UTC))
    held = await phone.expect(
        SANNE, f"Vier weken geleden sloot u regie {regie} (Assen): Opgelost: de hulp loopt."
    )
    await phone.press(SANNE, "Nee, opnieuw starten", message_id=held["message_id"])
    await phone.expect(SANNE, f"Regie {regie} loopt weer, bij u als regisseur.")
    await phone.expect(CARLA, f"Regie {regie} (Assen) loopt weer: de oplossing hield geen stand.")
    await phone.expect(GGD, "🧭 Regie: Sanne (wijkteam Assen) (Gemeente Assen)")
    async with timed.uow() as uow:
        stored = await uow.regies.by_ref(regie)
        assert stored is not None and stored.status == "active"
        kinds = [e.kind for e in await uow.regies.events_of(stored.id)]
        assert kinds[-4:] == ["line_added", "line_not_done", "closed", "reopened"]
        counted = {(t.kind, t.category): t.count for t in await uow.tallies.all() if t.kind != "signal"}
        assert counted[("plan_line", "not_done")] == counted[("knelpunt", "waiting_list")] == 1


MIRJAM, BERT, ZEGER = 4001, 4002, 2003


async def test_an_escalation_climbs_unanswered_to_the_bestuurder_who_solves_it(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    signal, regie, _ = await directed_by_sanne(phone)

    # Sanne scales the regie up from its card: a reason, a note on the form, a last look.
    await phone.send(SANNE, "/regie")
    await phone.press(
        SANNE, f"📋 {regie}", message_id=(await phone.expect(SANNE, "Regie bij u (1):"))["message_id"]
    )
    card = await phone.expect(SANNE, f"Regie {regie} · Assen")
    await phone.press(SANNE, "⬆ Opschalen", message_id=card["message_id"])
    why = await phone.expect(SANNE, f"{regie} opschalen: waarom?")
    await phone.press(SANNE, "Wachtlijst", message_id=why["message_id"])
    await phone.expect(SANNE, "Wat moet de volgende trede weten?")
    await phone.fill(SANNE, "Wachtlijst GGZ van veertien weken")
    confirm = await phone.expect(SANNE, f"{regie} opschalen naar Teamleider van de organisatie?")
    await phone.press(SANNE, "Versturen", message_id=confirm["message_id"])
    raised = await phone.expect(SANNE, "Opgeschaald: E-")
    escalation = raised["text"].split()[1]
    assert "ligt bij Teamleider van de organisatie (Mirjam (teamleider GGD))" in raised["text"]

    # Mirjam (teamleider) gets the card: codes, the reason, who raised it; the note only on the page.
    first = await phone.expect(MIRJAM, f"⬆ Opschaling {escalation} · Assen")
    assert f"Trede 1: Teamleider van de organisatie\nOver: {regie} · reden: Wachtlijst" in first["text"]
    assert "Opgeschaald door Sanne (wijkteam Assen) (Gemeente Assen)" in first["text"]
    assert "veertien weken" not in first["text"]
    assert first["buttons"][:2] == [["✅ Los op", "⬆ Schaal verder op"], ["↩ Terug"]]
    assert "Toelichting: Wachtlijst GGZ van veertien weken" in await phone.read(MIRJAM)

    # Nobody answers: after 16 working hours it climbs by itself to the coordinator ...
    await until(timed, datetime(2026, 11, 24, 15, 29, tzinfo=UTC))
    assert [
        m for m in await phone.bot_messages(CARLA) if escalation in m["text"] and "Trede" in m["text"]
    ] == []
    await until(timed, datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    await phone.expect(CARLA, f"⬆ Opschaling {escalation} · Assen\nTrede 2: Gemeentelijk procesregisseur")
    await phone.expect(
        SANNE, f"Opschaling {escalation} ({regie}) ligt nu bij Gemeentelijk procesregisseur (AVE stap 2)"
    )
    # ... and Mirjam's card no longer decides anything.
    stale = await phone.press(MIRJAM, "✅ Los op", message_id=first["message_id"])
    assert "al besloten" in str((await phone.callback_answer(stale) or {}).get("text"))
    # ... then to the Zorg- en Veiligheidshuis, then to the bestuurder.
    await until(timed, datetime(2026, 11, 27, 9, 0, tzinfo=UTC))
    await phone.expect(ZEGER, "Trede 3: Zorg- en Veiligheidshuis Drenthe (AVE stap 3)")
    await until(timed, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    top = await phone.expect(
        BERT, f"⬆ Opschaling {escalation} · Assen\nTrede 4: Bestuurder (lokale driehoek)"
    )

    # Bert (wethouder) reads the page without what was typed about the resident, and solves it.
    page = await phone.read(BERT)
    assert "Toelichting: (tekst over de bewoner: niet voor uw rol)" in page and "veertien" not in page
    assert "trede 1 (Teamleider van de organisatie): opgeschaald · Sanne (wijkteam Assen)" in page
    assert "trede 2 (Gemeentelijk procesregisseur (AVE stap 2)): een trede hoger" in page
    await phone.press(BERT, "✅ Los op", message_id=top["message_id"])
    await phone.expect(BERT, f"Los op ({escalation}): wie pakt het op?\nTyp een deel van de naam")
    await phone.send(BERT, "hanna")  # more than eight professionals: found by part of a name
    await phone.press(BERT, HANNA_ACTIUM)
    await phone.expect(BERT, "Wat is het besluit?")
    await phone.fill(BERT, "Voorrang bij de GGZ-aanbieder, Hanna regelt de intake")
    # The waiting list it was raised for counts as a bottleneck already: nothing more to tap.
    await phone.press(
        BERT, "Nee", message_id=(await phone.expect(BERT, "Zat een systeemknelpunt in de weg?"))["message_id"]
    )
    await phone.press(
        BERT,
        "Versturen",
        message_id=(await phone.expect(BERT, f"Dit besluit nemen over {escalation}?"))["message_id"],
    )
    await phone.expect(BERT, f"Uw besluit over {escalation} is doorgegeven.")

    # The owner, the one who acts and the filer are told; codes in the chat, the decision on the page.
    solved = await phone.expect(
        SANNE, f"Opschaling {escalation} ({regie}) is opgelost door Bert (wethouder Assen)"
    )
    assert "Hanna (woningcorporatie) pakt het op" in solved["text"] and "Voorrang" not in solved["text"]
    await phone.expect(HANNA, f"besloot over opschaling {escalation} ({regie}): u pakt het op.")
    assert (
        "Besluit: Hanna (woningcorporatie) pakt het op — Voorrang bij de GGZ-aanbieder"
        in await phone.read(HANNA)
    )
    await phone.expect(
        WILLEM, f"Over uw signaal {signal} is op Bestuurder (lokale driehoek) een besluit genomen"
    )
    # The bestuurder never reads the signal itself.
    await phone.send(BERT, f"/signaal {signal}")
    await phone.expect(BERT, "Dit signaal bestaat niet, of u mag het niet inzien.")
    async with timed.uow() as uow:
        stored = await uow.escalations.by_ref(escalation)
        assert stored is not None and (stored.status, stored.rung) == ("solved", 3)
        kinds = [(s.rung, s.kind) for s in await uow.escalations.steps_of(stored.id)]
        assert kinds == [(0, "raised"), (1, "climbed"), (2, "climbed"), (3, "climbed"), (3, "solved")]
        # Counted for the regiobeeld: raised for a waiting list, solved at rung 4; the waiting list a bottleneck.
        counted = {(t.kind, t.category): t.count for t in await uow.tallies.all() if t.kind != "signal"}
        assert counted[("escalated", "waiting_list")] == counted[("esc_solved", "4")] == 1
        assert counted[("knelpunt", "waiting_list")] == 1
        # Bert decided within the first working hour after it reached him.
        assert counted[("esc_hours", "4:0")] == 1

    # The bestuurder's Monday message carries his rung of the ladder: nothing waits, one was decided.
    assert await _monday(timed, datetime(2026, 12, 7, 7, 0, tzinfo=UTC)) == 2  # Carla and Bert
    weekly = await phone.expect(BERT, "📊 Regiobeeld maandag 7 december 2026")
    assert (
        "⬆ Opschalingen bij u (Bestuurder (lokale driehoek)): 0 open; afgelopen week besloten in uw "
        "gemeenten: <5"  # a statistic of the gemeente: small numbers protected
    ) in weekly["text"].splitlines()


async def test_a_rung_sends_an_escalation_back_and_a_signal_can_be_scaled_up_by_its_desk(
    timed: Stack,
) -> None:
    phone = timed.phone
    assert phone is not None
    signal = await filed(phone, WILLEM, "AB-12")
    await phone.expect(GGD, f"Nieuw signaal {signal}")
    await phone.send(WILLEM, f"/opschalen {signal}")  # the filer does not scale up
    await phone.expect(WILLEM, "Opschalen kunnen de regisseur, de meldpunten")
    escalation = await raised(phone, GERDA, signal, "Organisaties zijn het niet eens")
    await phone.send(GERDA, f"/opschalen {signal}")  # one at a time
    await phone.expect(
        GERDA, f"Voor {signal} loopt al opschaling {escalation}, bij Teamleider van de organisatie."
    )

    # Mirjam is Gerda's own organisation's team lead; she sends it back.
    card = await phone.expect(MIRJAM, f"Over: {signal} · reden: Organisaties zijn het niet eens")
    await phone.press(MIRJAM, "↩ Terug", message_id=card["message_id"])
    await phone.press(
        MIRJAM,
        "Er ontbreekt informatie",
        message_id=(await phone.expect(MIRJAM, f"Terug ({escalation}): waarom?"))["message_id"],
    )
    await phone.expect(MIRJAM, f"Opschaling {escalation} is teruggestuurd.")
    await phone.expect(
        GERDA,
        f"Mirjam (teamleider GGD) (Teamleider van de organisatie) stuurt opschaling {escalation} ({signal}) terug: Er ontbreekt informatie.",
    )
    # Sent back, it no longer climbs.
    await until(timed, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(CARLA) if escalation in m["text"]] == []


async def test_herinner_mij_on_a_regie_and_for_the_desk_on_a_signal(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    signal, regie, summary_id = await directed_by_sanne(phone)
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary_id)  # in hand: no AVE chase
    await phone.expect(GGD, "Status: in behandeling")

    # Carla (coordinator) sets a reminder on the regie for herself, on a date she types.
    async def remind_on(day: str) -> dict[str, Any]:
        mark = await phone.last_id(CARLA)
        await phone.send(CARLA, f"/herinner {regie}")
        whom = await phone.expect(CARLA, f"Herinner mij aan {regie}: voor wie?", after=mark)
        assert whom["buttons"][0] == ["Mijzelf"]  # no desk of her own
        await phone.press(CARLA, "Mijzelf", message_id=whom["message_id"])
        when = await phone.expect(CARLA, "Wanneer?", after=mark)
        await phone.press(CARLA, "Op een datum", message_id=when["message_id"])
        await phone.expect(CARLA, "Op welke datum?", after=mark)
        await phone.send(CARLA, day)
        confirm = await phone.expect(CARLA, "Deze herinnering zetten?", after=mark)
        await phone.press(CARLA, "Versturen", message_id=confirm["message_id"])
        return await phone.expect(CARLA, "Herinnering gezet" if day != "31-4" else "bestaat niet", after=mark)

    refused = await remind_on("31-4")  # no such day: told so, nothing set
    assert refused["text"].startswith("Die datum bestaat niet; stuur dag en maand")
    await remind_on("1-12")
    await phone.expect(CARLA, f"Herinnering gezet: {regie}, op dinsdag 1 december om 09:00.")

    # Gerda sets one on the signal for her desk, tomorrow; /open lists what is set.
    await phone.send(GERDA, f"/herinner {signal}")
    whom = await phone.expect(GERDA, f"Herinner mij aan {signal}: voor wie?")
    await phone.press(
        GERDA, "Mijn meldpunt (GGD Drenthe — Meldpunt Zorgwekkend Gedrag)", message_id=whom["message_id"]
    )
    await phone.press(GERDA, "Morgen", message_id=(await phone.expect(GERDA, "Wanneer?"))["message_id"])
    await phone.press(
        GERDA, "Versturen", message_id=(await phone.expect(GERDA, "Deze herinnering zetten?"))["message_id"]
    )
    await phone.expect(GERDA, f"Herinnering gezet: {signal}, op dinsdag 24 november om 09:00.")
    await phone.send(GERDA, "/open")
    listing = await phone.expect(GERDA, "Herinneringen (1):")
    assert f"{signal} · 24 nov 2026 09:00 · GGD Drenthe — Meldpunt Zorgwekkend Gedrag" in listing["text"]
    await phone.send(CARLA, "/regie")
    assert f"{regie} · 1 dec 2026 09:00" in (await phone.expect(CARLA, "Herinneringen (1):"))["text"]

    # A field worker may not; a code one may not see is not found.
    await phone.send(WILLEM, f"/herinner {signal}")
    await phone.expect(WILLEM, "Een herinnering zetten kunnen coördinatoren en meldpuntmedewerkers")
    await phone.send(2002, f"/herinner {signal}")  # Vera (Veilig Thuis): the signal did not go to her desk
    await phone.expect(2002, "Die code bestaat niet, of u mag haar niet inzien.")

    # At 09:00 on the day: the desk's chat (code only), and Carla privately with Openen.
    await until(timed, datetime(2026, 11, 24, 7, 59, tzinfo=UTC))
    assert [m for m in await phone.bot_messages(GGD) if "⏰" in m["text"]] == []
    await until(timed, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    desk = await phone.expect(
        GGD, f"⏰ Herinnering voor het meldpunt: {signal}. Gezet door Gerda (GGD Meldpunt)."
    )
    assert desk["buttons"] == []
    await until(timed, datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    mine = await phone.expect(CARLA, f"⏰ Herinnering: {regie}. Gezet door Carla (coördinator Assen)")
    assert mine["buttons"] == [["📄 Openen"]]
    assert f"Regie {regie} · Assen" in await phone.read(CARLA)
    await phone.send(CARLA, "/regie")
    assert (
        "Herinneringen"
        not in (await phone.expect(CARLA, "Regie in uw gemeenten", after=mine["message_id"]))["text"]
    )


async def test_a_decision_scales_down_into_a_waakvlam(timed: Stack) -> None:
    """Mirjam solves Gerda's escalation and names Gerda to pick it up: Gerda gets 🕯 Afschalen met een
    waakvlam on the decision, which opens the waakvlam set-up with the resident of the signal."""
    phone = timed.phone
    assert phone is not None
    signal = await filed(phone, WILLEM, "AB-12")
    await phone.expect(GGD, f"Nieuw signaal {signal}")
    await phone.send(GERDA, f"/opschalen {signal}")
    await phone.press(
        GERDA, "Het loopt vast", message_id=(await phone.expect(GERDA, "opschalen: waarom?"))["message_id"]
    )
    await phone.press(
        GERDA, "Overslaan", message_id=(await phone.expect(GERDA, "volgende trede"))["message_id"]
    )
    await phone.press(
        GERDA, "Versturen", message_id=(await phone.expect(GERDA, "opschalen naar"))["message_id"]
    )
    card = await phone.expect(MIRJAM, f"Over: {signal} · reden: Het loopt vast")
    await phone.press(MIRJAM, "✅ Los op", message_id=card["message_id"])
    await phone.expect(MIRJAM, "wie pakt het op?")
    await phone.send(MIRJAM, "gerda")
    await phone.press(MIRJAM, "Gerda (GGD Meldpunt) · GGD Drenthe")
    await phone.expect(MIRJAM, "Wat is het besluit?")
    await phone.fill(MIRJAM, "GGD houdt contact; wijkteam sluit aan")
    await phone.press(
        MIRJAM,
        "Nee",
        message_id=(await phone.expect(MIRJAM, "Zat een systeemknelpunt in de weg?"))["message_id"],
    )
    await phone.press(
        MIRJAM, "Versturen", message_id=(await phone.expect(MIRJAM, "Dit besluit nemen"))["message_id"]
    )

    decided = await phone.expect(GERDA, "u pakt het op")
    assert decided["buttons"] == [["🕯 Afschalen met een waakvlam"], ["📄 Openen"]]
    await phone.press(GERDA, "🕯 Afschalen met een waakvlam", message_id=decided["message_id"])
    ask = await phone.expect(GERDA, "Wie houdt contact met de bewoner?")
    assert HANNA_ACTIUM in [b for row in ask["buttons"] for b in row]
    waakvlam = await set_up(phone, GERDA, HANNA_ACTIUM)
    async with timed.uow() as uow:
        agreement = await uow.agreements.by_ref(waakvlam)
        stored = await uow.signals.by_ref(signal)
        assert agreement is not None and stored is not None and agreement.signal_id == stored.id
    # Pressed again: the waakvlam is there already.
    again = await phone.press(GERDA, "🕯 Afschalen met een waakvlam", message_id=decided["message_id"])
    assert "loopt al waakvlam" in str((await phone.callback_answer(again) or {}).get("text"))


async def test_afschalen_a_rung_sends_an_escalation_down_to_a_lower_rung_that_decides_again(
    timed: Stack,
) -> None:
    phone = timed.phone
    assert phone is not None
    _, regie, _ = await directed_by_sanne(phone)
    escalation = await raised(phone, SANNE, regie, "Wachtlijst")
    first = await phone.expect(MIRJAM, f"⬆ Opschaling {escalation} · Assen\nTrede 1")

    # Unanswered, it climbs to the coordinator, who sends it down to the team lead rather than to Sanne.
    await until(timed, datetime(2026, 11, 24, 15, 30, tzinfo=UTC))
    card = await phone.expect(CARLA, f"⬆ Opschaling {escalation} · Assen\nTrede 2")
    await phone.press(CARLA, "↩ Terug", message_id=card["message_id"])
    to = await phone.expect(CARLA, f"Terug ({escalation}): naar wie? Een lagere trede besluit dan opnieuw.")
    assert [b for row in to["buttons"] for b in row][:2] == [
        "Naar wie opschaalde",
        "Naar trede 1: Teamleider van de organisatie",
    ]
    await phone.press(CARLA, "Naar trede 1: Teamleider van de organisatie", message_id=to["message_id"])
    await phone.press(
        CARLA,
        "Eerst op het niveau eronder oplossen",
        message_id=(await phone.expect(CARLA, f"Terug ({escalation}): waarom?"))["message_id"],
    )
    await phone.expect(CARLA, f"Opschaling {escalation} ligt weer bij de lagere trede; die besluit opnieuw.")

    # The team lead decides again: a new card with a new deadline; the old card and Carla's are stale.
    again = await phone.expect(
        MIRJAM, f"⬆ Opschaling {escalation} · Assen\nTrede 1", after=first["message_id"]
    )
    await phone.expect(
        SANNE, f"Opschaling {escalation} ({regie}) is teruggelegd bij Teamleider van de organisatie"
    )
    stale = await phone.press(CARLA, "✅ Los op", message_id=card["message_id"])
    assert "al besloten" in str((await phone.callback_answer(stale) or {}).get("text"))
    # The coordinator still reads the page; it shows the way down.
    assert "trede 1 (Teamleider van de organisatie): teruggelegd · Carla" in await phone.read(CARLA)
    async with timed.uow() as uow:
        stored = await uow.escalations.by_ref(escalation)
        assert stored is not None and (stored.status, stored.rung) == ("open", 0)
        kinds = [(s.rung, s.kind) for s in await uow.escalations.steps_of(stored.id)]
        assert kinds == [(0, "raised"), (1, "climbed"), (0, "lowered")]
        counted = {(t.kind, t.category): t.count for t in await uow.tallies.all() if t.kind == "esc_returned"}
        assert counted == {("esc_returned", "2"): 1}  # sent back at rung 2

    # Unanswered again, it climbs again after the team lead's new 16 working hours.
    await until(timed, datetime(2026, 11, 26, 15, 30, tzinfo=UTC))
    await phone.expect(CARLA, f"⬆ Opschaling {escalation} · Assen\nTrede 2", after=card["message_id"])
    assert again["buttons"][:2] == [["✅ Los op", "⬆ Schaal verder op"], ["↩ Terug"]]


BAS, ASSEN_ORG = 2005, "🏢 Gemeente Assen (wie daar het eerst accepteert)"


async def add_line(phone: Phone, regie: str, search: str, who: str, what: str) -> dict[str, Any]:
    """Sanne adds a plan line from the regie's card, found by typing `search` (done in a week); her answer."""
    mark = await phone.last_id(SANNE)
    await phone.send(SANNE, "/regie")
    await phone.press(
        SANNE,
        f"📋 {regie}",
        message_id=(await phone.expect(SANNE, "Regie bij u (1):", after=mark))["message_id"],
    )
    card = await phone.expect(SANNE, f"Regie {regie} · Assen", after=mark)
    await phone.press(SANNE, "➕ Planregel", message_id=card["message_id"])
    await phone.expect(SANNE, "wie doet het?", after=mark)
    await phone.send(SANNE, search)
    found = await phone.expect(SANNE, f'Gevonden met "{search}"', after=mark)
    await phone.press(SANNE, who, message_id=found["message_id"])
    await phone.expect(SANNE, "Wat gaat diegene doen?", after=mark)
    await phone.fill(SANNE, what)
    when = await phone.expect(SANNE, "Wanneer moet het klaar zijn?", after=mark)
    await phone.press(SANNE, "Over 1 week", message_id=when["message_id"])
    confirm = await phone.expect(SANNE, f"Deze planregel toevoegen aan regie {regie}?", after=mark)
    await phone.press(SANNE, "Versturen", message_id=confirm["message_id"])
    return await phone.expect(SANNE, "Planregel ", after=confirm["message_id"])


async def test_a_plan_line_for_an_organisation_is_taken_by_whoever_of_it_accepts_first(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    _, regie, _ = await directed_by_sanne(phone)

    # Sanne names an organisation, her own gemeente's: everyone of it in Assen is asked, she herself is not.
    added = await add_line(phone, regie, "gemeente", ASSEN_ORG, "Schuldhulp-intake plannen")
    assert f"Planregel 1 staat in regie {regie}; Gemeente Assen wordt gevraagd" in added["text"]
    asked = "vraagt Gemeente Assen planregel 1, klaar vóór maandag 30 november 2026"
    carla = await phone.expect(CARLA, asked)
    bas = await phone.expect(BAS, asked)
    assert "Schuldhulp" not in bas["text"] and bas["buttons"][0] == ["Accepteren", "Weigeren"]
    assert [m for m in await phone.bot_messages(SANNE) if "vraagt Gemeente Assen" in m["text"]] == []
    # While it is asked of him, Bas reads the plan on the region's server.
    page = await phone.read(BAS)
    assert "1. Gemeente Assen · klaar vóór maandag 30 november 2026 · gevraagd" in page
    assert "Schuldhulp-intake plannen" in page
    assert "nog geen regels" not in page and page.count("Plan:") == 1  # the plan once, as it is

    # Carla accepts first: the line is hers; Bas hears it, and his Accepteren no longer takes it.
    await phone.press(CARLA, "Accepteren", message_id=carla["message_id"])
    await phone.expect(CARLA, f"U heeft planregel 1 van regie {regie} aangenomen")
    took = f"Carla (coördinator Assen) heeft planregel 1 van regie {regie} aangenomen"
    await phone.expect(BAS, f"{took} voor Gemeente Assen.")
    await phone.expect(SANNE, f"{took}.")
    late = await phone.callback_answer(await phone.press(BAS, "Accepteren", message_id=bas["message_id"]))
    assert late is not None and late["text"] == "Deze planregel staat niet meer open."
    async with timed.uow() as uow:
        stored = await uow.regies.by_ref(regie)
        assert stored is not None
        [line] = await uow.regies.lines_of(stored.id)
        assert (line.owner_id, line.org, line.status) == (
            (await uow.users.by_telegram_id(CARLA)).id,  # type: ignore[union-attr]
            "Gemeente Assen",
            "accepted",
        )

    # A second line for GGD Drenthe that nobody of it answers: on the date Gerda is asked again who takes it;
    # two working days on, Sanne, Carla and Mirjam (GGD's team lead) hear it.
    await add_line(phone, regie, "ggd", "🏢 GGD Drenthe (wie daar het eerst accepteert)", "Huisbezoek GGD")
    await phone.expect(GERDA, "vraagt GGD Drenthe planregel 2")
    await until(timed, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    again = await phone.expect(GERDA, "niemand van GGD Drenthe heeft hem aangenomen. Wie neemt hem?")
    assert again["buttons"][0] == ["Accepteren", "Weigeren"]
    await until(timed, datetime(2026, 12, 2, 8, 0, tzinfo=UTC))
    silent = f"Planregel 2 van regie {regie} (Assen) bij GGD Drenthe is over de datum"
    for person in (SANNE, CARLA, MIRJAM):
        await phone.expect(person, silent)
    # Gerda declines, for GGD Drenthe: Sanne hears it and adjusts the plan.
    await phone.press(GERDA, "Weigeren", message_id=again["message_id"])
    await phone.expect(
        SANNE, f"Gerda (GGD Meldpunt) neemt planregel 2 van regie {regie} niet aan, namens GGD Drenthe."
    )
    # Carla took the first line and nobody asks Bas the second: the plan is no longer his to read.
    refused = await phone.read(BAS)
    assert "u mag het niet inzien" in refused and "Schuldhulp" not in refused and "Huisbezoek" not in refused
