"""What a professional sees on the phone, and what is stored, for every way a conversation can go."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from storage.models import Conversation, InboxUpdate, Signal, Tally
from tests.e2e.harness import Stack, file_intake, intake_to_description

pytestmark = pytest.mark.e2e

WENDY, HANNA, WILLEM, STRANGER = 1001, 1002, 1003, 424242
GGD, VT, ZVHD = -1001001, -1001002, -1001003


async def count(stack: Stack, model: type) -> int:
    async with stack.uow() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_scenario_2_acute_danger_says_call_112_and_stores_nothing(stack: Stack) -> None:
    """A wijkagent finds an older woman in her nightgown outside at night, disoriented."""
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    await phone.press(WENDY, "Ja")
    reply = await phone.expect(WENDY, "Bel nu 112")
    assert "niet opgeslagen" in reply["text"]
    await stack.settle()
    assert await count(stack, Signal) == 0
    assert await count(stack, Conversation) == 0
    async with stack.uow() as uow:
        tallies = [(t.kind, t.gemeente, t.category, t.count) for t in await uow.tallies.all()]
    assert tallies == [("acute", "assen", "", 1)]  # only an anonymous count for the regional picture
    for desk in (GGD, VT, ZVHD):
        assert await phone.bot_messages(desk) == []


async def test_scenario_4_goes_to_both_desks_for_joint_triage(stack: Stack) -> None:
    """A wijkagent: repeated threats by a man towards his ex-partner, who says she is being followed."""
    phone = stack.phone
    assert phone is not None
    receipt = await file_intake(
        phone, WENDY, ["Huiselijk geweld of kindermishandeling", "Stalking of bedreiging"], ref="PD-2026-88"
    )
    assert (
        "Zorg- en Veiligheidshuis Drenthe, omdat u stalking of bedreiging (een hoog veiligheidsrisico) koos"
        in receipt["text"]
    )
    assert "Veilig Thuis Drenthe, omdat u huiselijk geweld of kindermishandeling koos" in receipt["text"]
    assert "routeeroverleg" in receipt["text"]
    zvhd = await phone.expect(ZVHD, "Nieuw signaal")
    vt = await phone.expect(VT, "Nieuw signaal")
    assert "Gezamenlijke triage: dit signaal ging ook naar Veilig Thuis Drenthe" in zvhd["text"]
    assert "Gezamenlijke triage: dit signaal ging ook naar Zorg- en Veiligheidshuis Drenthe" in vt["text"]
    assert await phone.bot_messages(GGD) == []
    async with stack.uow() as uow:
        signal = await uow.session.scalar(select(Signal))
        assert signal is not None and signal.joint_triage is True
        assert sorted(r.meldpunt_id for r in await uow.signals.routes_of(signal.id)) == [
            "veilig-thuis",
            "zvhd",
        ]


async def test_scenario_1_with_two_gemeenten_asks_which_one(stack: Stack) -> None:
    """A housing officer working in Assen and Midden-Drenthe: noise complaints and an eviction case."""
    phone = stack.phone
    assert phone is not None
    await phone.send(HANNA, "/signaal")
    danger = await phone.expect(HANNA, "acuut gevaar")  # always the first question, before the gemeente
    await phone.press(HANNA, "Nee", message_id=danger["message_id"])
    which = await phone.expect(HANNA, "In welke gemeente")
    assert which["buttons"][0] == ["Assen", "Midden-Drenthe"]
    await phone.press(HANNA, "Midden-Drenthe")
    await phone.press(HANNA, "Overlast")
    await phone.press(HANNA, "Dreigende huisuitzetting")
    await phone.press(HANNA, "Klaar")
    for answer in (
        "ACT-311",
        "Beilen",
        "Huurder in behandeling, geluidsoverlast, ontruiming wordt voorbereid.",
    ):
        await phone.fill(HANNA, answer)
    await phone.press(HANNA, "Ja")
    await phone.expect(HANNA, "Welke organisaties")
    await phone.fill(HANNA, "GGZ Drenthe")
    await phone.press(HANNA, "Ja")
    await phone.expect(HANNA, "andere gemeente?")
    await phone.press(HANNA, "Nee")
    await phone.expect(HANNA, "Samenloop:")
    await phone.press(HANNA, "Overslaan")
    await phone.press(HANNA, "Versturen")
    receipt = await phone.expect(HANNA, "is verstuurd")
    assert "Vroegsignalering schulden Midden-Drenthe" in receipt["text"]
    assert "Sociaal wijkteam Midden-Drenthe" in receipt["text"]
    assert "112" not in receipt["text"]


async def test_an_unregistered_person_is_refused_and_nothing_else_happens(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    for text in ("/signaal", "hallo", "/start", "/start WRONGCODE1"):
        await phone.send(STRANGER, text)
    await stack.settle()
    replies = [m["text"] for m in await phone.bot_messages(STRANGER)]
    # One short answer a minute to what a stranger sends ("hallo" right after gets none); /start always
    # says how to register, and a wrong code is refused.
    assert len(replies) == 3 and replies[:2] == [replies[0]] * 2
    assert "alleen voor uitgenodigde professionals" in replies[0] and "klopt niet" in replies[2]
    assert await count(stack, Conversation) == 0
    async with stack.uow() as uow:
        assert await uow.users.by_telegram_id(STRANGER) is None


async def test_invite_from_the_command_line_registers_a_wijkagent_who_can_file(stack: Stack) -> None:
    from typer.testing import CliRunner

    from bot.app.cli import app

    env = {"WAAKVLAM_DATABASE_URL": stack.database_url}
    args = ["invite", "--role", "veldwerker", "--org", "Politie Drenthe", "--gemeente", "Assen"]
    result = await asyncio.to_thread(CliRunner().invoke, app, args, env=env)
    assert result.exit_code == 0, result.output
    code = result.output.split("Invite code: ")[1].split()[0]
    phone = stack.phone
    assert phone is not None
    await phone.send(5001, f"/start {code}")
    welcome = await phone.expect(5001, "Welkom")
    assert "veldwerker bij Politie Drenthe (Assen)" in welcome["text"]
    await file_intake(phone, 5001, ["Eenzaamheid"])
    await phone.expect(-1002002, "Nieuw signaal")  # Sociaal wijkteam Assen
    await phone.send(5002, f"/start {code}")
    await phone.expect(5002, "al gebruikt")


async def test_restart_mid_conversation_resumes_at_the_same_question(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    await phone.press(WENDY, "Nee")
    await phone.press(WENDY, "Zorgmijding")
    await phone.press(WENDY, "Klaar")
    await phone.expect(WENDY, "eigen korte referentie")
    await stack.settle()
    await stack.restart_bot()
    await phone.fill(WENDY, "R-9")  # answered to the new process
    await phone.expect(WENDY, "welke wijk")
    mark = await phone.last_id(WENDY)
    await phone.send(WENDY, "/signaal")  # and asking again picks it up where it was
    await phone.expect(WENDY, "U was al bezig", after=mark)
    await phone.expect(WENDY, "welke wijk", after=mark)
    async with stack.uow() as uow:
        conv = await uow.conversations.get(WENDY, WENDY)
        assert conv is not None
        assert conv.state["answers"]["resident_ref"] == "R-9" and conv.state["step"] == "area"


async def test_a_double_tap_is_processed_once(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    question = await phone.message_with_button(WENDY, "Nee")
    first = await phone.press(WENDY, "Nee", message_id=question["message_id"])
    second = await phone.press(WENDY, "Nee", message_id=question["message_id"])
    await stack.settle()
    asked = [m for m in await phone.bot_messages(WENDY) if "Wat heeft u gezien?" in m["text"]]
    assert len(asked) == 1
    assert (await phone.callback_answer(second) or {}).get("text") in (
        "Al verwerkt.",
        "Deze vraag is verlopen.",
    )
    assert (await phone.callback_answer(first) or {}).get("text") is None


async def test_a_tap_on_an_old_question_is_expired(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    old = await phone.message_with_button(WENDY, "Ja")
    await phone.press(WENDY, "Nee", message_id=old["message_id"])
    await phone.press(WENDY, "Klaar")  # nothing chosen yet
    await phone.press(WENDY, "Overlast")
    await phone.press(WENDY, "Klaar")
    await phone.expect(WENDY, "eigen korte referentie")
    # The acute question was edited and lost its buttons; a stale client still sends its data.
    assert (await phone.messages(WENDY))[1]["buttons"] == []


async def test_forged_button_data_is_refused(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    question = await phone.message_with_button(WENDY, "Ja")
    await stack.settle()
    # Wendy's own button data pressed by Willem, and made-up data pressed by Wendy.
    real = stack.emulator.chats[WENDY][-1].keyboard[0][0]["callback_data"]
    message = {
        "message_id": question["message_id"],
        "date": 0,
        "chat": {"id": WENDY, "type": "private"},
        "text": "x",
    }
    for presser, data in ((WILLEM, real), (WENDY, "0|yes|AAAAAAAAAAA"), (WENDY, "garbage")):
        user = {"id": presser, "is_bot": False, "first_name": "X"}
        update = await phone.raw_update(
            {
                "callback_query": {
                    "id": f"f{presser}{data[:3]}",
                    "from": user,
                    "message": message,
                    "chat_instance": "1",
                    "data": data,
                }
            }
        )
        await stack.settle()
        assert update > 0
    # Willem's press in Wendy's private chat cannot come from Telegram: refused at the door, unanswered.
    answers = [a["text"] for a in stack.emulator.answers.values()]
    assert answers == ["Deze knop is niet (meer) geldig."] * 2
    async with stack.uow() as uow:
        refused = [
            (a.actor_telegram_id, a.detail) for a in await uow.audit.query() if a.action == "update_refused"
        ]
    assert refused == [(WILLEM, {"reason": "chat_is_not_sender"})]
    async with stack.uow() as uow:
        conv = await uow.conversations.get(WENDY, WENDY)
        assert conv is not None and conv.state["step"] == "acute"  # untouched


async def test_cancel_clears_the_conversation_anywhere(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await file_intake(phone, WENDY, ["Overlast"], send=False)
    await phone.send(WENDY, "/cancel")
    await phone.expect(WENDY, "Geannuleerd. Er is niets opgeslagen.")
    await stack.settle()
    assert await count(stack, Conversation) == 0 and await count(stack, Signal) == 0
    await phone.send(WENDY, "/cancel")
    await phone.expect(WENDY, "Er is niets om te stoppen.")
    mark = await phone.last_id(WENDY)
    await phone.send(WENDY, "/signaal")
    fresh = await phone.expect(WENDY, "acuut gevaar", after=mark)
    await phone.press(WENDY, "Annuleren", message_id=fresh["message_id"])
    await phone.expect(WENDY, "Geannuleerd")
    await stack.settle()
    assert await count(stack, Conversation) == 0


async def test_back_and_stray_text_and_over_long_text_lose_nothing(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    await phone.send(WENDY, "nee")  # typed instead of tapped
    await phone.expect(WENDY, "Kies een van de knoppen")
    await phone.press(WENDY, "Nee")
    await phone.press(WENDY, "Overlast")
    await phone.press(WENDY, "Klaar")
    await phone.expect(WENDY, "eigen korte referentie")
    await phone.fill(WENDY, "REF")
    await phone.fill(WENDY, "9401")
    await phone.expect(WENDY, "Beschrijf kort")
    page = await phone.fill(WENDY, "x" * 1500)  # the form says so; the question stays open
    assert "maximaal 1000 tekens, u stuurde er 1500" in page
    await phone.send(WENDY, "/terug")
    await phone.expect(WENDY, "welke wijk")
    await phone.fill(WENDY, "Assen-Oost")
    await phone.fill(WENDY, "Kort en goed.")
    await phone.expect(WENDY, "zorg of hulpverlening")
    await phone.press(WENDY, "Nee")
    await phone.expect(WENDY, "Is de bewoner op de hoogte")
    await phone.press(WENDY, "Ja")
    await phone.expect(WENDY, "andere gemeente?")
    await phone.press(WENDY, "Weet ik niet")
    await phone.press(WENDY, "Overslaan", message_id=(await phone.expect(WENDY, "Samenloop:"))["message_id"])
    confirm = await phone.expect(WENDY, "Klopt dit?")
    assert "Wijk of postcode: ✓ ingevuld" in confirm["text"] and "Referentie: ✓ ingevuld" in confirm["text"]
    assert "Assen-Oost" not in confirm["text"]


async def test_signals_are_filed_only_in_a_private_chat(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(2001, "/signaal", chat_id=GGD)
    await phone.expect(GGD, "alleen in een privégesprek")
    await phone.send(2001, "gewoon overleg in de groep", chat_id=GGD)
    await stack.settle()
    assert len(await phone.bot_messages(GGD)) == 1  # chatter in the desk group is left alone


async def test_english_after_taal_en(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/taal en")
    await phone.expect(WENDY, "Language set: English.")
    await phone.send(WENDY, "/signaal")
    question = await phone.expect(WENDY, "Is there acute danger")
    assert question["buttons"] == [["Yes", "No"], ["Cancel"]]
    await phone.press(WENDY, "Yes")
    await phone.expect(WENDY, "Call 112 now")
    await phone.send(WENDY, "/taal fr")
    await phone.expect(WENDY, "Choose /taal nl")
    await phone.send(WENDY, "/taal nl")
    await phone.expect(WENDY, "Taal ingesteld: Nederlands.")


async def test_a_429_from_telegram_delays_but_never_loses_or_doubles_a_reply(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await stack.http.post(  # type: ignore[union-attr]
        f"{stack.base}/control/faults",
        json={"method": "sendMessage", "status": 429, "count": 1, "retry_after": 1},
    )
    await phone.send(WENDY, "/signaal")
    await phone.expect(WENDY, "acuut gevaar", within=8)
    await stack.settle(within=8)
    assert [m["text"][:9] for m in await phone.bot_messages(WENDY)] == ["Is er nu "]


async def test_every_update_is_stored_before_it_is_acted_on(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    await phone.send(STRANGER, "hoi")
    await stack.settle()
    async with stack.uow() as uow:
        rows = list(await uow.session.scalars(select(InboxUpdate).order_by(InboxUpdate.update_id)))
    assert [r.update_id for r in rows] == [1, 2]
    assert all(r.processed_at is not None for r in rows)
    assert rows[0].payload["message"]["text"] == "/signaal"


async def test_tallies_count_filed_signals_per_category(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await file_intake(phone, WENDY, ["Schulden of betalingsachterstand", "Zorgmijding"])
    await phone.expect(-1003002, "Nieuw signaal")  # Vroegsignalering schulden Assen
    async with stack.uow() as uow:
        tallies = sorted((t.kind, t.category, t.count) for t in await uow.session.scalars(select(Tally)))
    # One per category, and one for who filed it (Wendy: police), for the regiobeeld.
    assert tallies == [("filed_by", "politie", 1), ("signal", "care_avoidance", 1), ("signal", "debts", 1)]


async def test_only_the_question_on_screen_keeps_its_buttons(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    await phone.expect(WENDY, "acuut gevaar")
    await phone.send(WENDY, "weet niet")  # stray text: the question is asked again below
    await phone.expect(WENDY, "Kies een van de knoppen")
    confirm = await file_intake(phone, WILLEM, ["Overlast"], care="Ja", send=False)
    await stack.settle()
    live = [m for m in await phone.bot_messages(WILLEM) if m["buttons"]]
    assert [m["message_id"] for m in live] == [confirm["message_id"]]
    wendy = [m for m in await phone.bot_messages(WENDY) if m["buttons"]]
    assert len(wendy) == 1 and "acuut gevaar" in wendy[0]["text"]
    await phone.send(WILLEM, "/cancel")
    await phone.expect(WILLEM, "Geannuleerd")
    await stack.settle()
    assert [m for m in await phone.bot_messages(WILLEM) if m["buttons"]] == []


async def test_a_photo_an_unknown_command_and_a_command_for_another_bot(stack: Stack) -> None:
    """Mid-intake: a photo gets a kind word and the question stays; `/foo` gets the help; in a desk group
    a command addressed to another bot is left to that bot, one addressed to this bot is answered."""
    phone = stack.phone
    assert phone is not None
    await phone.send(WENDY, "/signaal")
    await phone.expect(WENDY, "acuut gevaar")
    photo = {
        "message_id": 9001,
        "date": 0,
        "chat": {"id": WENDY, "type": "private"},
        "from": {"id": WENDY, "is_bot": False, "first_name": "Wendy"},
        "photo": [{"file_id": "p", "file_unique_id": "p", "width": 90, "height": 90}],
    }
    await phone.raw_update({"message": photo})
    await phone.expect(WENDY, "Ik kan alleen tekst en knoppen verwerken")
    await phone.send(WENDY, "/Foo bar")
    await phone.expect(WENDY, "/signaal — een signaal doorgeven")
    gerda = 2001  # GGD desk staff
    await phone.send(gerda, "/open@some_other_bot", chat_id=GGD)
    await phone.send(gerda, "/OPEN@Waakvlam_Sandbox_Bot", chat_id=GGD)
    await phone.expect(GGD, "heeft geen open signalen")
    await stack.settle()
    assert len(await phone.bot_messages(GGD)) == 1
    async with stack.uow() as uow:
        conv = await uow.conversations.get(WENDY, WENDY)
        assert conv is not None and conv.state["step"] == "acute"  # the question still waits


async def test_cancel_after_a_long_description_asks_before_throwing_it_away(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    mark = await intake_to_description(phone, WENDY, ["Overlast"])
    await phone.fill(
        WENDY,
        "Meneer staat elke nacht te schreeuwen in het trappenhuis, al drie weken lang, zeggen de buren.",
    )
    await phone.expect(WENDY, "zorg of hulpverlening", after=mark)
    await phone.send(WENDY, "/cancel")
    ask = await phone.expect(WENDY, "Wilt u stoppen en die weggooien?", after=mark)
    assert ask["buttons"] == [["Ja, stoppen en weggooien"], ["Nee, verder"]]
    await phone.press(WENDY, "Nee, verder", message_id=ask["message_id"])
    await phone.expect(WENDY, "zorg of hulpverlening", after=ask["message_id"] - 1)
    async with stack.uow() as uow:
        conv = await uow.session.scalar(select(Conversation))
        assert conv is not None and conv.state["step"] == "care_involved"  # nothing lost
    await phone.send(WENDY, "/cancel")
    again = await phone.expect(WENDY, "Wilt u stoppen", after=ask["message_id"])
    await phone.press(WENDY, "Ja, stoppen en weggooien", message_id=again["message_id"])
    await phone.expect(WENDY, "Geannuleerd. Er is niets opgeslagen.", after=ask["message_id"])
    await stack.settle()
    assert await count(stack, Conversation) == 0 and await count(stack, Signal) == 0
