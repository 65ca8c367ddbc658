"""Two short flows for a desk's question to the filer: the desk types it, the filer answers it."""

from __future__ import annotations

from flows.model import Flow, Kind, MaxLength, Step
from flows.text import N_

QUESTION_LIMIT = 500
ANSWER_LIMIT = 1000

INFO_QUESTION = Flow(
    id="info_question",
    steps=(
        Step(
            id="question",
            kind=Kind.TEXT,
            prompt=N_("Welke vraag wilt u de melder stellen? Tik op ✏️ Invullen; /cancel stopt."),
            validators=(MaxLength(QUESTION_LIMIT),),
            guard=True,
        ),
    ),
)

INFO_ANSWER = Flow(
    id="info_answer",
    steps=(
        Step(
            id="answer",
            kind=Kind.TEXT,
            prompt=N_(
                "Tik op ✏️ Invullen voor uw antwoord; het gaat alleen naar het meldpunt. /cancel stopt zonder antwoord."
            ),
            validators=(MaxLength(ANSWER_LIMIT),),
            guard=True,
        ),
    ),
)
