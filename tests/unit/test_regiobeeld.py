"""The regiobeeld's rules, without a database: small numbers, shares, lights, who sees what, the filters
from a URL, and the session cookie."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.domain.organisations import guess
from bot.domain.region import load_region
from bot.regiobeeld.access import Sessions
from bot.regiobeeld.figures import (
    DeskFigures,
    Figures,
    Filters,
    cell,
    light,
    months_back,
    scope_of,
    share,
)
from bot.regiobeeld.tables import alerts_table, desks_table, filers_table, outcomes_table
from bot.views.i18n import Translator, load_catalogs
from storage.models import User

REGION = load_region()
NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


@pytest.mark.parametrize(("n", "shown"), [(0, "0"), (1, "<5"), (4, "<5"), (5, "5"), (137, "137")])
def test_counts_from_one_to_four_are_shown_as_less_than_five(n: int, shown: str) -> None:
    assert cell(n) == shown


def test_no_percentage_on_fewer_than_ten() -> None:
    assert (share(9, 9), share(10, 10), share(1, 3), share(0, 10)) == ("–", "100%", "–", "0%")


def test_no_percentage_whose_part_or_rest_is_a_small_count() -> None:
    """With the base shown beside it, 5% of 20 or 90% of 10 would give a count of 1 away."""
    assert (share(1, 20), share(4, 100), share(9, 10), share(96, 100)) == ("–", "–", "–", "–")
    assert (share(5, 20), share(15, 20)) == ("25%", "75%")


@pytest.mark.parametrize(
    ("part", "whole", "colour"),
    [(9, 10, "green"), (8, 10, "orange"), (7, 10, "orange"), (6, 10, "red"), (3, 3, "grey")],
)
def test_the_traffic_light_follows_the_share_within_the_sla(part: int, whole: int, colour: str) -> None:
    assert light(part, whole, 0.9, 0.7) == colour


def _user(role: str, gemeenten: list[str], desk: str | None = None, active: bool = True) -> User:
    return User(id=1, role=role, gemeenten=gemeenten, meldpunt_id=desk, active=active)


def test_each_role_sees_its_own_part_of_the_region() -> None:
    carla = scope_of(REGION, _user("coordinator", ["assen"]))
    assert carla is not None and carla.gemeenten == ("assen",)
    assert (
        "wijkteam-assen" in carla.desks and "wijkteam-emmen" not in carla.desks and "ggd-mzg" in carla.desks
    )
    sanne = scope_of(REGION, _user("meldpunt", ["assen"], "wijkteam-assen"))
    assert sanne is not None and (sanne.gemeenten, sanne.desks) == (("assen",), ("wijkteam-assen",))
    gerda = scope_of(REGION, _user("meldpunt", ["assen"], "ggd-mzg"))
    assert gerda is not None and gerda.desks == ("ggd-mzg",) and len(gerda.gemeenten) == len(REGION.gemeenten)
    admin = scope_of(REGION, _user("admin", []))
    assert admin is not None and set(admin.desks) == set(REGION.meldpunten)
    for nobody in (_user("veldwerker", ["assen"]), _user("coordinator", ["assen"], active=False)):
        assert scope_of(REGION, nobody) is None


def test_filters_outside_what_one_may_see_are_left_out() -> None:
    scope = scope_of(REGION, _user("coordinator", ["assen"]))
    assert scope is not None
    f = Filters.read({"maanden": "6", "gemeente": "emmen", "categorie": "debts"}, scope)
    assert (f.months, f.gemeente, f.category) == (6, "", "debts")
    assert Filters.read({"maanden": "999", "gemeente": "assen"}, scope) == Filters(12, "assen", "")


def test_months_back_crosses_the_year() -> None:
    assert months_back(date(2026, 2, 10), 3) == ["2025-12", "2026-01", "2026-02"]


def test_a_session_cookie_is_refused_when_altered_expired_or_signed_with_another_key() -> None:
    sessions = Sessions(b"k" * 32)
    cookie = sessions.make(7, NOW)
    assert sessions.read(cookie, NOW + timedelta(hours=7)) == 7
    assert sessions.read(cookie, NOW + timedelta(hours=8, seconds=1)) is None
    user, end, sig = cookie.split(".")
    assert sessions.read(f"8.{end}.{sig}", NOW) is None  # another user
    assert sessions.read(f"{user}.{int(end) + 3600}.{sig}", NOW) is None  # a longer session
    assert Sessions(b"x" * 32).read(cookie, NOW) is None
    for junk in ("", "7", "a.b.c", "7.1.", "ü.1.x", "7." * 60):
        assert sessions.read(junk, NOW) is None


def test_pick_up_times_are_kept_as_buckets_and_read_back_as_percentiles() -> None:
    from bot.domain.pickup import BOUNDS, bucket, percentile

    assert [bucket(h) for h in (0, 1, 1.5, 8.5, 9, 200)] == [0, 0, 1, 3, 4, len(BOUNDS)]
    histogram = [0] * (len(BOUNDS) + 1)
    for hours in [0.5] * 6 + [3] * 3 + [50]:  # ten pick-ups
        histogram[bucket(hours)] += 1
    assert (percentile(histogram, 0.5), percentile(histogram, 0.9), percentile(histogram, 1.0)) == (
        1.0,
        4.0,
        85.0,
    )
    assert percentile([0] * 9, 0.5) is None
    assert percentile([0] * 8 + [1], 0.5) == float("inf")


@pytest.mark.parametrize(
    ("org", "role", "kind"),
    [
        ("Politie Drenthe", "veldwerker", "politie"),
        ("Woonservice Drenthe", "veldwerker", "woningcorporatie"),
        ("Welzijnswerk Assen", "veldwerker", "welzijn"),
        ("Huisartsenpraktijk De Es", "veldwerker", "huisarts"),
        ("VNN verslavingszorg", "veldwerker", "ggz"),
        ("Gemeente Assen", "coordinator", "gemeente"),
        ("GGD Drenthe", "meldpunt", "meldpunt"),  # desk staff count as their desk
        ("Actium", "veldwerker", "anders"),  # a name without a clue: set --kind on the invite
    ],
)
def test_the_kind_of_organisation_is_guessed_from_its_name(org: str, role: str, kind: str) -> None:
    assert guess(org, role) == kind


def test_who_files_hides_small_counts_and_their_shares() -> None:
    f = Figures(
        [],
        (),
        {},
        {},
        {},
        {},
        [],
        filed_by={"politie": 12, "welzijn": 3, "huisarts": 0, "ggz": 5},
        filed_total=20,
    )
    table = filers_table(Translator(load_catalogs()), "en", f)
    assert table.head == ["Kind of organisation", "Signals", "Share"]
    assert table.rows == [
        ["Police", "12", "60%"],
        ["Welfare and neighbourhood team", "<5", "–"],  # 15% of 20 would give the 3 away
        ["Mental health and addiction care", "5", "25%"],
        ["Total", "20", ""],
    ]


def test_acute_relapse_and_more_than_one_gemeente_per_month_hide_small_counts() -> None:
    f = Figures(
        ["2026-11", "2026-12"],
        ("assen",),
        {},
        {},
        {"2026-11": 6},
        {"2026-12": 2},
        [],
        elsewhere={"2026-12": 7},
    )
    table = alerts_table(Translator(load_catalogs()), "en", f)
    assert table.head == ["Month", "Acute (call 112)", "Relapse from a waakvlam", "Also another gemeente"]
    assert table.rows == [["November 2026", "6", "0", "0"], ["December 2026", "0", "<5", "7"]]
    dutch = alerts_table(Translator(load_catalogs()), "nl", f)
    assert [row[0] for row in dutch.rows] == ["november 2026", "december 2026"]


def test_a_desk_has_its_light_and_pick_up_in_one_table_and_its_outcomes_in_another() -> None:
    desk = DeskFigures(
        "ggd-mzg",
        "GGD",
        open_now=3,
        picked=12,
        in_sla=11,
        outcomes={"help": 7, "known": 2, "referred": 5},
        raw_picked=12,
        raw_in_sla=11,
    )
    f = Figures([], ("assen",), {}, {}, {}, {}, [desk])
    tr = Translator(load_catalogs())
    desks, outcomes = desks_table(tr, "en", REGION, f), outcomes_table(tr, "en", f)
    assert desks.name == "meldpunten" and outcomes.name == "uitkomsten"  # two CSV downloads
    assert len(desks.head) == len(desks.rows[0]) == 9
    assert desks.rows[0][:7] == [
        "GGD",
        "green",
        "<5",
        "0",
        "0",
        "12",
        "–",
    ]  # 11 of 12: the one late would show
    assert outcomes.head[0] == "Desk" and len(outcomes.head) == 7
    assert outcomes.rows == [["GGD", "7", "<5", "5", "0", "0", "0"]]  # small counts protected here too
