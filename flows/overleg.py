"""The routeeroverleg, asked privately: a desk proposes the route and who leads; a desk objects (why, on the
form); a desk asks other desks into an overleg on its signal."""

from __future__ import annotations

from flows.model import Flow, Kind, MaxLength, Step
from flows.regie import choices
from flows.text import N_

# The Zorg- en Veiligheidshuis's triage words (bot/domain/overleg.py keeps the same codes for the card).
ROUTE_LABELS = {
    "procesregie": N_("Procesregie"),
    "advies": N_("Advies"),
    "niet_passend": N_("Niet passend"),
}
NOTE_LIMIT = 500

PROPOSE = Flow(
    id="overleg_propose",
    steps=(
        Step(
            id="route",
            kind=Kind.CHOICE,
            prompt=N_("Routeeroverleg {overleg} over {signal}: wat stelt u voor?"),
            summary_label=N_("Route"),
            options=choices(ROUTE_LABELS),
            columns=1,
            prompt_params=("overleg", "signal"),
        ),
        Step(
            id="lead",
            kind=Kind.CHOICE,
            prompt=N_("Welk meldpunt is aan zet?"),
            summary_label=N_("Aan zet"),
            options_from="desks",
            columns=1,
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_(
                "Dit voorstellen aan de andere meldpunten? Zijn ze allemaal akkoord, dan is het besloten. "
                "Tik op Versturen.\n\n{summary}"
            ),
        ),
    ),
)

OBJECT = Flow(
    id="overleg_object",
    steps=(
        Step(
            id="note",
            kind=Kind.TEXT,
            prompt=N_(
                "Bezwaar tegen het voorstel in {overleg}: waarom? Kort, op het formulier. Alleen de meldpunten "
                "in het overleg lezen het, op de server."
            ),
            summary_label=N_("Bezwaar"),
            validators=(MaxLength(NOTE_LIMIT),),
            guard=True,
            prompt_params=("overleg",),
        ),
    ),
)

INVITE = Flow(
    id="overleg_invite",
    steps=(
        Step(
            id="desks",
            kind=Kind.MULTI,
            prompt=N_(
                "Routeeroverleg over {signal}: welke meldpunten wilt u erbij? Kies er één of meer en tik op "
                "Klaar. Ze krijgen het signaal en een kaart om samen te besluiten wie aan zet is."
            ),
            summary_label=N_("Meldpunten"),
            options_from="desks",
            prompt_params=("signal",),
        ),
    ),
)
