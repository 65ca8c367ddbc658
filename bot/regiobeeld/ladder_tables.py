"""The regiobeeld's tables of *los op of schaal op*: escalations per month (raised, solved, sent back), per
reason and per rung, and the system bottlenecks that were in the way. Counts only, small ones as `<5`."""

from __future__ import annotations

from bot.regiobeeld.figures import Figures, cell
from bot.regiobeeld.tables import MONTH, Table, _t
from bot.views.i18n import Translator
from flows.closing import BOTTLENECKS
from flows.regie import ESCALATION_REASONS
from flows.text import N_, Msg

RAISED, SOLVED, RETURNED = N_("Opgeschaald"), N_("Opgelost (los op)"), N_("Teruggestuurd")
REASON, RUNG, RUNG_N = N_("Reden"), N_("Trede"), N_("Trede {n}")
BOTTLENECK, COUNT = N_("Systeemknelpunt"), N_("Aantal")
CODES = ("escalated", "esc_solved", "esc_returned")


def ladder_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Per month: escalations raised, solved and sent back."""
    head = [_t(tr, loc, x) for x in (MONTH, RAISED, SOLVED, RETURNED)]
    rows = [[tr.month(loc, m), *(cell(f.ladder.get(m, {}).get(c, 0)) for c in CODES)] for m in f.months]
    return Table("opschaling", head, rows)


def reasons_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Over the period: escalations per reason, and per rung how they were decided."""
    head = [_t(tr, loc, x) for x in (REASON, RAISED)]
    rows = [[_t(tr, loc, label), cell(f.reasons.get(code, 0))] for code, label in ESCALATION_REASONS.items()]
    return Table("opschaling-reden", head, rows)


def rungs_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Over the period: per rung of the ladder, what was solved there and what was sent back."""
    head = [_t(tr, loc, x) for x in (RUNG, SOLVED, RETURNED)]
    rows = [
        [tr.render(loc, Msg(RUNG_N, {"n": rung})), *(cell(f.rungs[rung].get(c, 0)) for c in CODES[1:])]
        for rung in sorted(f.rungs, key=int)
    ]
    return Table("opschaling-trede", head, rows)


def bottlenecks_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Over the period: the system bottlenecks that were in the way, per kind."""
    head = [_t(tr, loc, x) for x in (BOTTLENECK, COUNT)]
    rows = [[_t(tr, loc, label), cell(f.bottlenecks.get(code, 0))] for code, label in BOTTLENECKS.items()]
    return Table("systeemknelpunten", head, rows)


def ladder_tables(tr: Translator, loc: str, f: Figures) -> list[Table]:
    """All of them, in the page's order."""
    return [
        ladder_table(tr, loc, f),
        reasons_table(tr, loc, f),
        rungs_table(tr, loc, f),
        bottlenecks_table(tr, loc, f),
    ]
