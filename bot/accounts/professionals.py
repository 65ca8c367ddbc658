"""The professionals one may name (as a waakvlam's contact, a regisseur, who acts on a decision, who does a
plan line): those registered for the gemeenten in question, by name; the one asking last, as "Mijzelf"."""

from __future__ import annotations

from bot.domain.access import FILERS
from bot.views.i18n import Translator
from flows.model import Option
from flows.search import fold
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

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
