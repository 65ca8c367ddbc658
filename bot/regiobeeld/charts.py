"""The regiobeeld's charts (Vega-Lite, drawn by the page from specs it carries as JSON): signals per month
by category with the trend of their total, escalations per month (raised, solved, sent back) and plan lines
per month (on time, late, not done). A hidden count is left out of a chart as it is shown as × in the table,
so a chart never draws what a table hides."""

from __future__ import annotations

from typing import Any

from bot.regiobeeld.disclosure import HIDDEN
from bot.regiobeeld.figures import Figures
from bot.regiobeeld.ladder_tables import CODES, LATE, NOT_DONE, ON_TIME, PLAN_CODES, RAISED, RETURNED, SOLVED
from bot.regiobeeld.tables import chart_values
from bot.views.i18n import Translator
from flows.text import Msg

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def charts(tr: Translator, loc: str, f: Figures) -> dict[str, dict[str, Any]]:
    """Each chart's spec by the name of the table it draws."""
    months = [tr.month(loc, m) for m in f.months]
    return {
        "maanden": months_chart(chart_values(tr, loc, f), months),
        "opschaling": _kinds(tr, loc, f, CODES, (RAISED, SOLVED, RETURNED)),
        "planregels": _kinds(tr, loc, f, PLAN_CODES, (ON_TIME, LATE, NOT_DONE)),
    }


def _kinds(
    tr: Translator, loc: str, f: Figures, codes: tuple[str, ...], labels: tuple[str, ...]
) -> dict[str, Any]:
    """A side-by-side chart of these kinds per month, in the table's order and colours whatever is hidden."""
    kinds = [tr.render(loc, Msg(label)) for label in labels]
    return side_by_side(_per_month(tr, loc, f, codes, labels), [tr.month(loc, m) for m in f.months], kinds)


def _per_month(
    tr: Translator, loc: str, f: Figures, codes: tuple[str, ...], labels: tuple[str, ...]
) -> list[dict[str, Any]]:
    """One value per month and kind from the ladder's counts, the hidden ones left out."""
    return [
        {"maand": tr.month(loc, m), "soort": tr.render(loc, Msg(label)), "aantal": n}
        for m in f.months
        for code, label in zip(codes, labels, strict=True)
        if (n := f.ladder.get(m, {}).get(code, 0)) != HIDDEN
    ]


def side_by_side(values: list[dict[str, Any]], months: list[str], kinds: list[str]) -> dict[str, Any]:
    """Bars per month, one beside the other for each kind (they do not add up: a solved escalation was
    raised too); every month on the axis and every kind in the legend, in their order, even where all of
    a month's counts are hidden."""
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "width": "container",
        "height": 200,
        "mark": "bar",
        "encoding": {
            "x": {"field": "maand", "type": "ordinal", "title": None, "scale": {"domain": months}},
            "xOffset": {"field": "soort", "scale": {"domain": kinds}},
            "y": {"field": "aantal", "type": "quantitative", "title": None},
            "color": {
                "field": "soort",
                "type": "nominal",
                "title": None,
                "scale": {"domain": kinds},
                "legend": LEGEND,
            },
            "tooltip": [{"field": "maand"}, {"field": "soort"}, {"field": "aantal"}],
        },
        "config": {"view": {"stroke": None}},
    }


# One entry a line: a row of them is cut off on a phone (a category's name is long).
LEGEND = {"orient": "bottom", "direction": "vertical", "columns": 1, "labelLimit": 320}


def months_chart(values: list[dict[str, object]], months: list[str]) -> dict[str, object]:
    """Vega-Lite: the months as stacked bars per category, and the trend of their total as a line. The
    months are named ("maart 2026"), so their order is given, not sorted by name."""
    x = {"field": "maand", "type": "ordinal", "title": None, "sort": months}
    return {
        "$schema": SCHEMA,
        "data": {"values": values},
        "width": "container",
        "height": 220,
        "layer": [
            {
                "mark": "bar",
                "encoding": {
                    "x": x,
                    "y": {"aggregate": "sum", "field": "aantal", "type": "quantitative", "title": None},
                    "color": {
                        "field": "categorie",
                        "type": "nominal",
                        "title": None,
                        "legend": LEGEND,
                    },
                    "tooltip": [{"field": "maand"}, {"field": "categorie"}, {"field": "aantal"}],
                },
            },
            {
                "transform": [
                    {"aggregate": [{"op": "sum", "field": "aantal", "as": "totaal"}], "groupby": ["maand"]},
                    {"window": [{"op": "row_number", "as": "i"}]},
                    {"regression": "totaal", "on": "i"},
                ],
                "mark": {"type": "line", "color": "#333", "strokeDash": [4, 3]},
                "encoding": {
                    "x": {"field": "i", "type": "quantitative", "axis": None},
                    "y": {"field": "totaal", "type": "quantitative"},
                },
            },
        ],
        "resolve": {"scale": {"x": "independent"}},
        "config": {"view": {"stroke": None}},
    }
