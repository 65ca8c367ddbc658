"""The options a waakvlam set-up offers the person setting it up: their gemeenten, the professionals there who
may hold it (themself last, on purpose), and the desks to return to (the closing desk first)."""

from __future__ import annotations

from bot.domain.access import FILERS
from bot.views.i18n import Translator
from bot.waakvlam.common import WaakvlamBasis
from flows.engine import Answers, Context
from flows.model import Option
from flows.search import fold
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

DEFAULT = N_("{name} (standaard)")
MYSELF = N_("Mijzelf ({name})")


async def professionals(tr: Translator, uow: Work, user: User, places: list[str]) -> tuple[Option, ...]:
    """The professionals who work in these gemeenten, found by typing part of a name when there are many;
    the one asking is offered last, as "Mijzelf", so that taking it on oneself is a choice made on purpose."""
    found = [
        Option(str(u.id), f"{u.display_name} · {u.org}", raw=True)
        for u in sorted(await uow.users.all(), key=lambda u: fold(u.display_name))
        if u.active and u.role in FILERS and set(u.gemeenten) & set(places) and u.id != user.id
    ]
    if user.active and user.role in FILERS:
        myself = tr.render(user.locale, Msg(MYSELF, {"name": user.display_name}))
        found.append(Option(str(user.id), myself, raw=True, pinned=True))
    return tuple(found)


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
