"""The regiobeeld's tables of regie (as it stands now, and plan lines per month) and of *los op of schaal op*:
escalations per month (raised, solved, sent back), per reason and per rung, and the system bottlenecks that
were in the way. Counts only, small ones as `<5`."""

from __future__ import annotations

from bot.domain.pickup import BOUNDS
from bot.domain.region import Region
from bot.regiobeeld.figures import Figures, cell
from bot.regiobeeld.samenloop_tables import samenloop_tables
from bot.regiobeeld.tables import MONTH, Table, _t, took
from bot.views.i18n import Translator
from flows.closing import BOTTLENECKS
from flows.regie import ESCALATION_REASONS
from flows.text import N_, Msg

RAISED, SOLVED, RETURNED = N_("Opgeschaald"), N_("Opgelost (los op)"), N_("Teruggestuurd")
REASON, RUNG, RUNG_N = N_("Reden"), N_("Trede"), N_("Trede {n}")
TOOK = N_("Tijd tot besluit, mediaan")
BOTTLENECK, COUNT = N_("Systeemknelpunt"), N_("Aantal")
CODES = ("escalated", "esc_solved", "esc_returned")
REGIE, NOW = N_("Regie"), N_("Nu")
REGIE_NOW = (
    ("directed", N_("Bewoners met een regisseur")),
    ("asked", N_("Regie gevraagd, nog niet geaccepteerd")),
    ("without_under_5", N_("Open signalen zonder regisseur, minder dan 5 werkdagen")),
    ("without_5_10", N_("Open signalen zonder regisseur, 5 tot 10 werkdagen")),
    ("without_over_10", N_("Open signalen zonder regisseur, meer dan 10 werkdagen")),
)
ON_TIME, LATE, NOT_DONE = N_("Planregels op tijd gedaan"), N_("Te laat gedaan"), N_("Lukt niet")
PLAN_CODES = ("plan_on_time", "plan_late", "plan_not_done")


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
    """Over the period: per rung of the ladder, what was solved there and what was sent back, and the
    median of the working hours it took to decide (as a bucket's bound; "–" on too few)."""
    head = [_t(tr, loc, x) for x in (RUNG, SOLVED, RETURNED, TOOK)]
    rows = []
    for rung in sorted(f.rungs, key=int):
        r = f.rungs[rung]
        hours = [r.get(f"h{i}", 0) for i in range(len(BOUNDS) + 1)]
        rows.append(
            [
                tr.render(loc, Msg(RUNG_N, {"n": rung})),
                *(cell(r.get(c, 0)) for c in CODES[1:]),
                took(tr, loc, hours, 0.5),
            ]
        )
    return Table("opschaling-trede", head, rows)


def bottlenecks_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Over the period: the system bottlenecks that were in the way, per kind."""
    head = [_t(tr, loc, x) for x in (BOTTLENECK, COUNT)]
    rows = [[_t(tr, loc, label), cell(f.bottlenecks.get(code, 0))] for code, label in BOTTLENECKS.items()]
    return Table("systeemknelpunten", head, rows)


def regie_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Now: residents with a regisseur, regie asked, and open signals without one by how long."""
    head = [_t(tr, loc, x) for x in (REGIE, NOW)]
    rows = [[_t(tr, loc, label), cell(f.regie_now.get(code, 0))] for code, label in REGIE_NOW]
    return Table("regie-nu", head, rows)


def plan_table(tr: Translator, loc: str, f: Figures) -> Table:
    """Per month: plan lines done on time, done late, and not done."""
    head = [_t(tr, loc, x) for x in (MONTH, ON_TIME, LATE, NOT_DONE)]
    rows = [[tr.month(loc, m), *(cell(f.ladder.get(m, {}).get(c, 0)) for c in PLAN_CODES)] for m in f.months]
    return Table("planregels", head, rows)


def ladder_tables(tr: Translator, loc: str, region: Region, f: Figures) -> list[Table]:
    """All of them, in the page's order (samenloop and the routeeroverleg last)."""
    return [
        regie_table(tr, loc, f),
        plan_table(tr, loc, f),
        ladder_table(tr, loc, f),
        reasons_table(tr, loc, f),
        rungs_table(tr, loc, f),
        bottlenecks_table(tr, loc, f),
        *samenloop_tables(tr, loc, region, f),
    ]
