"""The personal-data guard: what it must catch, and how rarely it may cry wolf."""

from __future__ import annotations

import random
import string

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as iban_number
from stdnum.iso7064 import mod_97_10
from stdnum.nl import bsn as bsn_number

from flows.pii import find, redact

FALSE_ALARM_CEILING = 0.01  # at most 1 in 100 ordinary descriptions may trigger a warning

filler = st.text(alphabet=string.ascii_letters + " ,.;:!?()-'", max_size=40)


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    """Nine digits passing the elfproef: 9·d1 + 8·d2 + … + 2·d8 − d9 ≡ 0 (mod 11)."""
    digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    total = sum((9 - i) * d for i, d in enumerate(digits))
    check = total % 11
    if check == 10:  # no digit makes this one valid
        digits[-1] = (digits[-1] + 1) % 10
        total = sum((9 - i) * d for i, d in enumerate(digits))
        check = total % 11
    assume(check != 10 and any(digits))
    number = "".join(map(str, digits)) + str(check)
    assert bsn_number.is_valid(number)
    return number


@st.composite
def valid_ibans(draw: st.DrawFn) -> str:
    bank = draw(st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4))
    account = draw(st.text(alphabet=string.digits, min_size=10, max_size=10))
    bban = bank + account
    number = "NL" + mod_97_10.calc_check_digits(bban + "NL") + bban
    assert iban_number.is_valid(number)
    if draw(st.booleans()):
        number = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return number


@settings(max_examples=300)
@given(before=filler, bsn=valid_bsns(), after=filler)
def test_every_valid_bsn_is_caught(before: str, bsn: str, after: str) -> None:
    text = f"{before} {bsn} {after}"
    assert "bsn" in {f.kind for f in find(text)}
    assert bsn not in redact(text, find(text))


@settings(max_examples=300)
@given(before=filler, iban=valid_ibans(), after=filler)
def test_every_valid_iban_is_caught(before: str, iban: str, after: str) -> None:
    text = f"{before} {iban} {after}"
    kinds = [f.kind for f in find(text) if f.kind == "iban"]
    assert kinds == ["iban"]
    assert iban not in redact(text, find(text))


@given(st.text(alphabet=string.ascii_letters + " ,.\n", max_size=300))
def test_text_without_digits_or_at_signs_never_alarms(text: str) -> None:
    assert find(text) == []


def test_ordinary_descriptions_rarely_alarm() -> None:
    """Realistic signal texts full of numbers (times, counts, house numbers, postcodes, years)."""
    rng = random.Random(20261123)
    templates = [
        "Sinds {y} {n} keer per week overlast rond {h}:{m} uur, huisnummer {n2}.",
        "Bewoner van {n2}-hoog, postcode {pc} {l}, {n} maanden huurachterstand van {n3} euro.",
        "Op {d}-{mo}-{yy} gesprek gehad, {n} zakken afval in de tuin, {n3} meter van de school.",
        "Melding {n3}{n3} bij de politie, zaaknummer {n4}, afspraak om {h}.{m} uur in week {w}.",
        "Al {n} jaar bekend, kamer {n2}, flat {n3}, {n}e verdieping.",
    ]
    alarms = 0
    samples = 2000
    for _ in range(samples):
        text = rng.choice(templates).format(
            y=rng.randint(2010, 2026),
            yy=rng.randint(2020, 2026),
            n=rng.randint(1, 9),
            n2=rng.randint(1, 250),
            n3=rng.randint(100, 9999),
            n4=rng.randint(10_000_000, 99_999_999),
            h=rng.randint(0, 23),
            m=f"{rng.randint(0, 59):02d}",
            pc=rng.randint(1000, 9999),
            l="".join(rng.choices(string.ascii_uppercase, k=2)),
            d=rng.randint(1, 28),
            mo=rng.randint(1, 12),
            w=rng.randint(1, 52),
        )
        alarms += bool(find(text))
    print(f"false alarms: {alarms} of {samples}")
    assert alarms / samples <= FALSE_ALARM_CEILING, f"{alarms} false alarms in {samples}"


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("bel hem op 06-12345678", "phone", "06-12345678"),
        ("vast nummer 0592 123456", "phone", "0592 123456"),
        ("+31 6 1234 5678 is zijn nummer", "phone", "+31 6 1234 5678"),
        ("mail j.de.vries@example.nl", "email", "j.de.vries@example.nl"),
        ("geb. 12-03-1985", "birthdate", "12-03-1985"),
        ("geboren 4 mei 1950", "birthdate", "4 mei 1950"),
        ("geboortedatum: 1/2/2012", "birthdate", "1/2/2012"),
        ("BSN 1112.22.333", "bsn", "1112.22.333"),
        ("woont op 9401 AB 12a, tweede etage", "address", "9401 AB 12a"),
        ("adres 9401AB 7", "address", "9401AB 7"),
    ],
)
def test_each_kind_is_found(text: str, kind: str, found: str) -> None:
    assert [(f.kind, f.text) for f in find(text)] == [(kind, found)]


@pytest.mark.parametrize(
    "text",
    [
        "sinds 3-11-2026 elke avond",
        "123456789 is geen BSN",
        "NL91ABNA0417164301",
        "afspraak 12-03-2024",
        "31-02-1980",
    ],
)
def test_near_misses_are_left_alone(text: str) -> None:
    assert find(text) == []


def test_redaction_replaces_each_finding_and_keeps_the_rest() -> None:
    text = "BSN 111222333, tel 06-12345678, mail a@b.nl, IBAN NL91 ABNA 0417 1643 00, geb. 1-1-1950."
    assert (
        redact(text, find(text))
        == "BSN [BSN], tel [telefoon], mail [e-mail], IBAN [IBAN], geb. [geboortedatum]."
    )


def test_findings_are_shown_masked() -> None:
    assert [f.masked for f in find("BSN 111222333")] == ["11…33"]


def test_a_postcode_alone_is_no_address_but_with_its_house_number_it_is() -> None:
    assert find("postcode 9401 AB, 3 maanden achterstand") == []
    assert find("9401 AB") == [] and find("huisnummer 12, 2 hoog") == []
    assert [f.kind for f in find("bewoner van 9401 AB 12")] == ["address"]
