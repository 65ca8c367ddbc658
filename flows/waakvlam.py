"""The waakvlam conversations, as data: setting up an agreement, a worrying check-in, changes, the end."""

from __future__ import annotations

from flows.intake import CATEGORIES, GEMEENTE, MATCH_KEY, REFERENCE_LIMIT
from flows.model import Flow, Kind, MaxLength, Option, Pattern, Step, When
from flows.state import number
from flows.text import N_

NO_CATEGORY = "none"
NOTHING = "-"
RHYTHMS: tuple[Option, ...] = (
    Option("d3", N_("Elke 3 dagen")),
    Option("w1", N_("Elke week")),
    Option("w2", N_("Elke 2 weken")),
    Option("w4", N_("Elke 4 weken")),
    Option("days", N_("Ander aantal dagen")),
    Option("weekdays", N_("Op vaste weekdagen")),
)
WEEKDAYS: tuple[Option, ...] = (
    Option("0", N_("ma")),
    Option("1", N_("di")),
    Option("2", N_("wo")),
    Option("3", N_("do")),
    Option("4", N_("vr")),
    Option("5", N_("za")),
    Option("6", N_("zo")),
)
MONTHS: tuple[Option, ...] = (
    Option("3", N_("3 maanden")),
    Option("6", N_("6 maanden (gebruikelijk)")),
    Option("12", N_("12 maanden")),
)
END_REASONS: tuple[Option, ...] = (
    Option("going_well", N_("Het gaat goed, niet meer nodig")),
    Option("care", N_("Hulp is (weer) gestart")),
    Option("moved", N_("Bewoner is verhuisd")),
    Option("declined", N_("Bewoner wil geen contact meer")),
    Option("other", N_("Anders")),
)

OWNER = Step(
    id="owner",
    kind=Kind.CHOICE,
    prompt=N_("Wie houdt contact met de bewoner? Die persoon wordt gevraagd het te accepteren."),
    summary_label=N_("Contactpersoon"),
    options_from="owners",
    columns=1,
    searchable=True,
)
RHYTHM_STEPS: tuple[Step, ...] = (
    Step(
        id="rhythm",
        kind=Kind.CHOICE,
        prompt=N_("Hoe vaak is er contact? Op die dagen vraagt de bot hoe het gaat."),
        summary_label=N_("Ritme"),
        options=RHYTHMS,
        columns=2,
    ),
    Step(
        id="every_days",
        kind=Kind.TEXT,
        prompt=N_("Om de hoeveel dagen? Stuur een getal van 1 tot 90."),
        summary_label=N_("Aantal dagen"),
        validators=(
            Pattern(r"[1-9]|[1-8][0-9]|90", N_("Stuur alleen een getal van 1 tot 90, bijvoorbeeld 10.")),
        ),
        skip_unless=When("rhythm", "days"),
    ),
    Step(
        id="weekdays",
        kind=Kind.MULTI,
        prompt=N_("Op welke dagen? Kies één of meer en tik dan op Klaar."),
        summary_label=N_("Dagen"),
        options=WEEKDAYS,
        columns=4,
        skip_unless=When("rhythm", "weekdays"),
    ),
)

