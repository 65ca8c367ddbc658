"""Invite codes: single use, expiring, bound to a role, an organisation, gemeenten and a desk."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.accounts.audit import record
from bot.domain.access import Role
from bot.domain.clock import Clock
from bot.domain.organisations import KINDS, guess
from bot.domain.region import Region
from storage.models import Invite, User
from storage.ports import Work

ROLES = tuple(Role)
# No 0/O or 1/I/L: codes are read aloud and typed on phones.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


async def fresh_code(prefix: str, taken: Callable[[str], Awaitable[object | None]], length: int = 6) -> str:
    """A new code nobody has (S-, W-, R-, E-, O- and characters that read aloud well); `taken` looks it up."""
    while True:
        code = prefix + "".join(secrets.choice(ALPHABET) for _ in range(length))
        if await taken(code) is None:
            return code


class Redeem(StrEnum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    ALREADY_REGISTERED = "already_registered"


@dataclass(frozen=True)
class InviteSpec:
    role: str
    org: str
    gemeenten: tuple[str, ...]
    meldpunt_id: str | None = None
    org_kind: str = ""  # empty: guessed from the organisation's name (bot.domain.organisations)

    @property
    def kind(self) -> str:
        """The kind of organisation: as given, or guessed from its name."""
        return self.org_kind or guess(self.org, self.role)


def hash_code(code: str) -> str:
    """The hash an invite code is kept as (spaces and case do not matter)."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def check_spec(region: Region, spec: InviteSpec) -> None:
    """Refuse an invite that names an unknown role, gemeente or desk, before anyone receives it."""
    if spec.role not in ROLES:
        raise ValueError(f"unknown role {spec.role!r}; choose from {', '.join(ROLES)}")
    unknown = [g for g in spec.gemeenten if g not in region.gemeenten]
    if unknown or not spec.gemeenten:
        known = ", ".join(region.gemeenten)
        raise ValueError(f"give one or more known gemeenten (unknown: {unknown}); known: {known}")
    if spec.org_kind and spec.org_kind not in KINDS:
        raise ValueError(f"unknown kind of organisation {spec.org_kind!r}; choose from {', '.join(KINDS)}")
    if spec.role == Role.DESK_STAFF and spec.meldpunt_id not in region.meldpunten:
        raise ValueError(f"desk staff need a known --meldpunt (got {spec.meldpunt_id!r})")


async def create_invite(uow: Work, clock: Clock, spec: InviteSpec, hours: int) -> str:
    """Store a new invite and return its code (only the hash is kept)."""
    code = "".join(secrets.choice(ALPHABET) for _ in range(10))
    now = clock.now()
    await record(
        uow,
        clock,
        "invite_created",
        role=spec.role,
        org=spec.org,
        org_kind=spec.kind,
        gemeenten=list(spec.gemeenten),
        meldpunt=spec.meldpunt_id,
        hours=hours,
    )
    await uow.invites.add(
        Invite(
            code_hash=hash_code(code),
            role=spec.role,
            org=spec.org,
            org_kind=spec.kind,
            gemeenten=list(spec.gemeenten),
            meldpunt_id=spec.meldpunt_id,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return code


async def redeem(
    uow: Work, clock: Clock, telegram_id: int, name: str, code: str, locale: str
) -> tuple[Redeem, User | None]:
    """Register a Telegram user with an invite code."""
    existing = await uow.users.by_telegram_id(telegram_id)
    if existing is not None and existing.active:
        return Redeem.ALREADY_REGISTERED, existing
    invite = await uow.invites.by_hash(hash_code(code))
    now = clock.now()
    if invite is None:
        return Redeem.UNKNOWN, None
    if invite.used_at is not None:
        return Redeem.USED, None
    if invite.expires_at <= now:
        return Redeem.EXPIRED, None
    if existing is None:
        user = await uow.users.add(
            User(
                telegram_id=telegram_id,
                display_name=name[:120],
                role=invite.role,
                org=invite.org,
                org_kind=invite.org_kind,
                gemeenten=list(invite.gemeenten),
                meldpunt_id=invite.meldpunt_id,
                locale=locale,
                active=True,
                created_at=now,
            )
        )
    else:
        # A deactivated professional comes back only through a new invite, with the new invite's rights.
        user = existing
        user.role, user.org, user.gemeenten = invite.role, invite.org, list(invite.gemeenten)
        user.org_kind = invite.org_kind
        user.meldpunt_id, user.active = invite.meldpunt_id, True
    if not await uow.invites.redeem(invite.id, user.id, now):
        return Redeem.USED, None
    return Redeem.OK, user
