"""The proof that Telegram carries the workflow, not the resident: every free text of a whole journey (filing,
a question and its answer, a refused hand-over, closing with notes, a waakvlam and a worried check-in) is typed
on the forms of the region's server, each with its own marker; not one marker passes "through Telegram" (every
Bot API call, its answer and every update the emulator saw), on both adapters, and every one of them reached
the server. Then: what a forged, stale, other person's or replayed form post changes (nothing)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from storage.models import AuditEntry
from tests.e2e.harness import Stack, file_intake, no_bottleneck, stored_values, to_reference
from tests.e2e.test_waakvlam import set_up, until

pytestmark = pytest.mark.e2e

WENDY, HANNA, WILLEM, GERDA, SANNE = 1001, 1002, 1003, 2001, 2004
GGD, WIJKTEAM = -1001001, -1002002
MARKERS = {
    "ref": "QZREF7731",
    "area": "Qzwijkmarker",
    "description": "Beschrijving QZDESC7731 van wat ik zag",
    "question": "Vraag QZASK7731 aan de melder?",
    "answer": "Antwoord QZANS7731 van de melder",
    "handover": "Overdrachtsnotitie QZHAND7731",
    "refusal": "Weigerreden QZREFU7731",
    "how": "Afgehandeld via QZHOW7731",
    "note": "Slotnotitie QZNOTE7731",
    "signs": "Teken QZSIGN7731",
    "worry": "Zorgen QZWORRY7731",
}


async def test_no_typed_word_about_a_resident_passes_through_telegram(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    m = MARKERS
    receipt = await file_intake(
        phone,
        WILLEM,
        ["Verward of zorgwekkend gedrag"],
        ref=m["ref"],
        area=m["area"],
        description=m["description"],
    )
    ref = receipt["text"].split()[2]
    summary = await phone.expect(GGD, f"Nieuw signaal {ref}")
    await phone.press(GERDA, "Oppakken", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GGD, "Status: in behandeling bij")
    # A question to the filer and the answer, both on the form; both read on the page.
    await phone.press(GERDA, "Info vragen", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GERDA, "Welke vraag wilt u de melder stellen?")
    await phone.fill(GERDA, m["question"])
    asked = await phone.expect(WILLEM, "heeft een vraag over uw signaal")
    assert m["question"] in await phone.read(WILLEM, after=asked["message_id"] - 1)
    await phone.fill(WILLEM, m["answer"])
    await phone.expect(GERDA, "De melder heeft uw vraag")
    await timed.settle()  # the summary shows the signal back in hand
    # A hand-over with a note, refused with a reason.
    await phone.press(GERDA, "Doorzetten", chat_id=GGD, message_id=summary["message_id"])
    offer = await phone.expect(GERDA, "Aan welk meldpunt wilt u signaal")
    await phone.press(GERDA, "Sociaal wijkteam Assen", message_id=offer["message_id"])
    await phone.expect(GERDA, "Wilt u het ontvangende meldpunt iets meegeven?")
    await phone.fill(GERDA, m["handover"])
    await phone.press(GERDA, "Versturen", message_id=(await phone.expect(GERDA, "aanvragen?"))["message_id"])
    incoming = await phone.expect(WIJKTEAM, f"Signaal {ref} · Assen")
    await phone.press(SANNE, "Weigeren", chat_id=WIJKTEAM, message_id=incoming["message_id"])
    await phone.expect(SANNE, "Waarom weigert u de overdracht?")
    await phone.fill(SANNE, m["refusal"])
    await phone.expect(GERDA, "weigert de overdracht")
    # Closing as Anders, with how and a note.
    await timed.settle()
    await phone.press(GERDA, "Afsluiten", chat_id=GGD, message_id=summary["message_id"])
    await phone.press(GERDA, "Anders", message_id=(await phone.expect(GERDA, "afsluiten:"))["message_id"])
    await phone.expect(GERDA, "Hoe is het afgehandeld?")
    await phone.fill(GERDA, m["how"])
    await phone.expect(GERDA, "Een korte notitie voor het dossier?")
    await phone.fill(GERDA, m["note"])
    await no_bottleneck(phone, GERDA)
    confirm = await phone.expect(GERDA, f"Signaal {ref} afsluiten? Tik op Versturen")
    await phone.press(GERDA, "Versturen", message_id=confirm["message_id"])
    await phone.expect(WILLEM, "afgesloten")
    page = await phone.details(GERDA, ref)
    for key in ("ref", "area", "description", "question", "answer", "handover", "refusal", "how", "note"):
        assert m[key] in page, key  # read on the region's server, by who may
    # A waakvlam with written warning signs, and a check-in answered with a worry.
    await phone.press(GERDA, "🕯 Waakvlam starten", chat_id=GGD, message_id=summary["message_id"])
    await phone.expect(GERDA, "Wie houdt contact met de bewoner?")
    agreement = await set_up(phone, GERDA, "Hanna (woningcorporatie) · Actium", signs=m["signs"])
    request = await phone.expect(HANNA, "vraagt u de waakvlam te houden")
    assert m["ref"] in await phone.read(HANNA, after=request["message_id"] - 1)  # she reads who it is about
    await phone.press(HANNA, "Accepteren", message_id=request["message_id"])
    await until(timed, datetime(2026, 11, 30, 8, 0, tzinfo=UTC))
    checkin = await phone.expect(HANNA, f"Waakvlam {agreement} (Assen): hoe gaat het met de bewoner?")
    await phone.press(HANNA, "Zorgen", message_id=checkin["message_id"])
    await phone.press(
        HANNA, "Overlast", message_id=(await phone.expect(HANNA, "Wat ziet u nu?"))["message_id"]
    )
    await phone.press(HANNA, "Klaar")
    await phone.expect(HANNA, "Wat baart u zorgen?")
    await phone.fill(HANNA, m["worry"])
    await phone.press(
        HANNA, "Versturen", message_id=(await phone.expect(HANNA, "Terugval melden"))["message_id"]
    )
    await phone.expect(GERDA, f"Terugval bij waakvlam {agreement}")
    await timed.settle()

    traffic = "\n".join(timed.emulator.traffic)
    assert "sendMessage" in traffic and "callback_query" in traffic  # the log saw the whole journey
    leaked = {key: marker for key, marker in MARKERS.items() if marker in traffic}
    assert leaked == {}, [
        line[:300] for line in timed.emulator.traffic if any(v in line for v in leaked.values())
    ]
    stored = await stored_values(timed)
    assert all(marker in stored for marker in MARKERS.values())  # each one reached the region's server


async def test_a_forged_stale_foreign_or_replayed_form_changes_nothing(stack: Stack) -> None:
    """Each refused post leaves the question open and nothing stored; the refusals are audited."""
    phone = stack.phone
    assert phone is not None
    await to_reference(phone, WILLEM)
    url = await phone.form_of(WILLEM)
    good = await phone.init_data(WILLEM)
    forged = good.replace("hash=", "hash=0")
    stale = await phone.init_data(WILLEM)
    fields = dict(part.split("=", 1) for part in stale.split("&"))
    old = str(int(fields["auth_date"]) - 2 * 3600)
    stale_signed = stale.replace(
        f"auth_date={fields['auth_date']}", f"auth_date={old}"
    )  # signature broken too
    for init_data, status in ((forged, 403), (stale_signed, 403), ("", 403), ("user=%7B%7D&hash=abc", 403)):
        await phone.fill(WILLEM, "QZFORGED1", url=url, init_data=init_data, status=status)
    # Someone else's launch data with Willem's form: the token is bound to Willem's question, not theirs.
    await phone.send(WENDY, "/signaal")
    await phone.press(WENDY, "Nee")
    await phone.fill(WILLEM, "QZFOREIGN1", url=url, init_data=await phone.init_data(WENDY), status=409)
    # Sent once it counts; the same post again finds the question answered.
    await phone.fill(WILLEM, "QZREF1", url=url)
    await phone.expect(WILLEM, "welke wijk")
    await phone.fill(WILLEM, "QZREPLAY1", url=url, status=409)
    await stack.settle()
    stored = await stored_values(stack)
    assert "QZREF1" in stored
    for word in ("QZFORGED1", "QZFOREIGN1", "QZREPLAY1"):
        assert word not in stored
    async with stack.uow() as uow:
        reasons = [
            a.detail.get("reason")
            for a in await uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "form_refused"))
        ]
    assert reasons.count("signature") == 4 and reasons.count("stale") == 2, reasons
    assert json.dumps(reasons)  # plain values only


async def test_text_typed_in_the_chat_is_deleted_unread_and_not_kept(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await to_reference(phone, WILLEM)
    typed = await phone.send(WILLEM, "Meneer QZTYPED1 woont op nummer 12")
    await phone.expect(WILLEM, "Typ dit niet in de chat")
    await stack.settle()
    assert not any("QZTYPED1" in m["text"] for m in await phone.messages(WILLEM))  # deleted by the bot
    assert "QZTYPED1" not in await stored_values(stack)  # the stored update keeps its id alone
    async with stack.uow() as uow:
        payloads = dict(await uow.inbox.payloads())
    assert payloads[typed] == {"update_id": typed, "erased": True}
    # Outside a conversation too.
    await phone.send(WILLEM, "/cancel")
    await phone.send(WILLEM, "QZTYPED2 zag ik vanochtend")
    await phone.expect(WILLEM, "Uw bericht is verwijderd")
    await stack.settle()
    assert "QZTYPED2" not in await stored_values(stack)


async def test_from_the_desk_group_the_text_is_two_taps_away(stack: Stack) -> None:
    """Telegram allows no Mini App in a group: 📄 Lezen on the desk's card sends the signal's line with
    📄 Openen to the member's private chat; the group itself never shows the text."""
    phone = stack.phone
    assert phone is not None
    receipt = await file_intake(
        phone, WILLEM, ["Verward of zorgwekkend gedrag"], description="Tekst QZGROUP1"
    )
    ref = receipt["text"].split()[2]
    summary = await phone.expect(GGD, f"Nieuw signaal {ref}")
    assert summary["buttons"][-1] == ["📄 Lezen"]
    mark = await phone.last_id(GERDA)
    tap = await phone.press(GERDA, "📄 Lezen", chat_id=GGD, message_id=summary["message_id"])  # tap 1
    await phone.expect(GERDA, f"Signaal {ref} ·", after=mark)
    assert "QZGROUP1" in await phone.read(GERDA, after=mark)  # tap 2: 📄 Openen
    assert (await phone.callback_answer(tap) or {}).get("text", "").startswith("Lees het in uw privégesprek")
    await stack.settle()
    assert not any("QZGROUP1" in m["text"] for m in await phone.messages(GGD))
