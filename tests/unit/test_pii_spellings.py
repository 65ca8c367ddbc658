"""The guard knows the spellings people use, and leaves ordinary Dutch numbers alone (a table: one row a case)."""

from __future__ import annotations

import pytest

from flows.pii import find

# (text, the kinds the guard must find); an empty tuple: nothing is personal data, the guard must not nag.
CASES: list[tuple[str, tuple[str, ...]]] = [
    # BSNs, however they are grouped
    ("BSN 111222333", ("bsn",)),
    ("bsn 111-222-333", ("bsn",)),
    ("111.222.333", ("bsn",)),
    ("111/222/333", ("bsn",)),
    ("111 222 333", ("bsn",)),
    ("1112 22 333", ("bsn",)),
    ("sofinummer: 123456782", ("bsn",)),
    ("op 12-11 111222333 gezien", ("bsn",)),
    # IBANs, with spaces, hyphens or none
    ("NL91ABNA0417164300", ("iban",)),
    ("NL91 ABNA 0417 1643 00", ("iban",)),
    ("NL91-ABNA-0417-1643-00", ("iban",)),
    ("rekening nl91abna0417164300 van zijn zus", ("iban",)),
    ("DE89 3704 0044 0532 0130 00", ("iban",)),
    # dates of birth
    ("geboren 1980-02-01", ("birthdate",)),
    ("01-02-1980", ("birthdate",)),
    ("geboren 1 februari 1980", ("birthdate",)),
    ("geb. 3-4-2015", ("birthdate",)),
    ("geboortedatum: 12/05/1975", ("birthdate",)),
    ("geboren op 7 okt 1962", ("birthdate",)),
    ("1955.03.09", ("birthdate",)),
    # e-mail addresses, also written around the @
    ("jan@example.nl", ("email",)),
    ("jan [at] example.nl", ("email",)),
    ("jan (at) example (dot) nl", ("email",)),
    ("jan at example dot nl", ("email",)),
    ("j.de.vries{at}gemeente.nl", ("email",)),
    ("mail naar jan[apenstaartje]example.nl", ("email",)),
    # phone numbers
    ("06-12345678", ("phone",)),
    ("06 1234 5678", ("phone",)),
    ("+31 6 12345678", ("phone",)),
    ("0592 123456", ("phone",)),
    ("(050) 123 4567", ("phone",)),
    ("bel 0031 6 12345678", ("phone",)),
    # more than one at once
    ("BSN 111-222-333, tel 06-12345678", ("bsn", "phone")),
    # Dutch numbers that are NOT personal data
    ("Postcode 9401 AB", ()),
    ("postcodegebied 9401", ()),
    ("huurachterstand € 1.234,56", ()),
    ("schuld van 12.500 euro", ()),
    ("sinds 12-11-2026 overlast", ()),
    ("op 3 december 2026 weer geschreeuw", ()),
    ("vorige week, 2026-11-26, politie ter plaatse", ()),
    ("zaaknummer 2026-123456", ()),
    ("dossier Z-2026-0042", ()),
    ("BVH-registratie 2026112612345", ()),
    ("om 22:00 harde muziek", ()),
    ("3 keer per week, 2 kinderen", ()),
    ("flat 4e verdieping, portiek 12", ()),
    ("al 15 jaar bekend bij de GGD", ()),
    ("meldcode 5 stappen gevolgd", ()),
    ("kamer 1.23 in het gemeentehuis", ()),
    ("energierekening 2025: 1.850 euro", ()),
    ("hij is 82 jaar", ()),
    ("sinds 2019 alleen", ()),
    ("lijn 6 naar het centrum", ()),
    ("Actium-dossier 456 789", ()),
    ("week 48 en week 49", ()),
    ("18-22 uur overlast", ()),
    ("3/4 van de tijd niet thuis", ()),
    ("temperatuur 35.5 graden in huis", ()),
    ("incasso 2x gestorneerd, 3e aanmaning", ()),
    ("huisnummer weggelaten, 12 woningen in het blok", ()),
    ("zij stuurde 112 een melding", ()),
    ("wij zijn at home geweest", ()),
    ("punt 3 van het plan", ()),
]


def test_the_table_is_half_personal_data_and_half_ordinary_numbers() -> None:
    positive = [c for c in CASES if c[1]]
    assert len(CASES) >= 60 and len(CASES) - len(positive) >= 30


@pytest.mark.parametrize(("text", "kinds"), CASES, ids=[c[0] for c in CASES])
def test_the_guard_finds_what_is_there_and_nothing_else(text: str, kinds: tuple[str, ...]) -> None:
    assert tuple(f.kind for f in find(text)) == kinds
