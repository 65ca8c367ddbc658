"""The intake of an early signal, as data: one question at a time, buttons wherever possible."""

from __future__ import annotations

from flows.model import Flow, Kind, MaxLength, Option, Pattern, Step, When
from flows.text import N_

ACUTE = "acute"
DESCRIPTION_LIMIT = 1000
REFERENCE_LIMIT = 40

# Category values are stable identifiers: the region file's routing rules and the regional counts use them.
CATEGORIES: tuple[Option, ...] = (
    Option("confused", N_("Verward of zorgwekkend gedrag")),
    Option("nuisance", N_("Overlast")),
    Option("self_neglect", N_("Zelfverwaarlozing of vervuiling")),
    Option("care_avoidance", N_("Zorgmijding")),
    Option("domestic_violence", N_("Huiselijk geweld of kindermishandeling")),
    Option("stalking", N_("Stalking of bedreiging")),
    Option("debts", N_("Schulden of betalingsachterstand")),
    Option("eviction", N_("Dreigende huisuitzetting")),
    Option("loneliness", N_("Eenzaamheid")),
    Option("other", N_("Anders")),
)
CATEGORY_VALUES = frozenset(o.value for o in CATEGORIES)

YES_NO = (Option("yes", N_("Ja")), Option("no", N_("Nee")))
YES_NO_UNKNOWN = (*YES_NO, Option("unknown", N_("Weet ik niet")))

# Which gemeente: the user's own, answered by itself when there is only one (the waakvlam flow asks it too).
GEMEENTE = Step(
    id="gemeente",
    kind=Kind.CHOICE,
    prompt=N_("In welke gemeente woont de bewoner?"),
    summary_label=N_("Gemeente"),
    options_from="gemeenten",
    columns=2,
    prefill_single=True,
)

POSTCODE_AREA = r"[0-9]{4}"
WIJK = r"[^0-9@]*[a-zà-ÿ][^0-9@]*"
WIJK_NAMED = r"[^0-9@,]*[a-zà-ÿ]{3}[^0-9@,]*"  # beside digits: a name, not the letters of a postcode

# Samenloop (bot/samenloop): optional; typed on the form, never stored, made a keyed pseudonym at once.
MATCH_KEY = Step(
    id="match_key",
    kind=Kind.TEXT,
    prompt=N_(
        "Samenloop: kent een andere organisatie deze bewoner al? Vul dan op het formulier de gegevens in "
        "die de regio daarvoor vraagt (bijvoorbeeld postcode, huisnummer en geboortejaar). Ze worden niet "
        "bewaard: de server maakt er meteen een code van. Of tik op Overslaan."
    ),
    summary_label=N_("Samenloop"),
    optional=True,
    match_key=True,
)

INTAKE = Flow(
    id="intake",
    steps=(
        # Acute danger is always asked first, before anything else (also before the gemeente of someone
        # who works in several): "bel 112" must never wait behind a question.
        Step(
            id="acute",
            kind=Kind.CHOICE,
            prompt=N_("Is er nu acuut gevaar voor de bewoner of voor anderen?"),
            options=YES_NO,
            ends={"yes": ACUTE},
        ),
        GEMEENTE,
        Step(
            id="categories",
            kind=Kind.MULTI,
            prompt=N_("Wat heeft u gezien? Kies één of meer en tik dan op Klaar."),
            summary_label=N_("Gezien"),
            options=CATEGORIES,
        ),
        Step(
            id="resident_ref",
            kind=Kind.TEXT,
            prompt=N_(
                "Geef de bewoner een eigen korte referentie (bijvoorbeeld uw dossiernummer of initialen). "
                "Geen naam of BSN."
            ),
            summary_label=N_("Referentie"),
            validators=(MaxLength(REFERENCE_LIMIT),),
            guard=True,
        ),
        Step(
            id="area",
            kind=Kind.TEXT,
            prompt=N_("In welke wijk, of welk postcodegebied (4 cijfers), woont de bewoner?"),
            summary_label=N_("Wijk of postcode"),
            validators=(
                MaxLength(60),
                # A wijk, the 4 digits of a postcode area, or both ("Assen-Oost, 9401"); never the letters
                # of a full postcode or a house number: those point at a street or a door.
                Pattern(
                    rf"{POSTCODE_AREA}|{WIJK}|{WIJK_NAMED}[ ,]+{POSTCODE_AREA}|{POSTCODE_AREA}[ ,]+{WIJK_NAMED}",
                    N_(
                        "Geef de wijk, de 4 cijfers van de postcode of allebei (bijvoorbeeld Assen-Oost, 9401), "
                        "zonder huisnummer of de letters van de postcode."
                    ),
                ),
            ),
            guard=True,
        ),
        Step(
            id="description",
            kind=Kind.TEXT,
            prompt=N_("Beschrijf kort wat u zag of hoorde, en sinds wanneer."),
            summary_label=N_("Beschrijving"),
            validators=(MaxLength(DESCRIPTION_LIMIT),),
            guard=True,
            multiline=True,
        ),
        Step(
            id="care_involved",
            kind=Kind.CHOICE,
            prompt=N_("Is er al zorg of hulpverlening betrokken?"),
            summary_label=N_("Zorg betrokken"),
            options=YES_NO_UNKNOWN,
        ),
        Step(
            id="care_orgs",
            kind=Kind.TEXT,
            prompt=N_("Welke organisaties zijn al betrokken?"),
            summary_label=N_("Betrokken organisaties"),
            validators=(MaxLength(200),),
            skip_unless=When("care_involved", "yes"),
            guard=True,
        ),
        Step(
            id="resident_knows",
            kind=Kind.CHOICE,
            prompt=N_("Is de bewoner op de hoogte van dit signaal?"),
            summary_label=N_("Bewoner op de hoogte"),
            options=YES_NO,
        ),
        # For the desk (a case across gemeente borders may go to the Zorg- en Veiligheidshuis) and the
        # regiobeeld's count; which other gemeente is not asked (the minimum about a resident).
        Step(
            id="elsewhere",
            kind=Kind.CHOICE,
            prompt=N_(
                "Speelt dit ook in een andere gemeente? Bijvoorbeeld na een verhuizing, of met familie of "
                "overlast elders."
            ),
            summary_label=N_("Ook andere gemeente"),
            options=YES_NO_UNKNOWN,
        ),
        MATCH_KEY,
        Step(
            id="confirm",
            kind=Kind.CONFIRM,
            prompt=N_("Klopt dit? Tik op Versturen, of ga terug om iets te verbeteren.\n\n{summary}"),
        ),
    ),
)
