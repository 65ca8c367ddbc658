"""Who may do what: least privilege, checked on the server for every action. One table, tested as one."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Protocol


class Person(Protocol):
    id: int
    role: str
    gemeenten: list[str]
    meldpunt_id: str | None
    active: bool


@dataclass(frozen=True)
class SignalScope:
    """What access to a signal depends on: who filed it, where, and which desks it went to."""

    filer_id: int
    gemeente: str
    desks: Collection[str]


FILERS = frozenset({"veldwerker", "meldpunt", "coordinator"})


def can_file(user: Person) -> bool:
    """Professionals file signals; administrators manage configuration, not cases."""
    return user.active and user.role in FILERS


def can_view(user: Person, signal: SignalScope) -> bool:
    """The filer, the members of a desk it went to, and the coordinators of its gemeente."""
    if not user.active:
        return False
    if signal.filer_id == user.id:
        return True
    if user.role == "meldpunt":
        return user.meldpunt_id is not None and user.meldpunt_id in signal.desks
    if user.role == "coordinator":
        return signal.gemeente in user.gemeenten
    return False


def can_deactivate(actor: Person, target: Person) -> bool:
    """Admins may deactivate anyone but themselves; coordinators the non-admins of their own gemeenten."""
    if not actor.active or actor.id == target.id:
        return False
    if actor.role == "admin":
        return True
    return (
        actor.role == "coordinator"
        and target.role != "admin"
        and set(target.gemeenten) <= set(actor.gemeenten)
    )
