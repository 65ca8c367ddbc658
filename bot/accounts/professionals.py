"""The professionals one may name (as a waakvlam's contact, a regisseur, who acts on a decision, who does a
plan line): those registered for the gemeenten in question, by name; the one asking last, as "Mijzelf".
A plan line may also name an organisation: whoever of it in the gemeente accepts first does it."""

from __future__ import annotations

import hashlib

from bot.domain.access import FILERS
from bot.views.i18n import Translator
from flows.model import Option
from flows.search import fold
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

MYSELF = N_("Mijzelf ({name})")
ORGANISATION = N_("🏢 {org} (wie daar het eerst accepteert)")


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


def org_code(org: str) -> str:
    """An organisation as a button's value: short, plain ASCII, the same for the same name."""
    return "o" + hashlib.blake2s(org.encode(), digest_size=5).hexdigest()


async def members(uow: Work, org: str, gemeente: str, but: int | None = None) -> list[User]:
    """The active professionals of an organisation who work in a gemeente (leaving out `but`)."""
    return [
        u
        for u in await uow.users.all()
        if u.active and u.role in FILERS and u.org == org and gemeente in u.gemeenten and u.id != but
    ]


async def organisations(tr: Translator, uow: Work, user: User, gemeente: str) -> tuple[Option, ...]:
    """The organisations with someone in the gemeente besides the one asking, to name in a plan line."""
    orgs = {o for o, who in await _orgs(uow, gemeente) if who != user.id}
    return tuple(
        Option(org_code(o), tr.render(user.locale, Msg(ORGANISATION, {"org": o})), raw=True)
        for o in sorted(orgs, key=fold)
    )


async def organisation(uow: Work, code: str, gemeente: str) -> str | None:
    """The organisation a button's value names, if it still has someone in the gemeente."""
    return next((o for o, _ in await _orgs(uow, gemeente) if org_code(o) == code), None)


async def _orgs(uow: Work, gemeente: str) -> set[tuple[str, int]]:
    """Each organisation with each of its professionals in the gemeente."""
    return {
        (u.org, u.id)
        for u in await uow.users.all()
        if u.active and u.role in FILERS and gemeente in u.gemeenten
    }
