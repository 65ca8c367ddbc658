"""Personal data and access, as a professional meets them on the phone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import AuditEntry, Signal, SignalEvent
from tests.e2e.harness import Stack, intake_from_care, intake_to_description

pytestmark = pytest.mark.e2e

WILLEM, GGD = 1003, -1001001


async def _to_description(stack: Stack) -> int:
    assert stack.phone is not None
    return await intake_to_description(stack.phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref="WW-1")


async def _finish(stack: Stack, mark: int) -> None:
    assert stack.phone is not None
    await intake_from_care(stack.phone, WILLEM, mark)


async def test_a_bsn_in_the_description_is_found_and_removed_before_anyone_sees_it(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    mark = await _to_description(stack)
    url = await phone.form_of(WILLEM)
    warning = await phone.fill(WILLEM, "Meneer (BSN 111222333) is erg verward, zegt zijn zus.", url=url)
    assert "persoonsgegevens" in warning and "een BSN (11…33)" in warning  # on the form
    assert "vervangt die door [BSN]." in warning and "bijvoorbeeld" not in warning
    assert ">Verwijderen</button>" in warning and ">Toch bewaren</button>" in warning
    await phone.fill(
        WILLEM, "Meneer (BSN 111222333) is erg verward, zegt zijn zus.", choice="redact", url=url
    )
    await _finish(stack, mark)
    desk = await phone.expect(GGD, "Nieuw signaal")
    assert "niet in deze groepschat" in desk["text"] and "erg verward" not in desk["text"]
    ref = desk["text"].split()[2]
    details = await phone.details(2001, ref)
    assert "Meneer (BSN [BSN]) is erg verward" in details
    async with stack.uow() as uow:
        signal = await uow.session.scalar(select(Signal))
        assert signal is not None and "111222333" not in signal.description
    # The number never passed through the chat.
    assert not any("111222333" in m["text"] for m in await phone.messages(WILLEM))


async def test_keeping_personal_data_needs_a_reason_that_is_kept_in_the_history(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    mark = await _to_description(stack)
    url = await phone.form_of(WILLEM)
    words = "Zus is bereikbaar op 06-12345678 en wil meedenken."
    assert "persoonsgegevens" in await phone.fill(WILLEM, words, url=url)
    assert "Geef een korte reden" in await phone.fill(WILLEM, words, choice="keep", url=url)  # none given
    await phone.fill(WILLEM, words, choice="keep", reason="Zus is de enige die binnen kan komen", url=url)
    await _finish(stack, mark)
    async with stack.uow() as uow:
        signal = await uow.session.scalar(select(Signal))
        assert signal is not None and "06-12345678" in signal.description
        events = await uow.signals.events_of(signal.id)
        assert [(e.kind, e.note) for e in events] == [
            ("filed", None),
            ("pii_kept", "description: Zus is de enige die binnen kan komen"),
        ]
        audit = list(await uow.session.scalars(select(AuditEntry).where(AuditEntry.subject == signal.ref)))
        assert [(a.action, a.detail.get("field")) for a in audit] == [
            ("signal_filed", None),
            ("pii_kept", "description"),
        ]
        # The audit detail names the field, never the words.
        assert all("binnen" not in str(a.detail) for a in audit)
        assert (
            await uow.session.scalar(select(SignalEvent.note).where(SignalEvent.kind == "pii_kept"))
            is not None
        )


async def test_guessing_invite_codes_is_limited_per_telegram_user(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    for n in range(5):
        await phone.send(777, f"/start WRONG{n}")
    await stack.settle()
    await phone.send(777, "/start ANOTHERGUESS")
    await phone.expect(777, "Te veel verkeerde codes")
    async with stack.uow() as uow:
        actions = [a.action for a in await uow.audit.query()]
    assert actions.count("invite_refused") == 5 and actions[-1] == "invite_blocked"


async def test_the_audit_log_refuses_changes(stack: Stack) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    phone = stack.phone
    assert phone is not None
    await phone.send(888, "/start NOPE")
    await stack.settle()
    async with stack.uow() as uow:
        for statement in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="append-only"):
                await uow.session.execute(text(statement))
            await uow.rollback()
        assert len(await uow.audit.query()) == 1


async def test_each_role_sees_only_what_it_may(stack: Stack) -> None:
    from tests.e2e.harness import file_intake

    phone = stack.phone
    assert phone is not None
    receipt = await file_intake(phone, WILLEM, ["Zorgmijding"], description="Doet de deur niet meer open.")
    ref = receipt["text"].split()[2]
    allowed = {2001: "GGD desk", 3001: "coordinator of Assen", WILLEM: "the filer"}
    refused = {1001: "another field worker", 2002: "Veilig Thuis, not routed there"}
    for who in (*allowed, *refused):
        mark = await phone.last_id(who)
        await phone.send(who, f"/signaal {ref.lower()}")  # typed in lower case, as on a phone
        reply = await phone.expect(who, "", after=mark)
        if who in allowed:
            assert "Doet de deur niet meer open." not in reply["text"], allowed[who]  # read on the page
            assert "Doet de deur niet meer open." in await phone.read(who, after=mark), allowed[who]
        else:
            assert reply["text"] == "Dit signaal bestaat niet, of u mag het niet inzien.", refused[who]
    mark = await phone.last_id(1001)
    await phone.send(1001, "/signaal S-NOSUCH")
    assert (await phone.expect(1001, "", after=mark))[
        "text"
    ] == "Dit signaal bestaat niet, of u mag het niet inzien."
    async with stack.uow() as uow:
        views = [(a.action, a.actor_telegram_id) for a in await uow.audit.query(subject=ref)]
    assert sorted(v for v in views if v[0] != "signal_filed") == sorted(
        [("signal_viewed", w) for w in allowed] + [("signal_view_refused", w) for w in refused]
    )
    # In a desk group, details are never shown, even to a member.
    await phone.send(2001, f"/signaal {ref}", chat_id=GGD)
    await phone.expect(GGD, "alleen in een privégesprek")


async def test_mijn_lists_only_the_filers_own_signals(stack: Stack) -> None:
    from tests.e2e.harness import file_intake

    phone = stack.phone
    assert phone is not None
    await file_intake(phone, WILLEM, ["Eenzaamheid"])
    await phone.send(WILLEM, "/mijn")
    mine = await phone.expect(WILLEM, "Uw signalen")
    assert "Assen · nieuw → Sociaal wijkteam Assen" in mine["text"]
    await phone.send(1001, "/mijn")
    await phone.expect(1001, "nog geen signalen")


async def test_a_coordinator_deactivates_a_professional_who_is_refused_from_then_on(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(1001, "/deactiveer 1003")  # a field worker may not
    await phone.expect(1001, "Dat kan niet")
    await phone.send(3001, "/deactiveer 1003")
    await phone.expect(3001, "Willem (welzijn) is gedeactiveerd")
    await phone.send(WILLEM, "/signaal")
    await phone.expect(WILLEM, "alleen voor uitgenodigde professionals")
    async with stack.uow() as uow:
        user = await uow.users.by_telegram_id(WILLEM)
        assert user is not None and user.active is False
        assert [a.action for a in await uow.audit.query(subject=f"user:{user.id}")] == ["user_deactivated"]


async def test_a_coordinator_deactivates_someone_by_name_without_knowing_a_telegram_number(
    stack: Stack,
) -> None:
    """/deactiveer without a number lists the people Carla may switch off (her gemeente's, never an
    admin nor herself); she picks Willem, confirms, and he is refused from then on."""
    phone = stack.phone
    assert phone is not None
    await phone.send(3001, "/deactiveer")
    await phone.expect(3001, "Wie zet u uit?")
    # More than eight people: found by typing part of a name; never herself.
    await phone.send(3001, "carla")
    await phone.expect(3001, 'Niets gevonden met "carla"')
    await phone.send(3001, "willem")
    choose = await phone.expect(3001, 'met "willem"')
    names = [label for row in choose["buttons"] for label in row]
    assert any(label.startswith("Willem (welzijn) · ") for label in names)
    willem = next(label for label in names if label.startswith("Willem (welzijn) · "))
    await phone.press(3001, willem, message_id=choose["message_id"])
    confirm = await phone.expect(3001, "Deze persoon uitzetten?")
    assert f"Persoon: {willem}" in confirm["text"]
    async with stack.uow() as uow:  # nothing changes before the confirmation
        user = await uow.users.by_telegram_id(WILLEM)
        assert user is not None and user.active is True
    await phone.press(3001, "Versturen", message_id=confirm["message_id"])
    await phone.expect(3001, "Willem (welzijn) is gedeactiveerd")
    await phone.send(WILLEM, "/signaal")
    await phone.expect(WILLEM, "alleen voor uitgenodigde professionals")
    await phone.send(1001, "/deactiveer")  # a field worker gets the refusal, no list
    await phone.expect(1001, "Dat kan niet")


async def test_a_group_desk_summary_carries_no_free_text(stack: Stack) -> None:
    from tests.e2e.harness import file_intake

    phone = stack.phone
    assert phone is not None
    await file_intake(
        phone, WILLEM, ["Zelfverwaarlozing of vervuiling"], description="Vrije tekst hier.", care="Ja"
    )
    desk = await phone.expect(GGD, "Nieuw signaal")
    assert (
        "Vrije tekst hier." not in desk["text"] and "Wijkteam" not in desk["text"]
    )  # care organisations are free text too
    assert "Gezien: Zelfverwaarlozing of vervuiling" in desk["text"]
