"""A coordinator asks /regiobeeld, follows the link in headless Chromium and sees their gemeente only: a
chart that is drawn, tables that equal the database, a CSV that equals its table, small counts hidden as ×; a
reused, altered or missing link gets 403."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import aiohttp
import pytest

from tests.browser.axe import serious
from tests.browser.test_sandbox_page import CHROMIUM, FLAGS
from tests.net import free_port
from tests.sandbox_process import sandbox_process

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"Chromium not installed at {CHROMIUM}"),
]
CARLA, WILLEM = 3001, 1003
SHOTS = Path(os.environ.get("WAAKVLAM_SCREENSHOTS", "/tmp"))


async def _link(base: str, user: int) -> str:
    async with aiohttp.ClientSession() as http:
        async with http.post(
            f"{base}control/send", json={"user_id": user, "chat_id": user, "text": "/regiobeeld"}
        ):
            pass
        for _ in range(100):
            async with http.get(f"{base}control/chats/{user}/messages") as resp:
                msgs = await resp.json()
            found = [m for m in msgs if m["from_bot"]]
            if found:
                return str(found[-1]["text"])
            await asyncio.sleep(0.1)
    raise AssertionError("no answer to /regiobeeld")


def _database(data: Path) -> dict[tuple[str, str], int]:
    """Signals per (month, category) in Assen, straight from the tallies."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    with sqlite3.connect(data / "waakvlam.db") as db:
        for month, category, n in db.execute(
            "select month, category, count from tallies where kind = 'signal' and gemeente = 'assen'"
        ):
            counts[month, category] += n
    return counts


# The chart's legend entries: each label's text and whether it lies within the chart's box.
LEGEND = """(() => {
  const box = document.querySelector('#chart-maanden').getBoundingClientRect();
  return [...document.querySelectorAll('#chart-maanden .role-legend-label text')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left >= box.left && r.right <= box.right];
  });
})()"""


def _month_name(month: str) -> str:
    """ "2026-03" as the page names it: "maart 2026"."""
    year, number = month.split("-")
    names = "januari februari maart april mei juni juli augustus september oktober november december"
    return f"{names.split()[int(number) - 1]} {year}"


