"""Who may do what: least privilege, checked on the server for every action. One table, tested as one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Person(Protocol):
    id: int
    role: Role
    gemeenten: list[str]
    meldpunt_id: str | None
    active: bool


@dataclass(frozen=True)
class SignalScope:
    """What access to a signal depends on: who filed it, where, and which desks it went to."""

    filer_id: int
    gemeente: str
    desks: Collection[str]
    # The contact person of a live waakvlam that follows this signal up: they must know who it is about.
    holder_id: int | None = None
    # The resident's regisseur, and the one asked to become it: they read the signals that regie ties together.
    regisseur_id: int | None = None
    regie_asked_id: int | None = None


class Role(StrEnum):
    """What a professional does here, as the invite gave it."""

    FIELD_WORKER = "veldwerker"
    DESK_STAFF = "meldpunt"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    # An organisation's team lead and the gemeente's bestuurder: rungs of the escalation ladder (bot/regie).
    MANAGER = "manager"
    BESTUURDER = "bestuurder"


FIELD_WORKER, DESK_STAFF, COORDINATOR, ADMIN, MANAGER, BESTUURDER = (
    Role.FIELD_WORKER,
    Role.DESK_STAFF,
    Role.COORDINATOR,
    Role.ADMIN,
    Role.MANAGER,
    Role.BESTUURDER,
)
# Who steers rather than handles cases: the regiobeeld of their gemeenten and the escalations sent to them.
STEERERS = frozenset({COORDINATOR, MANAGER, BESTUURDER})
FILERS = frozenset({FIELD_WORKER, DESK_STAFF, COORDINATOR})


class AgreementScope(Protocol):
    """What access to a waakvlam agreement depends on: its gemeente and its contact person."""

    gemeente: str
    owner_id: int | None


class AgreementPeople(AgreementScope, Protocol):
    """An agreement with the people involved in agreeing it, besides its contact person."""

    proposed_owner_id: int | None
    proposed_by: int | None
    created_by: int


def can_file(user: Person) -> bool:
    """Professionals file signals; administrators manage configuration, not cases."""
    return user.active and user.role in FILERS


def can_view(user: Person, signal: SignalScope) -> bool:
    """The filer, the members of a desk it went to, the coordinators of its gemeente, and the holder of
    the waakvlam that follows it up."""
    if not user.active:
        return False
    if user.id in (signal.filer_id, signal.holder_id, signal.regisseur_id, signal.regie_asked_id):
        return True
    if user.role == DESK_STAFF:
        return user.meldpunt_id is not None and user.meldpunt_id in signal.desks
    if user.role == COORDINATOR:
        return signal.gemeente in user.gemeenten
    return False


def reads_notes(user: Person, signal: SignalScope) -> bool:
    """Desk staff of a desk it went to, the gemeente's coordinators and the resident's regisseur read the
    desks' notes; the filer, a waakvlam holder and someone asked to direct see the steps and the outcome."""
    if not user.active:
        return False
    if user.id == signal.regisseur_id:
        return True
    if user.role == DESK_STAFF:
        return user.meldpunt_id is not None and user.meldpunt_id in signal.desks
    return user.role == COORDINATOR and signal.gemeente in user.gemeenten


def can_deactivate(actor: Person, target: Person) -> bool:
    """Admins may deactivate anyone but themselves; coordinators the non-admins of their own gemeenten."""
    if not actor.active or actor.id == target.id:
        return False
    if actor.role == ADMIN:
        return True
    return (
        actor.role == COORDINATOR and target.role != ADMIN and set(target.gemeenten) <= set(actor.gemeenten)
    )


def may_deactivate(user: Person) -> bool:
    """Coordinators and admins switch accounts off (whom: `can_deactivate`)."""
    return user.active and user.role in (COORDINATOR, ADMIN)


def at_a_desk(user: Person) -> bool:
    """Desk staff with a meldpunt: they see its werkvoorraad (`/open`)."""
    return user.active and user.role == DESK_STAFF and user.meldpunt_id is not None


def works_at(user: Person, desk_id: str) -> bool:
    """Desk staff of this meldpunt: who may press its buttons and list its open signals."""
    return user.active and user.role == DESK_STAFF and user.meldpunt_id == desk_id


def may_set_up(user: Person) -> bool:
    """Coordinators and desks agree a waakvlam (a desk when it closes a signal)."""
    return user.active and user.role in (COORDINATOR, DESK_STAFF)


def may_manage(user: Person, agreement: AgreementScope) -> bool:
    """The gemeente's coordinators steer agreements: pause, resume, change, end."""
    return user.active and user.role == COORDINATOR and agreement.gemeente in user.gemeenten


def may_answer(person: Person, agreement: AgreementScope) -> bool:
    """The contact person answers check-ins; the gemeente's coordinators may answer for them."""
    if not person.active:
        return False
    return person.id == agreement.owner_id or may_manage(person, agreement)


def may_read_agreement(person: Person, agreement: AgreementPeople) -> bool:
    """Who reads who a waakvlam is about and its written signs: who may answer its check-ins, the one asked
    to hold it, and who proposed or set it up."""
    involved = (agreement.proposed_owner_id, agreement.proposed_by, agreement.created_by)
    return may_answer(person, agreement) or (person.active and person.id in involved)


def may_see_region(user: Person) -> bool:
    """Coordinators, managers and bestuurders (their gemeenten), desk staff (their desk) and admins (the
    region) see the regiobeeld."""
    return user.active and (user.role in (*STEERERS, ADMIN) or at_a_desk(user))


def may_oversee(user: Person) -> bool:
    """Coordinators see the list of their gemeenten's agreements."""
    return user.active and user.role == COORDINATOR


def can_ask_regie(user: Person, signal: SignalScope) -> bool:
    """Who asks a regisseur for this signal's resident: the desks it went to, the coordinators of its
    gemeente, and the regisseur (handing it on, warmly) — those who read its notes."""
    return reads_notes(user, signal)


def may_direct(user: Person, gemeente: str) -> bool:
    """Who may be asked to direct a resident of this gemeente: any professional who works there."""
    return user.active and user.role in FILERS and gemeente in user.gemeenten


class RegiePeople(Protocol):
    """What access to a regie depends on: its gemeente, who directs it, who is asked and who asked."""

    gemeente: str
    regisseur_id: int | None
    asked_id: int | None
    asked_by: int | None


def may_steer_regie(person: Person, regie: RegiePeople) -> bool:
    """The regisseur steers the plan and closes the regie; the gemeente's coordinators may too."""
    if not person.active:
        return False
    return person.id == regie.regisseur_id or (
        person.role == COORDINATOR and regie.gemeente in person.gemeenten
    )


def may_read_regie(person: Person, regie: RegiePeople, named: Collection[int]) -> bool:
    """Who reads a regie's plan (what each line says): who steers it, whoever asked and is asked, and the
    people its plan names."""
    involved = (regie.asked_id, regie.asked_by, *named)
    return may_steer_regie(person, regie) or (person.active and person.id in involved)
