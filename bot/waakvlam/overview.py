"""A coordinator's `/waakvlammen`: the live agreements of their gemeenten, grouped by what needs a look."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.access import may_oversee
from bot.domain.agreements import LIVE, PAUSED, PROPOSED
from bot.views.messenger import Buttons
from bot.waakvlam.common import WaakvlamBasis
from flows.text import N_, Msg
from storage.models import Agreement, User
from storage.uow import UnitOfWork

SOON_DAYS = 14
LIST_LIMIT = 40
COORDINATORS_ONLY = N_("Dit overzicht is voor coördinatoren.")
NONE = N_("Er lopen geen waakvlammen in uw gemeente(n).")
HEADER = N_("Waakvlammen ({n}). Tik op een waakvlam om hem te bekijken.")
GROUPS = (
    ("risk", N_("⚠ Op risico: {refs}")),
    ("soon", N_("⏳ Loopt binnenkort af: {refs}")),
    ("active", N_("✅ Actief: {refs}")),
    ("proposed", N_("❔ Wacht op een contactpersoon: {refs}")),
    ("paused", N_("⏸ Gepauzeerd: {refs}")),
)


async def overview(kit: WaakvlamBasis, uow: UnitOfWork, user: User) -> tuple[str, Buttons]:
    """`/waakvlammen`: at risk, ending soon, active, waiting for a contact person, paused."""
    if not may_oversee(user):
        return kit.tr.render(user.locale, Msg(COORDINATORS_ONLY)), []
    agreements = await uow.agreements.in_gemeenten(user.gemeenten, LIVE)
    if not agreements:
        return kit.tr.render(user.locale, Msg(NONE)), []
    soon = (kit.today() + timedelta(days=SOON_DAYS)).isoformat()
    groups: dict[str, list[Agreement]] = {key: [] for key, _ in GROUPS}
    for a in agreements:
        groups[_group_of(a, soon)].append(a)
    loc = user.locale
    lines = [kit.tr.render(loc, Msg(HEADER, {"n": len(agreements)}))]
    buttons: Buttons = []
    for key, label in GROUPS:
        if groups[key]:
            lines.append(kit.tr.render(loc, Msg(label, {"refs": ", ".join(a.ref for a in groups[key])})))
            buttons += [[_card_button(kit, user, a)] for a in groups[key]]
    return "\n".join(lines), buttons[:LIST_LIMIT]


def _card_button(kit: WaakvlamBasis, user: User, a: Agreement) -> tuple[str, str]:
    _, data = kit.button(user, N_("Bekijken"), "card", a.id)
    return f"{a.ref} · {kit.gemeente(a)}", data


def _group_of(a: Agreement, soon: str) -> str:
    """Where an agreement stands in the coordinator's list (the first that applies)."""
    if a.status == PAUSED:
        return "paused"
    if a.status == PROPOSED or a.owner_id is None:
        return "proposed"
    return "risk" if a.at_risk else "soon" if a.end_on <= soon else "active"
