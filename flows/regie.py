"""Regie, asked privately: who becomes the resident's regisseur (found by typing part of a name), a last look;
and the reason, chosen, when the one asked declines."""

from __future__ import annotations

from flows.closing import bottleneck_step
from flows.intake import MATCH_KEY
from flows.model import Flow, Kind, MaxLength, Option, Step
from flows.text import N_


def choices(labels: dict[str, str]) -> tuple[Option, ...]:
    """A choice's options from a table of code → label (the tables below are also read to show a code)."""
    return tuple(Option(code, label) for code, label in labels.items())


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
        MATCH_KEY,  # samenloop (bot/samenloop): optional, made a keyed pseudonym on the form's server
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
            options=choices(DECLINE_REASONS),
            columns=1,
        ),
    ),
)

# Why a plan line did not work out; the same list as the kinds of system bottleneck a bestuurder can act on.
LINE_REASONS: dict[str, str] = {
    "waiting_list": N_("Wachtlijst"),
    "no_fitting_care": N_("Geen passende zorg"),
    "funding": N_("Financiering of indicatie"),
    "resident_refuses": N_("Bewoner wil niet"),
    "no_contact": N_("Geen contact met de bewoner"),
    "other": N_("Andere reden"),
}
WEEKS: tuple[Option, ...] = (
    Option("1", N_("Over 1 week")),
    Option("2", N_("Over 2 weken")),
    Option("4", N_("Over 4 weken")),
    Option("8", N_("Over 8 weken")),
)
WHAT_LIMIT = 300

PLAN_LINE = Flow(
    id="regie_plan_line",
    steps=(
        Step(
            id="owner",
            kind=Kind.CHOICE,
            prompt=N_(
                "Planregel voor regie {regie}: wie doet het? Een persoon, of een organisatie (wie daar het eerst "
                "accepteert). Wie u kiest, wordt privé gevraagd het te accepteren."
            ),
            summary_label=N_("Wie"),
            options_from="people",
            columns=1,
            searchable=True,
            prompt_params=("regie",),
        ),
        Step(
            id="what",
            kind=Kind.TEXT,
            prompt=N_("Wat gaat diegene doen? Kort, op het formulier van de bot."),
            summary_label=N_("Wat"),
            validators=(MaxLength(WHAT_LIMIT),),
            guard=True,
        ),
        Step(
            id="weeks",
            kind=Kind.CHOICE,
            prompt=N_(
                "Wanneer moet het klaar zijn? Is het dan niet gemeld als gedaan, dan vraagt de bot of het nog loopt."
            ),
            summary_label=N_("Klaar"),
            options=WEEKS,
            columns=2,
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Deze planregel toevoegen aan regie {regie}? Tik op Versturen.\n\n{summary}"),
            prompt_params=("regie",),
        ),
    ),
)

LINE_NOT_DONE = Flow(
    id="regie_line_not_done",
    steps=(
        Step(
            id="reason",
            kind=Kind.CHOICE,
            prompt=N_("Waarom lukt planregel {seq} niet? De regisseur hoort de reden."),
            options=choices(LINE_REASONS),
            columns=1,
            prompt_params=("seq",),
        ),
    ),
)

CLOSE_OUTCOMES: dict[str, str] = {
    "solved": N_("Opgelost: de hulp loopt"),
    "partly": N_("Deels opgelost"),
    "not_needed": N_("Regie is niet meer nodig"),
}

CLOSE = Flow(
    id="regie_close",
    steps=(
        Step(
            id="outcome",
            kind=Kind.CHOICE,
            prompt=N_(
                "Regie {regie} afsluiten: is er een oplossing die werkt? Over vier weken vraagt de bot u of "
                "die standhoudt."
            ),
            summary_label=N_("Uitkomst"),
            options=choices(CLOSE_OUTCOMES),
            columns=1,
            prompt_params=("regie",),
        ),
        bottleneck_step(),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Regie {regie} afsluiten? Tik op Versturen.\n\n{summary}"),
            prompt_params=("regie",),
        ),
    ),
)

ESCALATION_REASONS: dict[str, str] = {
    "disagreement": N_("Organisaties zijn het niet eens"),
    "waiting_list": N_("Wachtlijst"),
    "funding": N_("Financiering of indicatie"),
    "risk_rising": N_("Het risico neemt toe"),
    "stalled": N_("Het loopt vast"),
    "other": N_("Andere reden"),
}
BACK_REASONS: dict[str, str] = {
    "lower_first": N_("Eerst op het niveau eronder oplossen"),
    "information": N_("Er ontbreekt informatie"),
    "not_our_role": N_("Niet onze rol"),
    "other": N_("Andere reden"),
}

RAISE = Flow(
    id="escalation_raise",
    steps=(
        Step(
            id="reason",
            kind=Kind.CHOICE,
            prompt=N_("{subject} opschalen: waarom? Opschalen is een professionele plicht, geen falen."),
            summary_label=N_("Reden"),
            options=choices(ESCALATION_REASONS),
            columns=1,
            prompt_params=("subject",),
        ),
        Step(
            id="note",
            kind=Kind.TEXT,
            prompt=N_("Wat moet de volgende trede weten? Kort, op het formulier; mag leeg."),
            summary_label=N_("Toelichting"),
            validators=(MaxLength(WHAT_LIMIT),),
            guard=True,
            optional=True,
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("{subject} opschalen naar {rung}? Tik op Versturen.\n\n{summary}"),
            prompt_params=("subject", "rung"),
        ),
    ),
)

SOLVE = Flow(
    id="escalation_solve",
    steps=(
        Step(
            id="acts",
            kind=Kind.CHOICE,
            prompt=N_("Los op ({escalation}): wie pakt het op?"),
            summary_label=N_("Wie pakt het op"),
            options_from="people",
            columns=1,
            searchable=True,
            prompt_params=("escalation",),
        ),
        Step(
            id="decision",
            kind=Kind.TEXT,
            prompt=N_("Wat is het besluit? Kort, op het formulier."),
            summary_label=N_("Besluit"),
            validators=(MaxLength(WHAT_LIMIT),),
            guard=True,
        ),
        bottleneck_step(),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Dit besluit nemen over {escalation}? Tik op Versturen.\n\n{summary}"),
            prompt_params=("escalation",),
        ),
    ),
)

SEND_BACK = Flow(
    id="escalation_back",
    steps=(
        # Afschalen: back to whoever raised it, or to a lower rung that decides again (asked only when
        # there is a lower rung with anyone on it).
        Step(
            id="to",
            kind=Kind.CHOICE,
            prompt=N_("Terug ({escalation}): naar wie? Een lagere trede besluit dan opnieuw."),
            summary_label=N_("Naar"),
            options_from="down",
            prefill_single=True,
            columns=1,
            prompt_params=("escalation",),
        ),
        Step(
            id="why",
            kind=Kind.CHOICE,
            prompt=N_("Terug ({escalation}): waarom? Wie opschaalde hoort het."),
            options=choices(BACK_REASONS),
            columns=1,
            prompt_params=("escalation",),
        ),
    ),
)
