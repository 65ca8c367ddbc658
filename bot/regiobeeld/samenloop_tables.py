"""The regiobeeld's tables of samenloop and the routeeroverleg, as the Zorg- en Veiligheidshuis's annual
report counts them: matches per month (a count only), overleggen started and decided, why they started, what
they decided and the median time to a decision. Counts only, small ones as `<5`."""

from __future__ import annotations

from bot.domain.overleg import REASONS, ROUTES
from bot.regiobeeld.figures import Figures, cell
from bot.regiobeeld.tables import MONTH, Table, _t, took
from bot.views.i18n import Translator
from flows.text import N_

MATCHES, STARTED, DECIDED = N_("Mogelijke samenloop"), N_("Routeeroverleg gestart"), N_("Besloten")
WHY, DECISION, COUNT = N_("Waarom gestart"), N_("Besluit"), N_("Aantal")
TOOK = N_("Tijd tot besluit, mediaan")
CODES = ("samenloop", "overleg", "overleg_besluit")


def samenloop_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Per month: possible samenloop found, overleggen started, overleggen decided."""
    head = [_t(tr, loc, x) for x in (MONTH, MATCHES, STARTED, DECIDED)]
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


def samenloop_tables(tr: Translator, loc: str, f: Figures) -> list[Table]:
    """Both, in the page's order."""
    return [samenloop_table(tr, loc, f), overleg_table(tr, loc, f)]
