"""Desk summaries: a group chat gets no free text; a desk marked private gets all that was collected."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.domain.region import load_region
from bot.domain.routing import Facts, route
from bot.views.i18n import Translator, load_catalogs
from bot.views.summaries import desk_summary, filer_receipt
from storage.models import Signal, User

REGION = load_region()
TR = Translator(load_catalogs())
FILER = User(
    id=1, telegram_id=1001, display_name="W", role="veldwerker", org="Politie Drenthe", gemeenten=["assen"]
)
SIGNAL = Signal(
    ref="S-ABCDEF",
    gemeente="assen",
    categories=["confused"],
    resident_ref="R-1",
    area="9401",
    description="Vrije tekst.",
    care_involved="yes",
    care_orgs="GGZ Drenthe",
    resident_knows="no",
    status="nieuw",
    created_at=datetime(2026, 11, 23, 8, 5, tzinfo=UTC),
)
DECISION = route(REGION, Facts("assen", frozenset({"confused"})))


def test_a_group_desk_sees_only_words_the_system_made() -> None:
    text = desk_summary(TR, REGION, REGION.meldpunten["ggd-mzg"], SIGNAL, FILER, DECISION)
    # Nothing a person typed: not the description, organisations, reference, area or filer's organisation.
    for typed in ("Vrije tekst.", "GGZ Drenthe", "R-1", "9401", "Politie Drenthe"):
        assert typed not in text
    assert "📄 Lezen stuurt u het signaal privé (S-ABCDEF)" in text
    assert "Ingediend: 23 nov 2026 09:05" in text  # Amsterdam time
    assert "Melder: een veldwerker" in text


def test_the_header_says_new_only_while_it_is() -> None:
    taken = Signal(
        **{c.name: getattr(SIGNAL, c.name) for c in Signal.__table__.columns} | {"status": "in_behandeling"}
    )
    text = desk_summary(TR, REGION, REGION.meldpunten["ggd-mzg"], taken, FILER, DECISION)
    assert text.startswith("Signaal S-ABCDEF · Assen")
    assert desk_summary(TR, REGION, REGION.meldpunten["ggd-mzg"], SIGNAL, FILER, DECISION).startswith(
        "Nieuw signaal"
    )


def test_a_desk_in_a_private_chat_sees_no_typed_text_either() -> None:
    """Telegram carries the workflow, not the resident (issue 37): a desk reached in a private chat reads the
    text on the region's server too; it sees the filer's organisation, which nobody typed about a resident."""
    private = REGION.meldpunten["ggd-mzg"].model_copy(update={"private": True})
    text = desk_summary(TR, REGION, private, SIGNAL, FILER, DECISION)
    for typed in ("Vrije tekst.", "GGZ Drenthe", "R-1", "9401"):
        assert typed not in text
    assert "Melder: Politie Drenthe (veldwerker)" in text


def test_an_english_desk_gets_english() -> None:
    english = REGION.meldpunten["ggd-mzg"].model_copy(update={"locale": "en"})
    text = desk_summary(TR, REGION, english, SIGNAL, FILER, DECISION)
    assert (
        text.startswith("New signal S-ABCDEF · Assen")
        and "Why you: reported as confused or worrying behaviour without acute danger" in text
        and "you chose" not in text
    )
    assert "Filed by: a field worker" in text


def test_the_filer_hears_where_and_why() -> None:
    text = filer_receipt(TR, "nl", REGION, SIGNAL, DECISION)
    assert text.splitlines()[:2] == [
        "Uw signaal S-ABCDEF is verstuurd.",
        "→ GGD Drenthe — Meldpunt Zorgwekkend Gedrag, omdat u verward of zorgwekkend gedrag zonder acuut gevaar koos.",
    ]


def test_two_reasons_for_one_desk_read_as_one_dutch_sentence_for_each_audience() -> None:
    decision = route(REGION, Facts("assen", frozenset({"debts", "care_avoidance"})))
    signal = Signal(
        ref="S-ABCDEF",
        gemeente="assen",
        categories=["debts", "care_avoidance"],
        resident_ref="R-1",
        status="nieuw",
        created_at=SIGNAL.created_at,
    )
    receipt = filer_receipt(TR, "nl", REGION, signal, decision)
    assert (
        "omdat u schulden of een betalingsachterstand koos en er bij de betalingsachterstand mogelijk ook "
        "zorgmijding speelt." in receipt
    )
    desk = desk_summary(TR, REGION, REGION.meldpunten["schuldhulp-assen"], signal, FILER, decision)
    assert (
        "Waarom bij u: gemeld als schulden of een betalingsachterstand en omdat er bij de "
        "betalingsachterstand mogelijk ook zorgmijding speelt" in desk
    )
    assert "koos" not in desk
    english = filer_receipt(TR, "en", REGION, signal, decision)
    assert "because you chose debts or payment arrears and there may be care avoidance" in english


def test_the_safety_net_reads_as_a_clause() -> None:
    decision = route(REGION, Facts("assen", frozenset({"other"})))
    assert "omdat geen specifiek meldpunt past." in filer_receipt(TR, "nl", REGION, SIGNAL, decision)


@pytest.mark.parametrize(
    ("chosen", "reason"),
    [
        (["nuisance"], "omdat u overlast zonder zorgwekkend gedrag koos"),
        (["loneliness"], "omdat u eenzaamheid zonder zorgwekkend gedrag koos"),
        (["nuisance", "loneliness"], "omdat u overlast en eenzaamheid zonder zorgwekkend gedrag koos"),
    ],
)
def test_the_reason_names_what_the_filer_chose_not_every_category_of_the_rule(
    chosen: list[str], reason: str
) -> None:
    decision = route(REGION, Facts("assen", frozenset(chosen)))
    signal = Signal(
        ref="S-ABCDEF",
        gemeente="assen",
        categories=chosen,
        resident_ref="R-1",
        status="nieuw",
        created_at=SIGNAL.created_at,
    )
    assert f"→ Sociaal wijkteam Assen, {reason}." in filer_receipt(TR, "nl", REGION, signal, decision)
