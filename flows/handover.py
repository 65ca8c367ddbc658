"""A desk's hand-over, asked privately so the team keeps seeing the signal: the receiving desk, an optional
note for it, and a last look; and the reason a desk gives for refusing one."""

from __future__ import annotations

from flows.model import Flow, Kind, MaxLength, Step
from flows.text import N_

NOTE_LIMIT = 300


def note_step(prompt: str) -> Step:
    """An optional short note a desk adds to a move (a hand-over, a closing): guarded, kept privately."""
    return Step(
        id="note",
        kind=Kind.TEXT,
        prompt=prompt,
        summary_label=N_("Notitie"),
        validators=(MaxLength(NOTE_LIMIT),),
        guard=True,
        optional=True,
    )


REQUEST = Flow(
    id="handover_request",
    steps=(
        Step(
            id="to",
            kind=Kind.CHOICE,
            prompt=N_(
                "Aan welk meldpunt wilt u signaal {signal} overdragen? "
                "U blijft verantwoordelijk tot het is geaccepteerd."
            ),
            summary_label=N_("Naar"),
            options_from="targets",
            columns=1,
            prompt_params=("signal",),
        ),
        note_step(
            N_(
                "Wilt u het ontvangende meldpunt iets meegeven? Een korte notitie; alleen wie het signaal "
                "mag zien leest haar, privé. De melder niet."
            )
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Overdracht van signaal {signal} aanvragen? Tik op Versturen.\n\n{summary}"),
            prompt_params=("signal",),
        ),
    ),
)

REFUSAL = Flow(
    id="handover_refusal",
    steps=(
        Step(
            id="reason",
            kind=Kind.TEXT,
            prompt=N_(
                "Waarom weigert u de overdracht? De reden gaat naar het meldpunt dat het vroeg; /cancel stopt."
            ),
            validators=(MaxLength(NOTE_LIMIT),),
            guard=True,
        ),
    ),
)
