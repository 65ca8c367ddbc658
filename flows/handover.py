"""The reason a desk gives for refusing a hand-over: one short line, sent to the desk that asked."""

from __future__ import annotations

from flows.model import Flow, Kind, MaxLength, Step
from flows.text import N_

REFUSAL = Flow(
    id="handover_refusal",
    steps=(
        Step(
            id="reason",
            kind=Kind.TEXT,
            prompt=N_(
                "Waarom weigert u de overdracht? De reden gaat naar het meldpunt dat het vroeg; /cancel stopt."
            ),
            validators=(MaxLength(300),),
            guard=True,
        ),
    ),
)
