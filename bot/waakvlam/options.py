"""The options a waakvlam set-up offers the person setting it up: their gemeenten, the professionals there who
may hold it (themself last, on purpose), and the desks to return to (the closing desk first)."""

from __future__ import annotations

from bot.accounts.professionals import professionals
from bot.waakvlam.common import WaakvlamBasis
from flows.engine import Answers, Context
from flows.model import Option
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

DEFAULT = N_("{name} (standaard)")


async def agreement_options(basis: WaakvlamBasis, uow: Work, user: User, answers: Answers) -> Context:
    """Options that depend on who asks: their gemeenten, the professionals there, the desks."""
    region = basis.region
    gemeente = answers.get("gemeente")
    places = [gemeente] if isinstance(gemeente, str) else [g for g in user.gemeenten if g in region.gemeenten]
    default = str(answers.get("default_desk", ""))
    desks = sorted(
        (m for m in region.meldpunten.values() if m.scope != "gemeente" or m.gemeente in places),
        key=lambda m: (m.id != default, m.name),
    )
    return {
        "gemeenten": tuple(Option(g, region.gemeenten[g].name, raw=True) for g in places),
        "owners": await professionals(basis.tr, uow, user, places),
        "desks": tuple(
            Option(
                m.id,
                basis.tr.render(user.locale, Msg(DEFAULT, {"name": m.name})) if m.id == default else m.name,
                raw=True,
            )
            for m in desks
        ),
    }
