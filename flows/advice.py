"""/advies, asked privately: a professional asks a desk a question without a resident (typed on the form, no
names, no addresses: the guard runs on it); the desk answers the same way."""

from __future__ import annotations

from flows.model import Flow, Kind, MaxLength, Step
from flows.text import N_

QUESTION_LIMIT = 1000

ASK = Flow(
    id="advice_ask",
    steps=(
        Step(
            id="desk",
            kind=Kind.CHOICE,
            prompt=N_(
                "Advies vragen zonder een signaal in te dienen: aan welk meldpunt? Uw vraag gaat over een "
                "situatie, niet over een persoon."
            ),
            summary_label=N_("Meldpunt"),
            options_from="desks",
            columns=1,
        ),
        Step(
            id="question",
            kind=Kind.TEXT,
            prompt=N_(
                "Uw vraag, op het formulier. Geen namen, adressen of andere gegevens die naar een persoon "
                "leiden: het meldpunt heeft die voor een advies niet nodig."
            ),
            summary_label=N_("Vraag"),
            validators=(MaxLength(QUESTION_LIMIT),),
            guard=True,
            multiline=True,
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Deze adviesvraag versturen? Tik op Versturen.\n\n{summary}"),
        ),
    ),
)

ANSWER = Flow(
    id="advice_answer",
    steps=(
        Step(
            id="answer",
            kind=Kind.TEXT,
            prompt=N_(
                "Uw antwoord op adviesvraag {advice}, op het formulier. Alleen wie het vroeg leest het."
            ),
            summary_label=N_("Antwoord"),
            validators=(MaxLength(QUESTION_LIMIT),),
            guard=True,
            multiline=True,
            prompt_params=("advice",),
        ),
    ),
)
