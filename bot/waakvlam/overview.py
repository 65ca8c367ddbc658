"""A coordinator's `/waakvlammen`: the live agreements of their gemeenten, grouped by what needs a look."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.domain.agreements import LIVE, PAUSED, PROPOSED, TO_SEND
from bot.domain.waakvlam_commands import AgreementAction
from bot.views.messenger import Buttons
from bot.waakvlam.common import STATUS_LABELS, WaakvlamBasis
from flows.text import N_, Msg, Param
from storage.models import Agreement, User
from storage.ports import Work

SOON_DAYS = 14
LIST_LIMIT = 40
COORDINATORS_ONLY = N_("Dit overzicht is voor coördinatoren.")
NONE = N_("Er lopen geen waakvlammen in uw gemeente(n).")
HEADER = N_("Waakvlammen ({n}). Tik op een waakvlam om hem te bekijken.")
GROUPS = (
    ("risk", N_("⚠ Op risico:")),
    ("soon", N_("⏳ Loopt binnenkort af:")),
    ("active", N_("✅ Actief:")),
    ("proposed", N_("❔ Wacht op een contactpersoon:")),
    ("paused", N_("⏸ Gepauzeerd:")),
)
# One line per agreement: who holds it, when the next check-in goes out, and its state.
LINE = N_("{ref} · {gemeente} · {holder} · volgende check-in: {next} · {status}")
NOBODY_YET = N_("nog niemand")
NOT_PLANNED = N_("niet gepland")


async def overview(basis: WaakvlamBasis, uow: Work, user: User) -> tuple[str, Buttons]:
    """`/waakvlammen`: at risk, ending soon, active, waiting for a contact person, paused."""
    agreements = await uow.agreements.in_gemeenten(user.gemeenten, LIVE)
    if not agreements:
        return basis.tr.render(user.locale, Msg(NONE)), []
    soon = basis.today() + timedelta(days=SOON_DAYS)
    groups: dict[str, list[Agreement]] = {key: [] for key, _ in GROUPS}
    for a in agreements:
        groups[_group_of(a, soon)].append(a)
    loc = user.locale
    lines = [basis.tr.render(loc, Msg(HEADER, {"n": len(agreements)}))]
    buttons: Buttons = []
    shown = [a for key, _ in GROUPS for a in groups[key]][:LIST_LIMIT]
    holders = await uow.users.by_ids({a.owner_id for a in shown if a.owner_id is not None})
    upcoming = await uow.agreements.next_due([a.id for a in shown], TO_SEND)
    for key, label in GROUPS:
        if groups[key]:
            lines.append(basis.tr.render(loc, Msg(label)))
            lines += [
                _line(basis, loc, a, holders.get(a.owner_id or 0), upcoming.get(a.id)) for a in groups[key]
            ]
            buttons += [[_card_button(basis, user, a)] for a in groups[key]]
    return "\n".join(lines), buttons[:LIST_LIMIT]


def _line(
    basis: WaakvlamBasis, loc: str, a: Agreement, holder: User | None, upcoming: datetime | None
) -> str:
    params: dict[str, Param] = {
        "ref": a.ref,
        "gemeente": basis.gemeente(a),
        "holder": holder.display_name if holder else Msg(NOBODY_YET),
        "next": basis.tr.when(loc, upcoming) if upcoming else Msg(NOT_PLANNED),
        "status": Msg(STATUS_LABELS[a.status]),
    }
    return basis.tr.render(loc, Msg(LINE, params))


def _card_button(basis: WaakvlamBasis, user: User, a: Agreement) -> tuple[str, str]:
    _, data = basis.button(user, N_("Bekijken"), AgreementAction.SHOW, a.id)
    return f"{a.ref} · {basis.gemeente(a)}", data


def _group_of(a: Agreement, soon: date) -> str:
    """ChatOf an agreement stands in the coordinator's list (the first that applies)."""
    if a.status == PAUSED:
        return "paused"
    if a.status == PROPOSED or a.owner_id is None:
        return "proposed"
    return "risk" if a.at_risk else "soon" if a.end_on <= soon else "active"
