"""Kinds of organisation a professional works for, so the regiobeeld can say who files (police, housing,
welzijn, GP, …) without naming anyone. Set on the invite (`waakvlam invite --kind`), guessed from the
organisation's name when not given."""

from __future__ import annotations

from bot.domain.access import Role
from flows.text import N_

KINDS = {
    "politie": N_("Politie"),
    "woningcorporatie": N_("Woningcorporatie"),
    "welzijn": N_("Welzijn en wijkteam"),
    "huisarts": N_("Huisarts"),
    "ggz": N_("GGZ en verslavingszorg"),
    "zorg": N_("Zorg en thuiszorg"),
    "gemeente": N_("Gemeente"),
    "meldpunt": N_("Meldpunt"),
    "anders": N_("Anders"),
}
OTHER = "anders"
# Words in an organisation's name that tell its kind, checked in this order.
CLUES = (
    ("politie", ("politie",)),
    ("huisarts", ("huisarts",)),
    ("ggz", ("ggz", "verslaving", "vnn")),
    ("woningcorporatie", ("woning", "wonen", "woon")),
    ("welzijn", ("welzijn", "wijkteam", "buurtwerk")),
    ("zorg", ("thuiszorg", "zorggroep", "wijkverpleging")),
    ("gemeente", ("gemeente",)),
)


def guess(org: str, role: str) -> str:
    """The kind an organisation's name suggests; desk staff count as their desk."""
    if role == Role.DESK_STAFF:  # a StrEnum: the role given as text on the command line matches too
        return "meldpunt"
    name = org.lower()
    for kind, words in CLUES:
        if any(w in name for w in words):
            return kind
    return OTHER