AGREEMENT = Flow(
    id="waakvlam",
    steps=(
        Step(
            id="resident_ref",
            kind=Kind.TEXT,
            prompt=N_(
                "Welke eigen referentie heeft de bewoner (dossiernummer of initialen)? Geen naam of BSN."
            ),
            summary_label=N_("Referentie"),
            validators=(MaxLength(REFERENCE_LIMIT),),
            guard=True,
        ),
        GEMEENTE,
        OWNER,
        *RHYTHM_STEPS,
        Step(
            id="months",
            kind=Kind.CHOICE,
            prompt=N_("Hoe lang loopt de waakvlam?"),
            summary_label=N_("Looptijd"),
            options=MONTHS,
            columns=1,
        ),
        Step(
            id="sign_categories",
            kind=Kind.MULTI,
            prompt=N_("Wat telt als waarschuwingsteken? Kies één of meer en tik dan op Klaar."),
            summary_label=N_("Waarschuwingstekens"),
            options=(*CATEGORIES, Option(NO_CATEGORY, N_("Geen categorie, alleen een beschrijving"))),
        ),
        Step(
            id="signs",
            kind=Kind.TEXT,
            prompt=N_(
                "Beschrijf kort waaraan u terugval herkent, bijvoorbeeld: de post stapelt zich op. "
                "Niets toe te voegen? Tik op Overslaan."
            ),
            optional=True,
            summary_label=N_("Beschrijving"),
            validators=(MaxLength(300),),
            guard=True,
        ),
        Step(
            id="return_desk",
            kind=Kind.CHOICE,
            prompt=N_("Naar welk meldpunt gaat een signaal bij terugval?"),
            summary_label=N_("Bij terugval naar"),
            options_from="desks",
            columns=1,
        ),
        MATCH_KEY,  # samenloop (bot/samenloop): optional, made a keyed pseudonym on the form's server
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_(
                "Klopt deze waakvlam? Tik op Versturen; de contactpersoon wordt gevraagd.\n\n{summary}"
            ),
        ),
    ),
)

WORRY = Flow(
    id="waakvlam_worry",
    steps=(
        Step(
            id="categories",
            kind=Kind.MULTI,
            prompt=N_("Wat ziet u nu? Kies één of meer en tik dan op Klaar."),
            options=CATEGORIES,
            summary_label=N_("Gezien"),
        ),
        Step(
            id="worry",
            kind=Kind.TEXT,
            prompt=N_(
                "Wat baart u zorgen? Beschrijf kort wat u zag of hoorde. Het meldpunt krijgt het direct, "
                "met de geschiedenis erbij."
            ),
            summary_label=N_("Zorgen"),
            validators=(MaxLength(1000),),
            guard=True,
        ),
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_(
                "Terugval melden bij {desk}? Tik op Versturen; het meldpunt krijgt het direct, met de "
                "geschiedenis erbij.\n\n{summary}"
            ),
            prompt_params=("desk",),
        ),
    ),
)

CHANGE_RHYTHM = Flow(id="waakvlam_rhythm", steps=RHYTHM_STEPS)
CHANGE_OWNER = Flow(id="waakvlam_owner", steps=(OWNER,))
END = Flow(
    id="waakvlam_end",
    steps=(
        Step(
            id="reason",
            kind=Kind.CHOICE,
            prompt=N_("Waarom stopt deze waakvlam?"),
            options=END_REASONS,
            columns=1,
        ),
    ),
)
PAUSE_REASONS: tuple[Option, ...] = (
    Option("in_care", N_("Bewoner is tijdelijk opgenomen of in zorg")),
    Option("away", N_("Bewoner is tijdelijk weg")),
    Option("owner_away", N_("Contactpersoon is tijdelijk afwezig")),
    Option("other", N_("Anders")),
)
PAUSE = Flow(
    id="waakvlam_pause",
    steps=(
        Step(
            id="reason",
            kind=Kind.CHOICE,
            prompt=N_("Waarom pauzeert u deze waakvlam? Tot hij wordt hervat gaan er geen vragen uit."),
            options=PAUSE_REASONS,
            columns=1,
        ),
    ),
)
FLOWS = (AGREEMENT, WORRY, CHANGE_RHYTHM, CHANGE_OWNER, END, PAUSE)


def rhythm_of(answers: dict[str, str | list[str]]) -> str:
    """The stored rhythm ('d:N' or 'wd:0,3') for the answers of the rhythm steps."""
    choice = answers.get("rhythm")
    fixed = {"d3": 3, "w1": 7, "w2": 14, "w4": 28}
    if isinstance(choice, str) and choice in fixed:
        return f"d:{fixed[choice]}"
    if choice == "days":
        return f"d:{number(answers, 'every_days')}"
    days = answers.get("weekdays", [])
    return "wd:" + ",".join(days if isinstance(days, list) else [days])
