"""The routeeroverleg's words as types: its status, the routes a proposal may name, the answers on a card;
and a triaging desk's verdicts after Oppakken."""

from __future__ import annotations

from enum import StrEnum

from flows.text import N_


class OverlegStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"


# What the desks decide a signal gets (the Zorg- en Veiligheidshuis's triage words).
ROUTES = {
    "procesregie": N_("procesregie"),
    "advies": N_("advies"),
    "niet_passend": N_("niet passend"),
}
IN_VIEW = {"yes": N_("in beeld"), "no": N_("niet in beeld"), "earlier": N_("eerder in beeld")}
REASONS = {
    "routing": N_("gemeld bij meer meldpunten"),
    "desk": N_("gevraagd door een meldpunt"),
    "samenloop": N_("mogelijke samenloop"),
}

# A triaging desk's verdict after Oppakken (bot/signals/triage.py); procesregie may wait on the werkvoorraad.
PROCESREGIE = "procesregie"
TRIAGE = {
    PROCESREGIE: N_("Procesregie"),
    "uitgebreid_advies": N_("Uitgebreid advies"),
    "kort_advies": N_("Kort advies"),
    "niet_passend": N_("Niet passend"),
}
PRIORITIES = (1, 2, 3)
