"""Herinner mij: a reminder someone sets for themselves or their desk on a signal, regie, plan line or
agreement: for whom, when (tomorrow, next week, in two weeks, a date), a last look."""

from __future__ import annotations

from flows.model import Flow, Kind, Option, Pattern, Step, When
from flows.text import N_

WHEN: tuple[Option, ...] = (
    Option("tomorrow", N_("Morgen")),
    Option("week", N_("Over een week")),
    Option("two_weeks", N_("Over twee weken")),
    Option("date", N_("Op een datum")),
)
REMIND = Flow(
    id="remind_me",
    steps=(
        Step(
            id="whom",
            kind=Kind.CHOICE,
            prompt=N_("Herinner mij aan {code}: voor wie?"),
            summary_label=N_("Voor"),
            options_from="whom",
            columns=1,
            prompt_params=("code",),
        ),
        Step(
            id="when",
            kind=Kind.CHOICE,
            prompt=N_("Wanneer? De herinnering komt die dag om 09:00."),
            summary_label=N_("Wanneer"),
            options=WHEN,
            columns=2,
        ),
        Step(
            id="date",
            kind=Kind.TEXT,
            prompt=N_("Op welke datum? Stuur dag en maand, bijvoorbeeld 14-12."),
            summary_label=N_("Datum"),
            validators=(
                Pattern(
                    r"(0?[1-9]|[12][0-9]|3[01])[-/.](0?[1-9]|1[0-2])",
                    N_("Stuur dag en maand met een streepje, bijvoorbeeld 14-12."),
                ),
            ),
            skip_unless=When("when", "date"),
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Deze herinnering zetten? Tik op Versturen.\n\n{summary}"),
        ),
    ),
)
