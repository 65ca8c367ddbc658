"""The regiobeeld's tables, in the reader's language, with small numbers protected: what the page shows
beside each chart, what each CSV download holds (exactly), and the data each chart draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.domain.lifecycle import OUTCOMES
from bot.domain.organisations import KINDS as ORGANISATION_KINDS
from bot.domain.pickup import BOUNDS, percentile
from bot.domain.region import Region
from bot.regiobeeld.disclosure import HIDDEN
from bot.regiobeeld.figures import MIN_BASE, Figures, cell, light, share
from bot.views.i18n import Translator
from bot.views.summaries import CATEGORY_LABELS
from flows.closing import OUTCOMES as CHOICES
from flows.text import N_, Msg

MONTH, CATEGORY, GEMEENTE, TOTAL = N_("Maand"), N_("Categorie"), N_("Gemeente"), N_("Totaal")
DESK_HEADER, OPEN_NOW, OVERDUE_NOW, WAITING = (
    N_("Meldpunt"),
    N_("Open nu"),
    N_("Over de termijn"),
    N_("Overdracht wacht"),
)
PICKED, IN_SLA, LIGHT = N_("Opgepakt"), N_("Binnen de termijn"), N_("Verkeerslicht")
MEDIAN, P90 = N_("Tijd tot oppakken, mediaan"), N_("Tijd tot oppakken, 90%")
AT_MOST, MORE_THAN = N_("≤ {hours} werkuur"), N_("> {hours} werkuur")
ACUTE, RELAPSE = N_("Acuut (bel 112)"), N_("Terugval uit waakvlam")
ELSEWHERE = N_("Ook andere gemeente")
OUTCOME_LABELS = {o.value: o.label for o in CHOICES}  # short: "Hulp gestart"
SENT, ANSWERED, SHARE_ANSWERED = N_("Check-ins"), N_("Beantwoord"), N_("Aandeel beantwoord")
AGREED, EARLY = N_("Beëindigd zoals afgesproken"), N_("Eerder beëindigd")
KIND, SIGNALS, SHARE = N_("Soort organisatie"), N_("Signalen"), N_("Aandeel")
LIGHTS = {"green": N_("groen"), "orange": N_("oranje"), "red": N_("rood"), "grey": N_("te weinig")}


@dataclass(frozen=True)
class Table:
    name: str  # its id in the page and the CSV's file name
    head: list[str]
    rows: list[list[str]]


def _t(tr: Translator, loc: str, msgid: str) -> str:
    return tr.render(loc, Msg(msgid))


def categories(f: Figures) -> list[str]:
    """The categories with any count in the period, in a stable order."""
    return sorted({c for _, c in f.by_month} | {c for _, c in f.by_gemeente})


def months_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Signals per month and category, with small counts protected."""
    cats = categories(f)
    head = [_t(tr, loc, MONTH), *(_t(tr, loc, CATEGORY_LABELS.get(c, c)) for c in cats), _t(tr, loc, TOTAL)]
    rows = []
    for m in f.months:
        counts = [f.by_month.get((m, c), 0) for c in cats]
        rows.append([tr.month(loc, m), *(cell(n) for n in counts), cell(f.month_total[m])])
    return Table("maanden", head, rows)


def gemeenten_table(tr: Translator, loc: str, region: Region, f: Figures) -> Table:
    """Signals per gemeente and category, with small counts protected."""
    cats = categories(f)
    head = [
        _t(tr, loc, GEMEENTE),
        *(_t(tr, loc, CATEGORY_LABELS.get(c, c)) for c in cats),
        _t(tr, loc, TOTAL),
    ]
    rows = []
    for g in f.gemeenten:
        counts = [f.by_gemeente.get((g, c), 0) for c in cats]
        rows.append([region.gemeente_name(g), *(cell(n) for n in counts), cell(f.gemeente_total[g])])
    return Table("gemeenten", head, rows)


