"""/regiobeeld on both adapters, on the fake clock: who gets a link, the link's 15 minutes and single use,
the session's 8 hours, and what each role's page holds; every login audited."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.clock import FakeClock
from tests.conftest import ADAPTERS
from tests.e2e.harness import MONDAY_0900, Stack, file_intake, sqlite_url
from tests.net import free_port

pytestmark = pytest.mark.e2e

WENDY, WILLEM, GERDA, CARLA = 1001, 1003, 2001, 3001
GGD = -1001001


@pytest.fixture(params=ADAPTERS)
async def served(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stack]:
    s = Stack(sqlite_url(tmp_path), clock=FakeClock(MONDAY_0900), adapter=request.param, web_port=free_port())
    await s.start()
    yield s
    await s.close()


async def _ask(stack: Stack, user: int, chat: int | None = None) -> str:
    assert stack.phone is not None
    mark = await stack.phone.last_id(chat or user)
    await stack.phone.send(user, "/regiobeeld", chat_id=chat)
    return str((await stack.phone.expect(chat or user, "regiobeeld", after=mark))["text"])


def browser() -> aiohttp.ClientSession:
    """A client that keeps cookies, also for 127.0.0.1 (as a browser does)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def _csv(http: aiohttp.ClientSession, url: str) -> list[str]:
    """A CSV as Dutch Excel reads it: UTF-8 with a byte-order mark, fields split by semicolons."""
    async with http.get(url) as resp:
        assert resp.status == 200 and resp.headers["Content-Type"] == "text/csv; charset=utf-8"
        body = await resp.read()
    assert body.startswith("\ufeff".encode())
    return body.decode("utf-8").removeprefix("\ufeff").splitlines()


def _url(text: str) -> str:
    found = re.search(r"http\S+", text)
    assert found is not None, text
    return found.group(0)


async def test_a_link_is_personal_single_use_and_short_lived(served: Stack) -> None:
    clock = served.clock
    assert isinstance(clock, FakeClock)
    assert (await _ask(served, WENDY)).startswith("Het regiobeeld is er voor coördinatoren")
    assert "privégesprek" in await _ask(served, GERDA, chat=GGD)  # a group never gets the link
    late = _url(await _ask(served, CARLA))
    clock.advance(timedelta(minutes=16))
    async with browser() as http, http.get(late) as resp:
        assert resp.status == 403 and "Geen toegang" in await resp.text()
    link = _url(await _ask(served, CARLA))
    async with browser() as http:
        async with http.get(link) as resp:
            page = await resp.text()
            assert resp.status == 200 and "Voor Carla (coördinator Assen)" in page
            assert "Emmen" not in page and "Sociaal wijkteam Emmen" not in page
            assert "Nu actief: 0, waarvan met risico: 0." in page
        async with http.get(link) as resp:  # the same link again, even in the same browser
            assert resp.status == 403
        clock.advance(timedelta(hours=7, minutes=59))
        async with http.get(link.split("/login")[0]) as resp:
            assert resp.status == 200  # the session lasts 8 hours
        clock.advance(timedelta(minutes=2))
        async with http.get(link.split("/login")[0]) as resp:
            assert resp.status == 403
    async with served.uow() as uow:
        actions = [a.action for a in await uow.audit.query()]
    assert actions.count("regiobeeld_link") == 2 and actions.count("regiobeeld_login") == 1
    assert actions.count("regiobeeld_login_refused") == 1  # two refusals from one source: one row


