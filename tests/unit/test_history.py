"""A signal's history reads as plain words with who and when, in both languages, and never an event id."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.region import load_region
from bot.views.history import WHAT, history
from bot.views.i18n import Translator, load_catalogs
from storage.models import SignalEvent, User

REGION = load_region()
TR = Translator(load_catalogs())
GERDA = User(id=7, telegram_id=2001, display_name="Gerda", role="meldpunt", meldpunt_id="ggd-mzg")
CARLA = User(id=8, telegram_id=3001, display_name="Carla", role="coordinator")
AT = datetime(2026, 12, 3, 8, 12, tzinfo=UTC)  # 09:12 in Amsterdam


def event(kind: str, actor: int | None = None, note: str | None = None) -> SignalEvent:
    return SignalEvent(signal_id=1, at=AT, kind=kind, actor_id=actor, note=note)


EVENTS = [
    event("filed", 1),
    event("escalated_1", note="ggd-mzg"),
    event("picked_up", 7),
    event("handover_requested", 7, "zvhd"),
    event("handover_accepted", 8, "ggd-mzg"),
    event("closed", 8, "help"),
]


def test_each_event_says_who_did_what_and_when() -> None:
    lines = history(TR, "nl", REGION, EVENTS, {7: GERDA, 8: CARLA})
    ggd = REGION.meldpunten["ggd-mzg"].name
    assert lines == [
        "3 dec 2026 09:12 — de melder heeft het ingediend",
        f"3 dec 2026 09:12 — herinnering aan {ggd}: nog niet opgepakt",
        f"3 dec 2026 09:12 — Gerda ({ggd}) heeft het opgepakt",
        f"3 dec 2026 09:12 — Gerda ({ggd}) vroeg overdracht aan {REGION.meldpunten['zvhd'].name}",
        f"3 dec 2026 09:12 — Carla (coördinator) accepteerde de overdracht van {ggd}",
        "3 dec 2026 09:12 — Carla (coördinator) heeft het afgesloten: er is hulp gestart",
    ]


def test_english_has_no_dutch_and_no_event_ids() -> None:
    lines = history(TR, "en", REGION, EVENTS, {7: GERDA, 8: CARLA})
    text = "\n".join(lines)
    assert "Gerda" in text and "picked it up" in text and "closed it: help has started" in text
    assert not [kind for kind in WHAT if "_" in kind and kind in text]  # picked_up, handover_requested…
    assert "_" not in text
    assert "heeft" not in text and "coördinator" not in text


def test_a_person_no_longer_known_is_someone() -> None:
    (line,) = history(TR, "nl", REGION, [event("picked_up", 99)], {})
    assert line.endswith("— iemand heeft het opgepakt")


def test_the_filers_reason_for_keeping_personal_data_is_not_in_the_history() -> None:
    (line,) = history(
        TR, "nl", REGION, [event("pii_kept", 1, "description: de buurvrouw heeft de sleutel")], {}
    )
    assert "sleutel" not in line and line.endswith("persoonsgegevens bewust bewaard")
