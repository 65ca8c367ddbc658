"""Switching a professional off, by name: a coordinator or admin picks the person (typing part of a name
when the list is long), then confirms. Nobody needs to know a Telegram number."""

from __future__ import annotations

from flows.model import Flow, Kind, Step
from flows.text import N_

DEACTIVATE = Flow(
    id="deactivate",
    steps=(
        Step(
            id="person",
            kind=Kind.CHOICE,
            prompt=N_("Wie zet u uit? Typ een deel van de naam als de lijst lang is."),
            summary_label=N_("Persoon"),
            options_from="people",
            columns=1,
            searchable=True,
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_(
                "Deze persoon uitzetten? Die kan de bot daarna niet meer gebruiken; waakvlammen die hij of zij "
                "hield gaan naar de coördinatoren.\n\n{summary}"
            ),
        ),
    ),
)
