"""The regiobeeld's tables of samenloop and the routeeroverleg, as the Zorg- en Veiligheidshuis's annual
report counts them: matches per month (a count only), overleggen started and decided, why they started, what
they decided and the median time to a decision. Counts only, small ones as `<5`."""

from __future__ import annotations

from bot.domain.organisations import KINDS
from bot.domain.overleg import PRIORITIES, REASONS, ROUTES, TRIAGE
from bot.domain.region import Region
from bot.regiobeeld.figures import MIN_BASE, Figures, cell
from bot.regiobeeld.tables import MONTH, Table, _t, took
from bot.views.i18n import Translator
from flows.text import N_

MATCHES, STARTED, DECIDED = N_("Mogelijke samenloop"), N_("Routeeroverleg gestart"), N_("Besloten")
WHY, DECISION, COUNT = N_("Waarom gestart"), N_("Besluit"), N_("Aantal")
TOOK = N_("Tijd tot besluit, mediaan")
DESK, OLDEST = N_("Meldpunt"), N_("Langst wachtend (weken)")
P1, P2, P3 = N_("Wachtend P1"), N_("Wachtend P2"), N_("Wachtend P3")
WAITED = N_("Gewacht voor de start, mediaan (weken)")
CODES = ("samenloop", "overleg", "overleg_besluit", "advies")
ADVICE, ASKER = N_("Adviesvragen"), N_("Wie vraagt")


def samenloop_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Per month: possible samenloop found, overleggen started and decided, advice questions asked."""
    head = [_t(tr, loc, x) for x in (MONTH, MATCHES, STARTED, DECIDED, ADVICE)]
    per = f.samenloop.per_month
    rows = [[tr.month(loc, m), *(cell(per.get(m, {}).get(c, 0)) for c in CODES)] for m in f.months]
    return Table("samenloop", head, rows)


def overleg_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Over the period: why overleggen started, what they decided, and the median time to a decision."""
    s = f.samenloop
    head = [_t(tr, loc, x) for x in (WHY, COUNT)]
    rows = [[_t(tr, loc, label), cell(s.reasons.get(code, 0))] for code, label in REASONS.items()]
    rows += [
        [_t(tr, loc, DECISION) + ": " + _t(tr, loc, label), cell(s.routes.get(code, 0))]
        for code, label in ROUTES.items()
    ]
    rows.append([_t(tr, loc, TOOK), took(tr, loc, s.hours, 0.5)])
    return Table("routeeroverleg", head, rows)


def triage_table(tr: Translator, loc: str, region: Region, f: Figures) -> Table:
    """Over the period, per triaging desk: what its triage decided."""
    head = [_t(tr, loc, DESK), *(_t(tr, loc, label) for label in TRIAGE.values())]
    rows = [
        [desk.name, *(cell(f.samenloop.triage.get(desk.id, {}).get(code, 0)) for code in TRIAGE)]
        for desk in region.meldpunten.values()
        if desk.triage
    ]
    return Table("triage", head, rows)


def queue_table(tr: Translator, loc: str, region: Region, f: Figures) -> Table:
    """Per triaging desk: procesregie waiting now per priority, the longest wait in weeks, and over the period
    the median weeks it waited before it started ("–" on too few)."""
    head = [_t(tr, loc, x) for x in (DESK, P1, P2, P3, OLDEST, WAITED)]
    rows = []
    for desk in (d for d in region.meldpunten.values() if d.triage):
        now = f.samenloop.queued.get(desk.id, {})
        waited = f.samenloop.waited.get(desk.id, [])
        median = percentile_index(waited, 0.5) if sum(waited) >= MIN_BASE else None
        rows.append(
            [
                desk.name,
                *(cell(now.get(str(n), 0)) for n in PRIORITIES),
                tr.number(loc, now.get("oldest", 0)),
                "–" if median is None else tr.number(loc, median),
            ]
        )
    return Table("werkvoorraad", head, rows)


def percentile_index(histogram: list[int], p: float) -> int | None:
    """The bucket (here: a number of weeks) holding the p-th share; None without any."""
    total, seen = sum(histogram), 0
    for i, n in enumerate(histogram):
        seen += n
        if total and seen >= p * total:
            return i
    return None


def advice_table(tr: Translator, loc: str, region: Region, f: Figures) -> Table:
    """Over the period: advice questions per desk, then per kind of organisation that asked."""
    s = f.samenloop
    head = [_t(tr, loc, x) for x in (DESK, ADVICE)]
    rows = [[d.name, cell(s.advice_desk[d.id])] for d in region.meldpunten.values() if d.id in s.advice_desk]
    rows += [
        [_t(tr, loc, ASKER) + ": " + _t(tr, loc, label), cell(s.advice_kind.get(k, 0))]
        for k, label in KINDS.items()
    ]
    return Table("advies", head, rows)


def samenloop_tables(tr: Translator, loc: str, region: Region, f: Figures) -> list[Table]:
    """All of them, in the page's order."""
    return [
        samenloop_table(tr, loc, f),
        overleg_table(tr, loc, f),
        triage_table(tr, loc, region, f),
        queue_table(tr, loc, region, f),
        advice_table(tr, loc, region, f),
    ]