async def test_a_coordinator_sees_her_gemeente_with_a_chart_tables_and_csv(tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.async_api", reason="playwright not installed")
    data = tmp_path / "data"
    with sandbox_process(data, free_port()) as running:
        base = running.url
        refused = await _link(base, WILLEM)  # a field worker gets no link
        assert "voor coördinatoren" in refused and "http" not in refused
        message = await _link(base, CARLA)
        match = re.search(r"(http\S+/regiobeeld/login\?t=\S+)", message)
        assert match is not None, message
        link = match.group(1)
        async with playwright_api.async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = await browser.new_page(viewport={"width": 1200, "height": 900})
            errors: list[str] = []  # a CSP violation (or any script error) shows up here
            page.on(
                "console",
                lambda m: (
                    errors.append(m.text) if m.type == "error" and "Failed to load" not in m.text else None
                ),
            )
            page.on(  # a missing file of ours (the browser's own favicon.ico aside)
                "response",
                lambda r: errors.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
            )
            page.on("pageerror", lambda e: errors.append(str(e)))
            await page.goto(link)
            assert page.url.endswith("/regiobeeld")
            await page.wait_for_selector("#chart-maanden svg .mark-rect path")
            assert await page.locator("#chart-maanden svg .mark-rect path").count() > 12  # bars drawn
            # Escalations and plan lines per month have charts of their own, beside their tables.
            for chart in ("#chart-opschaling", "#chart-planregels"):
                await page.wait_for_selector(f"{chart} svg .mark-rect path", state="attached")
                drawn = f"[...document.querySelectorAll('{chart} svg .mark-rect path')]"
                assert await page.evaluate(f"{drawn}.some(p => p.getBBox().height > 0)"), chart
            text = await page.locator("body").inner_text()
            assert "Assen" in text and "Emmen" not in text and "Meppel" not in text
            assert await page.locator("#table-gemeenten tbody th").all_inner_texts() == ["Assen"]
            assert await page.locator("#table-waakvlam tbody tr").count() == 12  # a year of check-ins

            head = await page.locator("#table-maanden thead th").all_inner_texts()
            rows = [
                await row.locator("th, td").all_inner_texts()
                for row in await page.locator("#table-maanden tbody tr").all()
            ]
            db = _database(data)
            labels = {
                "Verward of zorgwekkend gedrag": "confused",
                "Overlast": "nuisance",
                "Eenzaamheid": "loneliness",
                "Zelfverwaarlozing of vervuiling": "self_neglect",
                "Schulden of betalingsachterstand": "debts",
            }
            months = {_month_name(m): m for m, _ in db}
            for row in rows:
                month = months.get(row[0], "")
                for label, shown in zip(head[1:-1], row[1:-1], strict=True):
                    n = db.get((month, labels[label]), 0)
                    # A small count is hidden (×); any other is its number, or hidden beside a small one.
                    assert shown == "×" if 0 < n < 5 else shown in ("×", str(n)), (month, label)
            assert any("×" in row for row in rows)  # small counts are protected on the page

            async with page.expect_download() as download:
                await page.locator("a[href^='/regiobeeld/maanden.csv']").click()
            saved = await (await download.value).path()
            content = await asyncio.to_thread(Path(saved).read_text, encoding="utf-8")
            assert content.startswith("\ufeff")  # Dutch Excel then reads UTF-8, and splits on ";"
            parsed = list(csv.reader(io.StringIO(content.removeprefix("\ufeff")), delimiter=";"))
            assert parsed == [head, *rows]  # the CSV is exactly the table, × included
            assert errors == []  # the chart drew under the page's CSP, without eval

            await page.screenshot(path=str(SHOTS / "regiobeeld.png"), full_page=True)
            wide = await page.evaluate(
                "[...document.querySelectorAll('.scroll')]"
                ".filter(d => d.scrollWidth > d.clientWidth).map(d => d.firstElementChild.id)"
            )
            assert wide == []  # on a desktop every table fits its section: no sideways scrolling
            # A table that scrolls on a phone can be reached and scrolled with the keyboard, and is named.
            regions = await page.evaluate(
                "[...document.querySelectorAll('.scroll')].map(d => [d.tabIndex, d.getAttribute('aria-label')])"
            )
            assert regions and all(index == 0 and label for index, label in regions), regions
            desks = await page.locator("#table-meldpunten tbody tr").count()
            assert await page.locator("#table-uitkomsten tbody tr").count() == desks  # each desk's outcomes
            await page.set_viewport_size({"width": 390, "height": 844})
            await page.reload()  # the session holds
            await page.wait_for_selector("#chart-maanden svg .mark-rect path")
            legend = await page.evaluate(LEGEND)
            assert sorted(label for label, _ in legend) == sorted(head[1:-1])  # every category, in full
            assert all(inside for _, inside in legend), legend  # none cut off at the phone's edge
            await page.screenshot(path=str(SHOTS / "regiobeeld-phone.png"), full_page=True)
            width = await page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390  # no sideways scrolling of the page on a phone (tables scroll inside)

            # axe-core on the page and on the refusal: nothing serious (a context that lets the test inject it).
            checked = await browser.new_context(bypass_csp=True, viewport={"width": 1200, "height": 900})
            await checked.add_cookies(await page.context.cookies())
            audited = await checked.new_page()
            await audited.goto(base + "regiobeeld")
            await audited.wait_for_selector("#chart-maanden svg .mark-rect path")
            assert await serious(audited) == []
            refused = await (await browser.new_context(bypass_csp=True)).new_page()
            await refused.goto(base + "regiobeeld")
            assert await serious(refused) == []

            fresh = await browser.new_page()
            for wrong in (link, link[:-3] + "abc", base + "regiobeeld"):  # reused, altered, no session
                response = await fresh.goto(wrong)
                assert response is not None and response.status == 403, wrong
                assert "Geen toegang" in await fresh.locator("body").inner_text()
            await browser.close()
    assert running.returncode == 0, running.output
    assert "Traceback" not in running.output, running.output
