"""Find personal data that does not belong in a signal's free text, and redact it.

Pure functions over a string: BSNs (9 digits passing the elfproef), IBANs (with their checksum),
Dutch phone numbers, e-mail addresses and dates of birth.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from stdnum import iban as iban_number
from stdnum.nl import bsn as bsn_number

from flows.text import N_

LABELS = {
    "bsn": N_("BSN"),
    "iban": N_("IBAN"),
    "phone": N_("telefoonnummer"),
    "email": N_("e-mailadres"),
    "birthdate": N_("geboortedatum"),
}
PLACEHOLDERS = {
    "bsn": "[BSN]",
    "iban": "[IBAN]",
    "phone": "[telefoon]",
    "email": "[e-mail]",
    "birthdate": "[geboortedatum]",
}
# Dates this long ago in a signal are nearly always a date of birth, not an event.
OLD_DATE_BEFORE_YEAR = 2010
MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}

_BSN = re.compile(r"(?<![\d.])(\d{9}|\d{3}[ .]\d{3}[ .]\d{3}|\d{4}[ .]\d{2}[ .]\d{3})(?![\d])")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2}) (" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.? (\d{4})(?!\d)", re.I
)
_BIRTH_MARKER = re.compile(r"(geb\.?|geboren|geboortedatum|dob|born)\W{0,3}$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        """Enough to recognise it, not enough to copy it."""
        compact = self.text.replace(" ", "")
        return compact[:2] + "…" + compact[-2:] if len(compact) > 5 else "…"


def find(text: str) -> list[Finding]:
    """Return the personal data found in `text`, in order, without overlaps."""
    found: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        if not any(f.start < end and start < f.end for f in found):
            found.append(Finding(kind, start, end, text[start:end]))

    for m in _IBAN.finditer(text):
        span = _valid_iban_prefix(text, m.start(), m.end())
        if span:
            add("iban", *span)
    for m in _BSN.finditer(text):
        if bsn_number.is_valid(re.sub(r"\D", "", m.group(1))):
            add("bsn", m.start(1), m.end(1))
    for m in _EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in _NUMERIC_DATE.finditer(text):
        if _birthdate(text, m.start(), int(m.group(1)), int(m.group(2)), int(m.group(3))):
            add("birthdate", m.start(), m.end())
    for m in _WORD_DATE.finditer(text):
        month = MONTHS[m.group(2).lower()]
        if _birthdate(text, m.start(), int(m.group(1)), month, int(m.group(3))):
            add("birthdate", m.start(), m.end())
    for phone in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        add("phone", phone.start, phone.end)
    return sorted(found, key=lambda f: f.start)


def redact(text: str, findings: list[Finding]) -> str:
    """Replace each finding by a placeholder such as [BSN]."""
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: f.start] + PLACEHOLDERS[f.kind] + text[f.end :]
    return text


def _valid_iban_prefix(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest valid IBAN at the start of a candidate: the pattern may swallow a following word."""
    candidate = text[start:end]
    for cut in range(len(candidate), 14, -1):
        at_boundary = cut == len(candidate) or candidate[cut] == " "
        if at_boundary and iban_number.is_valid(candidate[:cut]):
            return start, start + cut
    return None


def _birthdate(text: str, start: int, day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    marked = _BIRTH_MARKER.search(text[max(0, start - 20) : start]) is not None
    return 1900 <= year and (marked or year < OLD_DATE_BEFORE_YEAR)