async def test_desk_staff_see_their_own_desk_only(served: Stack) -> None:
    link = _url(await _ask(served, GERDA))
    async with browser() as http:
        async with http.get(link) as resp:
            page = await resp.text()
        rows = await _csv(http, link.split("/login")[0] + "/meldpunten.csv")
        for counts in ("maanden", "gemeenten", "wie-meldt", "waakvlam", "acuut-en-terugval"):
            async with http.get(link.split("/login")[0] + f"/{counts}.csv") as resp:
                assert resp.status == 404, counts  # the gemeenten's counts are the coordinators'
    assert "GGD Drenthe" in page and "Veilig Thuis Drenthe" not in page
    assert [r.split(";")[0] for r in rows[1:]] == ["GGD Drenthe — Meldpunt Zorgwekkend Gedrag"]
    # A regional desk serves all twelve gemeenten; its staff see the desk, not the region's counts.
    for region_wide in ("Signalen per maand", "Signalen per gemeente", "Wie meldt", "Nu actief", "Emmen"):
        assert region_wide not in page, region_wide
    assert "Hoe de meldpunten afsloten" in page


async def test_who_files_counts_kinds_of_organisation_and_names_no_one(served: Stack) -> None:
    """Wendy (police) files two signals, Willem (welzijn) one: the page and its CSV count them by kind of
    organisation, small numbers hidden (×), and name neither them nor their organisations."""
    assert served.phone is not None
    for user, ref in ((WENDY, "WP-1"), (WENDY, "WP-2"), (WILLEM, "WW-1")):
        await file_intake(served.phone, user, ["Verward of zorgwekkend gedrag"], ref=ref)
    async with served.uow() as uow:
        counted = {(t.kind, t.category): t.count for t in await uow.tallies.all() if t.kind == "filed_by"}
    assert counted == {("filed_by", "politie"): 2, ("filed_by", "welzijn"): 1}
    link = _url(await _ask(served, CARLA))
    async with browser() as http:
        async with http.get(link) as resp:
            page = await resp.text()
        rows = await _csv(http, link.split("/login")[0] + "/wie-meldt.csv")
    assert rows == [
        "Soort organisatie;Signalen;Aandeel",
        "Politie;×;–",
        "Welzijn en wijkteam;×;–",
        "Totaal;×;",
    ]
    assert "Wie meldt" in page
    for name in ("Wendy", "Willem", "Politie Drenthe", "Welzijnswerk Assen"):
        assert name not in page


async def test_signals_about_more_than_one_gemeente_are_counted_and_shown_protected(served: Stack) -> None:
    """Wendy says her signal also plays in another gemeente, Willem says his does not, and an acute
    situation is sent to 112: the counts reach the page and its CSV, small ones hidden (×), nothing else about them."""
    assert served.phone is not None
    await file_intake(served.phone, WENDY, ["Overlast"], ref="WE-1", elsewhere="Ja")
    await file_intake(served.phone, WILLEM, ["Overlast"], ref="WI-1", elsewhere="Nee")
    mark = await served.phone.last_id(WENDY)
    await served.phone.send(WENDY, "/signaal")
    question = await served.phone.expect(WENDY, "acuut gevaar", after=mark)
    await served.phone.press(WENDY, "Ja", message_id=question["message_id"])
    await served.phone.expect(WENDY, "112", after=mark)
    async with served.uow() as uow:
        counted = {t.kind: t.count for t in await uow.tallies.all() if t.kind in ("elsewhere", "acute")}
    assert counted == {"elsewhere": 1, "acute": 1}
    link = _url(await _ask(served, CARLA))
    async with browser() as http:
        async with http.get(link) as resp:
            page = await resp.text()
        rows = await _csv(http, link.split("/login")[0] + "/acuut-en-terugval.csv")
    assert rows[0] == "Maand;Acuut (bel 112);Terugval uit waakvlam;Ook andere gemeente"
    assert rows[-1] == "november 2026;×;0;×"
    # Earlier months had none; some zeros are hidden too, so that the small ones cannot be worked out.
    assert all(r.split(";")[2] == "0" and set(r.split(";")[1:]) <= {"0", "×"} for r in rows[1:-1])
    assert "Acuut, terugval en meer dan één gemeente" in page and "WE-1" not in page