def alerts_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Per month: acute situations, relapses, and signals that also play elsewhere."""
    head = [_t(tr, loc, x) for x in (MONTH, ACUTE, RELAPSE, ELSEWHERE)]
    rows = [
        [
            tr.month(loc, m),
            cell(f.acute.get(m, 0)),
            cell(f.relapse.get(m, 0)),
            cell(f.elsewhere.get(m, 0)),
        ]
        for m in f.months
    ]
    return Table("acuut-en-terugval", head, rows)


def filers_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Who files: signals over the period by kind of organisation (never a person or an organisation's
    name), in the order of ORGANISATION_KINDS; a kind without signals is left out. A hidden count has no
    share beside it either: with the total shown, the share would give the count away."""
    head = [_t(tr, loc, KIND), _t(tr, loc, SIGNALS), _t(tr, loc, SHARE)]
    total = f.filed_total
    rows = [
        [_t(tr, loc, label), cell(n), share(n, total)]
        for kind, label in ORGANISATION_KINDS.items()
        if (n := f.filed_by.get(kind, 0))
    ]
    rows.append([_t(tr, loc, TOTAL), cell(total), ""])
    return Table("wie-meldt", head, rows)


def waakvlam_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Per month: check-ins sent and answered, agreements ended as agreed or early, relapses."""
    head = [_t(tr, loc, x) for x in (MONTH, SENT, ANSWERED, SHARE_ANSWERED, AGREED, EARLY, RELAPSE)]
    rows = []
    for m in f.months:
        w = f.waakvlam.get(m, {})
        sent, answered = w.get("checkin_sent", 0), w.get("checkin_answered", 0)
        rows.append(
            [
                tr.month(loc, m),
                cell(sent),
                cell(answered),
                share(answered, sent),
                cell(w.get("agreed", 0)),
                cell(w.get("early", 0)),
                cell(f.relapse.get(m, 0)),
            ]
        )
    return Table("waakvlam", head, rows)


def desks_table(tr: Translator, loc: str, region: Region, f: Figures) -> Table:
    """Each desk's light and how it picks up; its outcomes are a table of their own (`outcomes_table`),
    so neither needs sideways scrolling on a desktop."""
    rules = region.regiobeeld
    head = [
        _t(tr, loc, x)
        for x in (DESK_HEADER, LIGHT, OPEN_NOW, OVERDUE_NOW, WAITING, PICKED, IN_SLA, MEDIAN, P90)
    ]
    rows = []
    for d in f.desks:
        colour = light(d.raw_in_sla, d.raw_picked, rules.green_within_sla, rules.orange_within_sla)
        rows.append(
            [
                d.name,
                _t(tr, loc, LIGHTS[colour]),
                cell(d.open_now),
                cell(d.overdue_now),
                cell(d.waiting),
                cell(d.picked),
                share(d.in_sla, d.picked),
                took(tr, loc, d.took, 0.5),
                took(tr, loc, d.took, 0.9),
            ]
        )
    return Table("meldpunten", head, rows)


def outcomes_table(tr: Translator, loc: str, f: Figures) -> Table:
    """How each desk closed its signals in the period (hulp gestart, al bekend, doorverwezen, ...)."""
    head = [_t(tr, loc, DESK_HEADER), *(_t(tr, loc, OUTCOME_LABELS[o]) for o in OUTCOMES)]
    rows = [[d.name, *(cell(d.outcomes.get(o, 0)) for o in OUTCOMES)] for d in f.desks]
    return Table("uitkomsten", head, rows)


def took(tr: Translator, loc: str, histogram: list[int], p: float) -> str:
    """A percentile of a time in working hours (a pick-up, a decision) as its bucket's bound; "–" on fewer
    than MIN_BASE."""
    value = percentile(histogram, p) if sum(histogram) >= MIN_BASE else None
    if value is None:
        return "–"
    if value == float("inf"):
        return tr.render(loc, Msg(MORE_THAN, {"hours": tr.number(loc, BOUNDS[-1])}))
    return tr.render(loc, Msg(AT_MOST, {"hours": tr.number(loc, value)}))


def lights(region: Region, f: Figures) -> dict[str, str]:
    """Each desk's traffic light: the share picked up within its time."""
    rules = region.regiobeeld
    return {
        d.id: light(d.raw_in_sla, d.raw_picked, rules.green_within_sla, rules.orange_within_sla)
        for d in f.desks
    }


def chart_values(tr: Translator, loc: str, f: Figures) -> list[dict[str, Any]]:
    """The months chart's data: one value per month and category; a hidden count is left out (the table
    shows it as ×), so the chart never draws what the table hides."""
    values: list[dict[str, Any]] = []
    for m in f.months:
        for c in categories(f):
            n = f.by_month.get((m, c), 0)
            if n != HIDDEN:
                values.append(
                    {
                        "maand": tr.month(loc, m),
                        "categorie": _t(tr, loc, CATEGORY_LABELS.get(c, c)),
                        "aantal": n,
                    }
                )
    return values
