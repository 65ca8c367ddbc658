"""A person on the sandbox page files scenario 3 by typing and clicking, in headless Chromium."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.browser.axe import serious
from tests.net import free_port
from tests.sandbox_process import sandbox_process

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("WAAKVLAM_SCREENSHOTS", "/tmp"))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"
    ),
]
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[str]:
    """Start `waakvlam sandbox` exactly as the README does, on a free port, and wait for its page."""
    # A script taps faster than a person.
    with sandbox_process(tmp_path / "data", free_port(), rate_per_chat_burst="50") as running:
        yield running.url
    assert running.returncode == 0, running.output
    assert "Traceback" not in running.output, running.output


async def test_scenario_3_typed_and_clicked_on_the_sandbox_page(sandbox: str) -> None:
    playwright_api = pytest.importorskip("playwright.async_api", reason="playwright not installed")
    expect = playwright_api.expect
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = await browser.new_page(viewport={"width": 900, "height": 900})
        await page.goto(sandbox)
        log = page.locator("#log")

        async def tap(label: str) -> None:
            await log.get_by_role("button", name=label, exact=True).last.click()

        async def say(text: str) -> None:
            await page.get_by_label("Bericht").fill(text)
            await page.get_by_role("button", name="Stuur").click()

        await page.get_by_role("button", name="Willem (welzijn)").click()
        await say("/signaal")
        await expect(log).to_contain_text("acuut gevaar")
        # The chat is drawn message by message: what is on screen stays the same element as more comes.
        await page.evaluate("document.querySelector('#log .msg').dataset.kept = 'yes'")
        await tap("Nee")
        await expect(log).to_contain_text("Wat heeft u gezien?")
        await tap("Overlast")
        await expect(log.get_by_role("button", name="✅ Overlast")).to_be_visible()
        await tap("Zelfverwaarlozing of vervuiling")
        await expect(log.get_by_role("button", name="✅ Zelfverwaarlozing of vervuiling")).to_be_visible()
        await tap("Klaar")
        await expect(log).to_contain_text("eigen korte referentie")
        panel = page.locator("#panel")

        async def fill(text: str, then: str = "", shot: str = "") -> None:
            """Type on our server's form in the panel (as Telegram opens a Mini App) and send it; `then`: the
            next typed question, which follows on the same page (else the panel closes)."""
            form = page.frame_locator("#panel-frame")
            await form.get_by_role("button", name="Versturen").wait_for()
            await form.locator("#text").fill(text)
            if shot:
                await page.screenshot(path=str(SHOTS / shot))
            await form.get_by_role("button", name="Versturen").click()
            if then:
                await expect(form.locator("label[for=text]")).to_contain_text(then)
                await expect(form.get_by_role("status")).to_contain_text("Ingevuld ✓")
            else:
                await expect(panel).to_be_hidden()

        await say("WW-17")  # typed in the chat anyway: deleted, and pointed to the form
        await expect(log).to_contain_text("Typ dit niet in de chat")
        await expect(log).not_to_contain_text("WW-17")
        await tap("✏️ Invullen")  # one tap: the three typed questions follow on one page
        await fill("WW-17", then="welke wijk")
        await fill("9401", then="Beschrijf kort")
        await fill(
            "Harde muziek elke avond om 22:00, afval in de tuin, boos als je het vraagt.", shot="form-900.png"
        )
        await expect(log).to_contain_text("zorg of hulpverlening")
        await expect(log).not_to_contain_text("Harde muziek")  # never echoed through the chat
        await tap("Nee")
        await expect(log).to_contain_text("Is de bewoner op de hoogte")
        await tap("Nee")
        await expect(log).to_contain_text("andere gemeente?")
        await tap("Nee")
        await expect(log).to_contain_text("Samenloop:")
        await tap("Overslaan")
        await expect(log).to_contain_text("Klopt dit?")
        await tap("Versturen")
        await expect(log).to_contain_text("GGD Drenthe — Meldpunt Zorgwekkend Gedrag, omdat")
        assert await page.evaluate("document.querySelector('#log .msg').dataset.kept") == "yes"
        await page.screenshot(
            path=str(Path(os.environ.get("WAAKVLAM_SCREENSHOTS", "/tmp")) / "sandbox-filer.png")
        )

        await page.locator("#desks").get_by_role("button", name="ggd-mzg — Gerda").click()
        await expect(log).to_contain_text("Nieuw signaal")
        await expect(log).to_contain_text("niet in deze groepschat")
        # A tap's answer (answerCallbackQuery) shows on screen, as Telegram shows it.
        await tap("Info vragen")
        await expect(page.locator("#toast")).to_contain_text("privégesprek")
        await tap("Oppakken")
        await expect(log).to_contain_text("Status: in behandeling bij GGD Drenthe")
        await page.screenshot(
            path=str(Path(os.environ.get("WAAKVLAM_SCREENSHOTS", "/tmp")) / "sandbox-desk.png")
        )

        await page.get_by_role("button", name="Willem (welzijn)").click()
        await expect(log).to_contain_text("heeft uw signaal")  # the filer hears it was taken

        # The sandbox's clock shows what happens later: three weeks on, nothing happened to the signal
        # (ten working days, holidays or not), so Gerda is asked privately whether it still runs.
        now = page.locator("#now")
        await expect(now).not_to_contain_text("vooruitgezet")
        for _ in range(3):
            await page.get_by_role("button", name="+1 week").click()
        await expect(now).to_contain_text("(vooruitgezet)")
        await page.locator("#people").get_by_role("button", name="Gerda (GGD Meldpunt)").click()
        await expect(log).to_contain_text("Loopt dit nog? Signaal")
        await page.screenshot(
            path=str(Path(os.environ.get("WAAKVLAM_SCREENSHOTS", "/tmp")) / "sandbox-clock.png")
        )
        await tap("Loopt nog")
        await expect(log).to_contain_text("Genoteerd: signaal")
        await page.get_by_role("button", name="Terug naar nu").click()
        await expect(now).not_to_contain_text("vooruitgezet")

        # On a phone the people and the clock sit above the chat; nothing scrolls sideways.
        await page.set_viewport_size({"width": 390, "height": 844})
        await expect(log).to_contain_text("Genoteerd: signaal")
        assert await page.evaluate("document.documentElement.scrollWidth") <= 390
        await page.screenshot(
            path=str(Path(os.environ.get("WAAKVLAM_SCREENSHOTS", "/tmp")) / "sandbox-phone.png")
        )
        assert await serious(page) == []  # axe-core: nothing serious or critical on the chat page

        # Gerda reads the signal on the region's server: /signaal in the chat gives its code and an Openen
        # button; the page opens in the panel.
        await page.set_viewport_size({"width": 900, "height": 900})
        ref = await page.evaluate(
            "fetch('/control/chats/1003/messages').then(r => r.json())"
            ".then(ms => ms.find(m => m.text.includes('is verstuurd')).text.split(/\\s+/)[2])"
        )
        await say(f"/signaal {ref}")
        await tap("📄 Openen")
        reading = page.frame_locator("#panel-frame")
        await expect(reading.locator("main")).to_contain_text("Harde muziek elke avond om 22:00")
        await page.screenshot(path=str(SHOTS / "read-900.png"))
        await page.get_by_role("button", name="Sluiten").click()

        # The form and the reading page on their own, at a phone's width and a desk's, checked by axe-core (in
        # a context that lets the test inject it past the pages' CSP).
        await page.locator("#people").get_by_role("button", name="Willem (welzijn)").click()
        await say("/signaal")
        await tap("Nee")
        await tap("Overlast")
        await expect(log.get_by_role("button", name="✅ Overlast")).to_be_visible()
        await tap("Klaar")
        await expect(log.get_by_role("button", name="✏️ Invullen")).to_be_visible()
        apps = await page.evaluate(
            "fetch('/control/chats/1003/messages').then(r => r.json()).then(ms => ms.filter(m => "
            "Object.keys(m.apps).length).map(m => Object.values(m.apps)[0]))"
        )
        signed = await page.evaluate("fetch('/control/init_data/1003').then(r => r.json())")
        audited = await browser.new_context(bypass_csp=True)
        for width in (390, 1280):
            alone = await audited.new_page()
            await alone.set_viewport_size({"width": width, "height": 844})
            await alone.goto(f"{apps[-1]}#tgWebAppData={quote(signed['init_data'])}")
            await expect(alone.get_by_role("button", name="Versturen")).to_be_visible()
            await alone.screenshot(path=str(SHOTS / f"form-{width}.png"))
            assert await alone.evaluate("document.documentElement.scrollWidth") <= width
            assert await serious(alone) == [], width
        # The personal-data guard on the form: what it found (masked), Verwijderen or Toch bewaren with a reason.
        guard = await audited.new_page()
        await guard.set_viewport_size({"width": 390, "height": 844})
        await guard.goto(f"{apps[-1]}#tgWebAppData={quote(signed['init_data'])}")
        await guard.locator("#text").fill("Meneer, BSN 111222333")
        await guard.get_by_role("button", name="Versturen").click()
        await expect(guard.get_by_role("alert")).to_contain_text("een BSN (11…33)")
        await expect(guard.get_by_role("button", name="Toch bewaren")).to_be_visible()
        await guard.screenshot(path=str(SHOTS / "form-guard-390.png"))
        assert await serious(guard) == []
        read = await audited.new_page()
        await read.set_viewport_size({"width": 390, "height": 844})
        await read.goto(f"{sandbox.rstrip('/')}/lees/{ref}#tgWebAppData={quote(signed['init_data'])}")
        await expect(read.locator("main")).to_contain_text(ref)  # Willem, the filer, may read his own
        assert await serious(read) == []
        await browser.close()