async def _monday(timed: Stack, when: datetime) -> int:
    """The scheduler's morning job at `when`: plan (twice, as two instances would) and run what is due."""
    assert timed.core is not None and timed.runtime is not None and isinstance(timed.clock, FakeClock)
    timed.clock.set(when)
    async with timed.uow() as uow:
        planned = await timed.core.weekly.plan_today(uow)
        await timed.core.weekly.plan_today(uow)
        await uow.commit()
    await timed.run_due()
    await timed.settle()
    return planned


def _weekly(msgs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [m for m in msgs if m["text"].startswith("📊 Regiobeeld")]


async def test_every_working_monday_the_coordinator_gets_the_lights_and_the_week(timed: Stack) -> None:
    phone = timed.phone
    assert phone is not None
    assert await _monday(timed, MONDAY_0900) == 2  # one coordinator, Carla, and one bestuurder, Bert
    assert _weekly(await phone.bot_messages(CARLA)) == []  # nothing happened yet: nothing is sent
    assert isinstance(timed.clock, FakeClock)
    timed.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    for ref in ("R-1", "R-2"):
        await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref=ref)
        await timed.settle()
    assert await _monday(timed, datetime(2026, 11, 27, 7, 0, tzinfo=UTC)) == 0  # a Friday: no message
    await _monday(timed, datetime(2026, 11, 30, 7, 0, tzinfo=UTC))  # Monday 08:00 in Amsterdam
    (message,) = _weekly(await phone.bot_messages(CARLA))
    lines = message["text"].splitlines()
    assert lines[0] == "📊 Regiobeeld maandag 30 november 2026"
    assert lines[1] == "Signalen in Assen afgelopen week: <5 (de week ervoor: 0)"  # two: a small number
    assert (
        "⚪ GGD Drenthe — Meldpunt Zorgwekkend Gedrag: – binnen de termijn opgepakt (3 maanden), × open, "
        "× over de termijn"
    ) in lines
    assert lines[-2:] == [
        "× = verborgen, zodat niemand een klein aantal kan terugrekenen",
        "Meer, met grafieken en tabellen: /regiobeeld",
    ]
    await _monday(timed, datetime(2026, 11, 30, 9, 0, tzinfo=UTC))  # the job again that day: no second
    assert len(_weekly(await phone.bot_messages(CARLA))) == 1
    assert await _monday(timed, datetime(2027, 3, 29, 7, 0, tzinfo=UTC)) == 0  # Easter Monday is a day off


SECURITY = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}


