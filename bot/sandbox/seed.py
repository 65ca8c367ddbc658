"""Demo professionals for the sandbox: one of each kind, with fixed Telegram ids the page and README use."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.clock import Clock
from bot.domain.organisations import guess
from bot.domain.region import Region
from storage.models import User
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Persona:
    telegram_id: int
    name: str
    role: str
    org: str
    gemeenten: tuple[str, ...]
    meldpunt_id: str | None = None
    kind: str = ""  # the kind of organisation; empty: guessed from its name


PERSONAS: tuple[Persona, ...] = (
    Persona(1001, "Wendy (wijkagent)", "veldwerker", "Politie Drenthe", ("assen",)),
    Persona(
        1002,
        "Hanna (woningcorporatie)",
        "veldwerker",
        "Actium",
        ("assen", "midden-drenthe"),
        None,
        "woningcorporatie",
    ),
    Persona(1003, "Willem (welzijn)", "veldwerker", "Welzijnswerk Assen", ("assen",)),
    Persona(2001, "Gerda (GGD Meldpunt)", "meldpunt", "GGD Drenthe", ("assen",), "ggd-mzg"),
    Persona(2002, "Vera (Veilig Thuis)", "meldpunt", "Veilig Thuis Drenthe", ("assen",), "veilig-thuis"),
    Persona(
        2003,
        "Zeger (Zorg- en Veiligheidshuis)",
        "meldpunt",
        "Zorg- en Veiligheidshuis Drenthe",
        ("assen",),
        "zvhd",
    ),
    Persona(2004, "Sanne (wijkteam Assen)", "meldpunt", "Gemeente Assen", ("assen",), "wijkteam-assen"),
    Persona(2005, "Bas (schuldhulp Assen)", "meldpunt", "Gemeente Assen", ("assen",), "schuldhulp-assen"),
    Persona(3001, "Carla (coördinator Assen)", "coordinator", "Gemeente Assen", ("assen",)),
    Persona(4001, "Mirjam (teamleider GGD)", "manager", "GGD Drenthe", ("assen",)),
    Persona(4002, "Bert (wethouder Assen)", "bestuurder", "Gemeente Assen", ("assen",)),
)


async def seed(uow: UnitOfWork, clock: Clock, region: Region) -> int:
    """Register the personas that are not there yet; return how many were added."""
    added = 0
    for p in PERSONAS:
        if p.meldpunt_id and p.meldpunt_id not in region.meldpunten:
            continue
        if await uow.users.by_telegram_id(p.telegram_id) is not None:
            continue
        await uow.users.add(
            User(
                telegram_id=p.telegram_id,
                display_name=p.name,
                role=p.role,
                org=p.org,
                org_kind=p.kind or guess(p.org, p.role),
                gemeenten=list(p.gemeenten),
                meldpunt_id=p.meldpunt_id,
                locale="nl",
                active=True,
                created_at=clock.now(),
            )
        )
        added += 1
    return added
