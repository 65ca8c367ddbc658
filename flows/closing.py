"""Closing a signal, asked privately so the team keeps seeing it: the outcome (and, for "Anders", what
happened), an optional note for the record, and a last look before it closes. The filer hears the outcome
in plain words, never the note."""

from __future__ import annotations

from flows.handover import note_step
from flows.model import Flow, Kind, MaxLength, Option, Step, When
from flows.text import N_

# The outcomes as the desk chooses them (bot.domain.lifecycle.OUTCOME_BUTTONS has the same codes).
OUTCOMES = (
    Option("help", N_("Hulp gestart")),
    Option("known", N_("Al bekend bij hulpverlening")),
    Option("referred", N_("Doorverwezen")),
    Option("none", N_("Geen actie nodig")),
    Option("unreachable", N_("Niet bereikbaar")),
    Option("other", N_("Anders")),
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
