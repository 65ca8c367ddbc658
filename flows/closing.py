"""Closing a signal, asked privately so the team keeps seeing it: the outcome (and, for "Anders", what
happened), an optional note for the record, and a last look before it closes. The filer hears the outcome
in plain words, never the note."""

from __future__ import annotations

from flows.handover import note_step
from flows.model import Flow, Kind, MaxLength, Option, Step, When
from flows.text import N_

# Each outcome once: its code (stored), the desk's button, and how the filer hears it.
OUTCOME_WORDS = (
    ("help", N_("Hulp gestart"), N_("er is hulp gestart")),
    ("known", N_("Al bekend bij hulpverlening"), N_("de bewoner is al bekend bij de hulpverlening")),
    ("referred", N_("Doorverwezen"), N_("doorverwezen naar een andere organisatie")),
    ("none", N_("Geen actie nodig"), N_("er is geen actie nodig")),
    ("unreachable", N_("Niet bereikbaar"), N_("de bewoner was niet bereikbaar")),
    ("other", N_("Anders"), N_("op een andere manier afgehandeld")),
)
OUTCOMES = tuple(Option(code, button) for code, button, _ in OUTCOME_WORDS)
# A system bottleneck that was in the way (counted anonymously per gemeente and month for the bestuurders).
BOTTLENECKS: dict[str, str] = {
    "waiting_list": N_("Wachtlijst"),
    "no_fitting_care": N_("Geen passende zorg"),
    "funding": N_("Financiering of indicatie"),
    "sharing_rules": N_("Regels rond gegevens delen"),
    "capacity": N_("Capaciteit"),
    "other": N_("Ander knelpunt"),
}
NO_BOTTLENECK = "none"


def bottleneck_step() -> Step:
    """One tap, optional: was a system bottleneck in the way? ("Nee" first.)"""
    return Step(
        id="knelpunt",
        kind=Kind.CHOICE,
        prompt=N_("Zat een systeemknelpunt in de weg? Eén tik; het telt anoniem mee voor de gemeente."),
        summary_label=N_("Systeemknelpunt"),
        options=(Option(NO_BOTTLENECK, N_("Nee")), *(Option(c, label) for c, label in BOTTLENECKS.items())),
        columns=2,
    )


OTHER_LIMIT = 200

CLOSING = Flow(
    id="desk_close",
    steps=(
        Step(
            id="outcome",
            kind=Kind.CHOICE,
            prompt=N_("Signaal {signal} afsluiten: hoe is het afgehandeld?"),
            summary_label=N_("Uitkomst"),
            options=OUTCOMES,
            columns=1,
            prompt_params=("signal",),
        ),
        Step(
            id="other",
            kind=Kind.TEXT,
            prompt=N_(
                "Hoe is het afgehandeld? Eén korte zin. De melder hoort alleen dat het op een andere manier "
                "is afgehandeld."
            ),
            summary_label=N_("Hoe"),
            validators=(MaxLength(OTHER_LIMIT),),
            guard=True,
            skip_unless=When("outcome", "other"),
        ),
        note_step(
            N_(
                "Een korte notitie voor het dossier? Alleen wie het signaal mag zien leest haar, privé. "
                "De melder niet."
            )
        ),
        bottleneck_step(),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_(
                "Signaal {signal} afsluiten? Tik op Versturen; de melder hoort de uitkomst.\n\n{summary}"
            ),
            prompt_params=("signal",),
        ),
    ),
)
