"""Regie, asked privately: who becomes the resident's regisseur (found by typing part of a name), a last look;
and the reason, chosen, when the one asked declines."""

from __future__ import annotations

from flows.model import Flow, Kind, Option, Step
from flows.text import N_

# Why someone declines to be the regisseur: chosen, never typed (it is told to whoever asked).
DECLINE_REASONS: dict[str, str] = {
    "capacity": N_("Geen ruimte in mijn caseload"),
    "not_ours": N_("Past niet bij mijn organisatie"),
    "other_better": N_("Iemand anders ligt meer voor de hand"),
    "other": N_("Andere reden"),
}

ASK = Flow(
    id="regie_ask",
    steps=(
        Step(
            id="regisseur",
            kind=Kind.CHOICE,
            prompt=N_(
                "Wie wordt regisseur voor de bewoner van signaal {signal}? Die persoon wordt privé gevraagd "
                "het te accepteren; tot dan houdt u de regie."
            ),
            summary_label=N_("Regisseur"),
            options_from="regisseurs",
            columns=1,
            searchable=True,
            prompt_params=("signal",),
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Regie vragen voor de bewoner van signaal {signal}? Tik op Versturen.\n\n{summary}"),
            prompt_params=("signal",),
        ),
    ),
)

DECLINE = Flow(
    id="regie_decline",
    steps=(
        Step(
            id="reason",
            kind=Kind.CHOICE,
            prompt=N_("Waarom neemt u de regie niet? Wie het vroeg hoort de reden."),
            options=tuple(Option(code, label) for code, label in DECLINE_REASONS.items()),
            columns=1,
        ),
    ),
)
