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


def works_in(user: User, *gemeenten: str) -> bool:
    """Whether someone may be named for work in (any of) these gemeenten: an active professional who
    files and works there."""
    return user.active and user.role in FILERS and any(g in user.gemeenten for g in gemeenten)


async def professionals(tr: Translator, uow: Work, user: User, places: list[str]) -> tuple[Option, ...]:
    """The professionals who work in these gemeenten, found by typing part of a name when there are many;
    the one asking is offered last, as "Mijzelf", so that taking it on oneself is a choice made on purpose."""
    return _people(tr, await uow.users.all(), user, places)


async def people_and_organisations(
    tr: Translator, uow: Work, user: User, gemeente: str
) -> tuple[Option, ...]:
    """Whom a plan line may name: the organisations with someone in the gemeente besides the one asking,
    then its professionals (everyone read once)."""
    everyone = await uow.users.all()
    orgs = {o for o, who in _orgs(everyone, gemeente) if who != user.id}
    named = tuple(
        Option(org_code(o), tr.render(user.locale, Msg(ORGANISATION, {"org": o})), raw=True)
        for o in sorted(orgs, key=fold)
    )
    return (*named, *_people(tr, everyone, user, [gemeente]))


def _people(tr: Translator, everyone: list[User], user: User, places: list[str]) -> tuple[Option, ...]:
    found = [
        Option(str(u.id), f"{u.display_name} · {u.org}", raw=True)
        for u in sorted(everyone, key=lambda u: fold(u.display_name))
        if works_in(u, *places) and u.id != user.id
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
    return [u for u in await uow.users.all() if works_in(u, gemeente) and u.org == org and u.id != but]


async def organisation(uow: Work, code: str, gemeente: str) -> str | None:
    """The organisation a button's value names, if it still has someone in the gemeente."""
    return next((o for o, _ in _orgs(await uow.users.all(), gemeente) if org_code(o) == code), None)


def _orgs(everyone: list[User], gemeente: str) -> set[tuple[str, int]]:
    """Each organisation with each of its professionals in the gemeente."""
    return {(u.org, u.id) for u in everyone if works_in(u, gemeente)}
