"""Routing by the Drenthe region file: the scenarios of the domain reference, and broken region files."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.domain.region import DEFAULT_REGION, RegionError, load_region
from bot.domain.routing import Facts, route
from bot.views.i18n import Translator, load_catalogs
from bot.views.summaries import because

TR = Translator(load_catalogs())
REGION = load_region()


@pytest.mark.parametrize(
    ("scenario", "categories", "care", "desks", "reason_words"),
    [
        # 1: tenant in treatment, noise complaints, eviction case being prepared → wijkteam + vroegsignalering
        (
            "1",
            {"nuisance", "eviction"},
            "yes",
            ["schuldhulp-assen", "wijkteam-assen"],
            ["huisuitzetting", "overlast"],
        ),
        # 3: loud music nightly, rubbish piling up, angry when asked → GGD Meldpunt Zorgwekkend Gedrag
        ("3", {"nuisance", "self_neglect"}, "no", ["ggd-mzg"], ["zelfverwaarlozing"]),
        # 4: threats towards an ex-partner who is being followed → Zorg- en Veiligheidshuis and Veilig Thuis
        (
            "4",
            {"stalking", "domestic_violence"},
            "unknown",
            ["zvhd", "veilig-thuis"],
            ["stalking", "huiselijk geweld"],
        ),
        # 5: three months of rent arrears, door stays shut, mail piles up → schuldhulp, noting care avoidance
        ("5", {"debts", "care_avoidance"}, "no", ["schuldhulp-assen"], ["schulden", "zorgmijding"]),
        # loneliness only → the wijkteam
        ("light", {"loneliness"}, "no", ["wijkteam-assen"], ["eenzaamheid"]),
        # care avoidance alone → GGD
        ("avoid", {"care_avoidance"}, "no", ["ggd-mzg"], ["zorgmijding"]),
        # nothing specific → the safety net: the wijkteam
        ("other", {"other"}, "no", ["wijkteam-assen"], ["geen specifiek meldpunt"]),
    ],
)
def test_scenarios_route_to_the_desks_a_professional_expects(
    scenario: str, categories: set[str], care: str, desks: list[str], reason_words: list[str]
) -> None:
    decision = route(REGION, Facts("assen", frozenset(categories), care))
    assert [d.meldpunt.id for d in decision.desks] == desks
    # As the filer reads them, with what they chose named ("{chosen}" in a rule's reason).
    reasons = " ".join(
        because(TR, "nl", d, sorted(categories), "{chosen}", "{clause}") for d in decision.desks
    )
    for word in reason_words:
        assert word in reasons, f"scenario {scenario}: {word!r} missing from {reasons!r}"
    assert decision.joint_triage is (len(desks) > 1)


def test_municipal_desks_follow_the_signals_gemeente() -> None:
    decision = route(REGION, Facts("de-wolden", frozenset({"debts"})))
    assert [d.meldpunt.name for d in decision.desks] == ["Vroegsignalering schulden De Wolden"]


def test_reasons_come_in_english_too() -> None:
    decision = route(REGION, Facts("assen", frozenset({"domestic_violence"})))
    assert [r.words("en") for r in decision.desks[0].reasons] == ["domestic violence or child abuse"]


def test_scenario_5_sends_one_desk_both_reasons() -> None:
    decision = route(REGION, Facts("assen", frozenset({"debts", "care_avoidance"})))
    assert [r.id for r in decision.desks[0].rules] == ["schulden", "schulden-en-zorgmijding"]


def test_every_gemeente_of_drenthe_has_its_own_desks() -> None:
    assert len(REGION.gemeenten) == 12
    for gid in REGION.gemeenten:
        for kind in ("wijkteam", "schuldhulp", "procesregie"):
            assert REGION.meldpunten[f"{kind}-{gid}"].gemeente == gid


def test_unknown_gemeente_is_an_error_not_a_guess() -> None:
    with pytest.raises(ValueError, match="unknown gemeente"):
        route(REGION, Facts("amsterdam", frozenset({"other"})))


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    text = DEFAULT_REGION.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "region.toml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


def test_unknown_meldpunt_in_a_route_names_file_and_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'route = ["veilig-thuis"]', 'route = ["veilig-thuiss"]')
    with pytest.raises(RegionError) as err:
        load_region(path)
    assert str(err.value).startswith(f"{path}:{_line(path, 'veilig-thuiss')}: rule[1].route:")
    assert "'veilig-thuiss'" in str(err.value)


def test_unknown_category_names_file_and_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'when.categories_any = ["stalking"]', 'when.categories_any = ["stalkng"]')
    with pytest.raises(RegionError) as err:
        load_region(path)
    assert f"{path}:{_line(path, 'stalkng')}:" in str(err.value) and "stalkng" in str(err.value)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "sla_hours = 8.5", "sla_hours = = 8.5")
    with pytest.raises(RegionError, match=r"line \d+"):
        load_region(path)


def test_missing_field_names_the_table(tmp_path: Path) -> None:
    path = _broken(tmp_path, "chat_id = -1001002\n", "")
    with pytest.raises(RegionError) as err:
        load_region(path)
    assert "meldpunt[1].chat_id" in str(err.value) and "Field required" in str(err.value)
    assert f"{path}:{_line(path, 'Veilig Thuis Drenthe') - 2}:" in str(err.value)


def test_duplicate_meldpunt_id_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'id = "veilig-thuis"', 'id = "ggd-mzg"')
    with pytest.raises(RegionError, match="duplicate meldpunt id 'ggd-mzg'"):
        load_region(path)


def test_unknown_field_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "sla_hours = 8.5", "sla_hours = 8.5\nsla_hour = 2")
    with pytest.raises(RegionError, match="sla_hour"):
        load_region(path)


def test_missing_file_is_a_region_error(tmp_path: Path) -> None:
    with pytest.raises(RegionError, match="cannot read"):
        load_region(tmp_path / "nope.toml")
