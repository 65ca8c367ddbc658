"""A signal's history reads as plain words with who and when, in both languages, and never an event id."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.access import SignalScope, can_view, reads_notes
from bot.domain.region import load_region
from bot.views.history import DESK_NOTES, DESK_ONLY, WHAT, history
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
    lines = history(TR, "nl", REGION, EVENTS, {7: GERDA, 8: CARLA}, notes=True)
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
    lines = history(TR, "en", REGION, EVENTS, {7: GERDA, 8: CARLA}, notes=True)
    text = "\n".join(lines)
    assert "Gerda" in text and "picked it up" in text and "closed it: help has started" in text
    assert not [kind for kind in WHAT if "_" in kind and kind in text]  # picked_up, handover_requested…
    assert "_" not in text
    assert "heeft" not in text and "coördinator" not in text


def test_a_person_no_longer_known_is_someone() -> None:
    (line,) = history(TR, "nl", REGION, [event("picked_up", 99)], {}, notes=True)
    assert line.endswith("— iemand heeft het opgepakt")


def test_the_filers_reason_for_keeping_personal_data_is_not_in_the_history() -> None:
    (line,) = history(
        TR, "nl", REGION, [event("pii_kept", 1, "description: de buurvrouw heeft de sleutel")], {}, notes=True
    )
    assert "sleutel" not in line and line.endswith("persoonsgegevens bewust bewaard")


# Who reads what a person typed into a signal's history: (kind of event) → the readers of its words.
# The filer and a waakvlam holder see the steps and the outcome; the desks and the coordinators the notes.
MARK = "MARKER-typed-words"
FILER = User(
    id=1, telegram_id=1001, display_name="Willem", role="veldwerker", gemeenten=["assen"], active=True
)
HOLDER = User(
    id=2, telegram_id=1002, display_name="Hanna", role="veldwerker", gemeenten=["assen"], active=True
)
DESK_STAFF = User(
    id=7, telegram_id=2001, display_name="Gerda", role="meldpunt", meldpunt_id="ggd-mzg", active=True
)
COORD = User(
    id=8, telegram_id=3001, display_name="Carla", role="coordinator", gemeenten=["assen"], active=True
)
SCOPE = SignalScope(filer_id=1, gemeente="assen", desks=["ggd-mzg"], holder_id=2)
VIEWERS = {"filer": FILER, "holder": HOLDER, "desk": DESK_STAFF, "coordinator": COORD}
EVERYONE = frozenset(VIEWERS)
STAFF = frozenset({"desk", "coordinator"})
WORDS_READ_BY = {
    "info_requested": EVERYONE,  # the desk's question is put to the filer
    "info_answered": EVERYONE,  # the filer's own answer
    "handover_refused": STAFF,
    "handover_note": STAFF,
    "closed_how": STAFF,
    "closing_note": STAFF,
}

# Notes the system writes (an outcome code, a waakvlam's code): no person typed them.
SYSTEM_NOTES = {"closed": "help", "relapse": "W-ABC234", "triaged": "procesregie", "queued": "2"}


@pytest.mark.parametrize("viewer", sorted(VIEWERS))
@pytest.mark.parametrize("kind", sorted(WHAT))
def test_typed_words_in_the_history_reach_only_the_readers_the_access_table_names(
    kind: str, viewer: str
) -> None:
    person = VIEWERS[viewer]
    assert can_view(person, SCOPE)  # everyone here may open the signal; the question is what they read
    note = SYSTEM_NOTES.get(kind, "ggd-mzg" if kind in DESK_NOTES else f"{MARK} {kind}")
    lines = history(
        TR, "nl", REGION, [event(kind, 7, note)], {7: DESK_STAFF}, notes=reads_notes(person, SCOPE)
    )
    shown = MARK in "\n".join(lines)
    assert shown == (viewer in WORDS_READ_BY.get(kind, frozenset())), (kind, viewer, lines)
    if kind not in DESK_ONLY or viewer in STAFF:
        assert len(lines) == 1  # the step itself is always there; only the words are withheld


def test_the_filer_hears_that_a_hand_over_was_refused_but_not_why() -> None:
    (line,) = history(
        TR, "nl", REGION, [event("handover_refused", 7, "te druk")], {7: DESK_STAFF}, notes=False
    )
    assert line.endswith("weigerde de overdracht") and "te druk" not in line