async def test_the_link_is_a_button_and_every_answer_carries_the_security_headers(served: Stack) -> None:
    """Carla gets a button that opens the page; the page, a CSV and a refusal each say: no framing, no
    script but the server's own, no guessing of types; an odd period (maanden=²) is the default, not a 500;
    the refusal is a page with a heading that fits a phone."""
    assert served.phone is not None
    mark = await served.phone.last_id(CARLA)
    await served.phone.send(CARLA, "/regiobeeld")
    message = await served.phone.expect(CARLA, "regiobeeld", after=mark)
    assert message["buttons"] == [["Regiobeeld openen"]]
    (shown,) = [m for m in served.emulator.chats[CARLA] if m.message_id == message["message_id"]]
    link = shown.keyboard[0][0]["url"]
    assert link == _url(message["text"]) and "callback_data" not in shown.keyboard[0][0]
    base = link.split("/login")[0]
    async with browser() as http:
        for url, status in (
            (link, 200),
            (base + "?maanden=²", 200),
            (base + "/maanden.csv?maanden=²", 200),
            (base + "/static/page.js", 200),
        ):
            async with http.get(url) as resp:
                assert resp.status == status, url
                for header, value in SECURITY.items():
                    assert resp.headers[header] == value, (url, header)
                assert "script-src 'self';" in resp.headers["Content-Security-Policy"], url
                assert "unsafe-eval" not in resp.headers["Content-Security-Policy"]
                assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    async with browser() as http, http.get(base) as resp:  # no session: refused, as a page
        page = await resp.text()
        assert resp.status == 403 and resp.headers["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in resp.headers
    assert '<meta name="viewport"' in page and "<h1>Geen toegang</h1>" in page and "<main>" in page


async def test_a_flood_of_wrong_links_adds_a_few_audit_rows_and_is_then_turned_away(served: Stack) -> None:
    """1,000 wrong links from one address: one audit row at the first refusal and one at the tenth (with
    the count), then 429s without a look at the database; another address is still heard. Twenty wrong
    invite codes in the chat: five refusals and one 'blocked' row, not twenty."""
    base = f"http://127.0.0.1:{served.web_port}/regiobeeld/login?t="
    statuses: list[int] = []
    async with browser() as http:
        for i in range(1000):
            async with http.get(f"{base}wrong{i}", headers={"X-Forwarded-For": "203.0.113.7"}) as resp:
                statuses.append(resp.status)
        async with http.get(f"{base}other", headers={"X-Forwarded-For": "198.51.100.2"}) as resp:
            assert resp.status == 403
    assert statuses[:20] == [403] * 20 and set(statuses[20:]) == {429}
    assert served.phone is not None
    for i in range(20):
        await served.phone.send(4242, f"/start FOUT{i}")
    await served.settle()
    async with served.uow() as uow:
        entries = await uow.audit.query()
    refused = [e for e in entries if e.action == "regiobeeld_login_refused"]
    assert [e.detail["count"] for e in refused] == [1, 10, 1]  # two sources: 1 and 10, and the other's 1
    assert "203.0.113.7" not in str([e.detail for e in refused])  # a hash of the address only
    assert [e.action for e in entries if e.actor_telegram_id == 4242].count("invite_refused") == 5
    assert [e.action for e in entries if e.actor_telegram_id == 4242].count("invite_blocked") == 1


async def test_a_sandbox_jump_past_a_monday_still_brings_that_mondays_message(timed: Stack) -> None:
    """On the sandbox's clock Carla jumps a week from Friday 27 November: the morning job never ran on
    Monday 30 November, yet its regiobeeld message comes, with that Monday's date (and only once)."""
    from bot.app.scheduler import plan_digests
    from bot.sandbox.clock import days_passed

    phone = timed.phone
    assert phone is not None and timed.core is not None and timed.runtime is not None
    assert isinstance(timed.clock, FakeClock)
    timed.clock.set(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))
    await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref="R-1")
    await timed.settle()
    friday = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    timed.clock.set(friday + timedelta(weeks=1))  # the sandbox's "+1 week"
    days = days_passed(friday, timed.clock.now(), "Europe/Amsterdam")
    assert [d.isoformat() for d in days][:3] == ["2026-11-28", "2026-11-29", "2026-11-30"]
    runner = timed.core.due_runner(timed.runtime.sender.wake)
    await plan_digests(timed.core.periodic(), runner, days)
    await plan_digests(timed.core.periodic(), runner, days)  # the same jump seen twice: nothing twice
    await timed.settle()
    (message,) = _weekly(await phone.bot_messages(CARLA))
    assert message["text"].splitlines()[0] == "📊 Regiobeeld maandag 30 november 2026"


async def test_bottlenecks_and_escalations_reach_the_regiobeeld_counted_and_protected(served: Stack) -> None:
    """Gerda closes a signal with a waiting list in the way and scales another up, which the teamleider
    solves: the ladder's tables and the bottlenecks count them per gemeente and month, small ones hidden; the
    bestuurder sees the same page for his gemeente."""
    phone = served.phone
    assert phone is not None
    receipt = await file_intake(phone, WILLEM, ["Verward of zorgwekkend gedrag"], ref="KN-1")
    ref = receipt["text"].split()[2]
    summary = await phone.expect(GGD, f"Nieuw signaal {ref}")
    await phone.press(GERDA, "Afsluiten", chat_id=GGD, message_id=summary["message_id"])
    await phone.press(
        GERDA, "Hulp gestart", message_id=(await phone.expect(GERDA, "afsluiten:"))["message_id"]
    )
    await phone.press(GERDA, "Overslaan", message_id=(await phone.expect(GERDA, "notitie"))["message_id"])
    asked = await phone.expect(GERDA, "Zat een systeemknelpunt in de weg?")
    assert asked["buttons"][0] == ["Nee", "Wachtlijst"]
    await phone.press(GERDA, "Wachtlijst", message_id=asked["message_id"])
    confirm = await phone.expect(GERDA, "Tik op Versturen")
    assert "Systeemknelpunt: Wachtlijst" in confirm["text"]
    await phone.press(GERDA, "Versturen", message_id=confirm["message_id"])
    await phone.expect(WILLEM, "afgesloten: er is hulp gestart")

    other = (await file_intake(phone, WENDY, ["Verward of zorgwekkend gedrag"], ref="KN-2"))["text"].split()[
        2
    ]
    await phone.expect(GGD, f"Nieuw signaal {other}")
    await phone.send(GERDA, f"/opschalen {other}")
    await phone.press(
        GERDA,
        "Het risico neemt toe",
        message_id=(await phone.expect(GERDA, "opschalen: waarom?"))["message_id"],
    )
    await phone.press(
        GERDA, "Overslaan", message_id=(await phone.expect(GERDA, "volgende trede"))["message_id"]
    )
    await phone.press(
        GERDA, "Versturen", message_id=(await phone.expect(GERDA, "opschalen naar"))["message_id"]
    )
    card = await phone.expect(4001, f"Over: {other} · reden: Het risico neemt toe")
    await phone.press(4001, "↩ Terug", message_id=card["message_id"])
    await phone.press(4001, "Niet onze rol", message_id=(await phone.expect(4001, "Terug (E-"))["message_id"])
    await phone.expect(GERDA, "stuurt opschaling")

    async with served.uow() as uow:
        counted = {(t.kind, t.category): t.count for t in await uow.tallies.all() if t.kind in LADDER}
    assert counted == {
        ("knelpunt", "waiting_list"): 1,
        ("escalated", "risk_rising"): 1,
        ("esc_returned", "1"): 1,
        ("esc_hours", "1:0"): 1,  # sent back within the first working hour
    }
    for who in (CARLA, 4002):  # the coordinator, and the bestuurder of Assen
        link = _url(await _ask(served, who))
        async with browser() as http:
            async with http.get(link) as resp:
                page = await resp.text()
            base = link.split("/login")[0]
            ladder = await _csv(http, base + "/opschaling.csv")
            rungs = await _csv(http, base + "/opschaling-trede.csv")
            knelpunten = await _csv(http, base + "/systeemknelpunten.csv")
            regie = await _csv(http, base + "/regie-nu.csv")
        assert "Los op of schaal op" in page and "KN-1" not in page and other not in page
        assert ladder[0] == "Maand;Opgeschaald;Opgelost (los op);Teruggestuurd"
        assert ladder[-1] == "november 2026;×;0;×"
        # Decided at rung 1; how long it took is a median over too few to say ("–").
        assert rungs == ["Trede;Opgelost (los op);Teruggestuurd;Tijd tot besluit, mediaan", "Trede 1;0;×;–"]
        assert knelpunten[:2] == ["Systeemknelpunt;Aantal", "Wachtlijst;×"]
        assert all(row.endswith(";0") for row in knelpunten[2:])
        # Regie as it stands: nobody directs KN-2's resident yet, and it is open since today.
        assert regie == [
            "Regie;Nu",
            "Bewoners met een regisseur;0",
            "Regie gevraagd, nog niet geaccepteerd;0",
            "Open signalen zonder regisseur, minder dan 5 werkdagen;×",
            "Open signalen zonder regisseur, 5 tot 10 werkdagen;0",
            "Open signalen zonder regisseur, meer dan 10 werkdagen;0",
        ]


LADDER = ("knelpunt", "escalated", "esc_solved", "esc_returned", "esc_hours")
