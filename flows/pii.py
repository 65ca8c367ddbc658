"""Find personal data that does not belong in a signal's free text, and redact it.

Pure functions over a string: BSNs (9 digits passing the elfproef), IBANs (with their checksum),
Dutch phone numbers, e-mail addresses, dates of birth and an address as postcode and house number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import phonenumbers
from stdnum import iban as iban_number
from stdnum.nl import bsn as bsn_number

from flows.text import N_

# What the guard names when it finds one: "een telefoonnummer", not "bijvoorbeeld [BSN]".
LABELS = {
    "bsn": N_("een BSN"),
    "iban": N_("een IBAN"),
    "phone": N_("een telefoonnummer"),
    "email": N_("een e-mailadres"),
    "birthdate": N_("een geboortedatum"),
    "address": N_("een adres (postcode en huisnummer)"),
}
PLACEHOLDERS = {
    "bsn": "[BSN]",
    "iban": "[IBAN]",
    "phone": "[telefoon]",
    "email": "[e-mail]",
    "birthdate": "[geboortedatum]",
    "address": "[adres]",
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

# Candidates only: which runs of characters might be a number. Whether one is a BSN or an IBAN is python-stdnum's
# call (its checksum, on the run with its separators taken out); a phone number is phonenumbers' call.
SEPARATORS = " .-/"
_DIGIT_RUN = re.compile(r"(?<![\w])\d+(?:[ .\-/]\d+)*(?![\w])")
_GROUP = re.compile(r"\d+")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ \-.]?[A-Z0-9]){10,30}\b", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# How people write an address so that it is not one: "jan [at] example [dot] nl", "jan(at)example.nl".
_AT = re.compile(
    r"\s*[\[({<]\s*(?:at|apenstaartje)\s*[\])}>]\s*"
    r"|\s+(?:at|apenstaartje)\s+(?=[\w-]+(?:\.|\s*[\[({<]\s*(?:dot|punt)|\s+(?:dot|punt)\s+)[a-z])",
    re.IGNORECASE,
)
_DOT = re.compile(r"\s*[\[({<]\s*(?:dot|punt)\s*[\])}>]\s*|\s+(?:dot|punt)\s+(?=[a-z]{2,}\b)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_WORD_DATE = re.compile(
    r"(?<!\d)(\d{1,2}) (" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.? (\d{4})(?!\d)", re.I
)
# A full postcode directly followed by a house number ("9401 AB 12a"): one door. A postcode alone passes.
_ADDRESS = re.compile(r"(?<![\w])\d{4}\s?[A-Z]{2}\s+\d{1,5}(?:\s?[a-zA-Z])?(?![\w-])")
_BIRTH_MARKER = re.compile(r"(geb\.?|geboren|geboortedatum|dob|born)\W{0,3}(op\W{1,3})?$", re.IGNORECASE)


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        """Enough to recognise it, not enough to copy it."""
        compact = re.sub(r"[\s.\-/]", "", self.text)
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
    for start, end in _bsn_spans(text):
        add("bsn", start, end)
    for start, end in _email_spans(text):
        add("email", start, end)
    for start, end in _birthdate_spans(text):
        add("birthdate", start, end)
    for phone in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        add("phone", phone.start, phone.end)
    for m in _ADDRESS.finditer(text):  # a door: what samenloop's match key is made of, never free text
        add("address", m.start(), m.end())
    return sorted(found, key=lambda f: f.start)


def _birthdate_spans(text: str) -> list[tuple[int, int]]:
    """Dates of birth as people write them: 12-03-1958, 1958-03-12, 12 maart 1958."""
    dated = [
        *((m, int(m.group(1)), int(m.group(2)), int(m.group(3))) for m in _NUMERIC_DATE.finditer(text)),
        *((m, int(m.group(3)), int(m.group(2)), int(m.group(1))) for m in _ISO_DATE.finditer(text)),
        *(
            (m, int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3)))
            for m in _WORD_DATE.finditer(text)
        ),
    ]
    return [
        (m.start(), m.end()) for m, day, month, year in dated if _birthdate(text, m.start(), day, month, year)
    ]


def _bsn_spans(text: str) -> list[tuple[int, int]]:
    """Nine digits that pass the elfproef, however they are grouped: 111222333, 111-222-333, 111.222.333,
    1112 22 333. A run of groups ("op 12-11 111222333") is tried window by window."""
    spans: list[tuple[int, int]] = []
    for run in _DIGIT_RUN.finditer(text):
        groups = list(_GROUP.finditer(run.group()))
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j].group()
                if len(digits) > 9:
                    break
                if len(digits) == 9 and bsn_number.is_valid(digits):
                    spans.append((run.start() + groups[i].start(), run.start() + groups[j].end()))
                    break
    return spans


def _email_spans(text: str) -> list[tuple[int, int]]:
    """Addresses, also when written around the @: "jan [at] example.nl", "jan (at) example (dot) nl"."""
    plain, where = _unobfuscated(text)
    return [(where[m.start()], where[m.end() - 1] + 1) for m in _EMAIL.finditer(plain)]


def _unobfuscated(text: str) -> tuple[str, list[int]]:
    """The text with "[at]" and "[dot]" written as @ and ., and for each of its characters the index of the
    character in `text` it came from."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    marks = sorted(
        [(m.start(), m.end(), "@") for m in _AT.finditer(text)]
        + [(m.start(), m.end(), ".") for m in _DOT.finditer(text)]
    )
    for start, end, char in marks:
        if start < pos:
            continue
        out.extend(text[pos:start])
        where.extend(range(pos, start))
        out.append(char)
        where.append(start)
        pos = end
    out.extend(text[pos:])
    where.extend(range(pos, len(text)))
    return "".join(out), where


def redact(text: str, findings: list[Finding]) -> str:
    """Replace each finding by a placeholder such as [BSN]."""
    for f in sorted(findings, key=lambda f: f.start, reverse=True):
        text = text[: f.start] + PLACEHOLDERS[f.kind] + text[f.end :]
    return text


def _valid_iban_prefix(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The longest valid IBAN at the start of a candidate: the pattern may swallow a following word."""
    candidate = text[start:end]
    for cut in range(len(candidate), 14, -1):
        at_boundary = cut == len(candidate) or candidate[cut] in SEPARATORS
        if at_boundary and iban_number.is_valid(candidate[:cut]):
            return start, start + cut
    return None


def _birthdate(text: str, start: int, day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    marked = _BIRTH_MARKER.search(text[max(0, start - 20) : start]) is not None
    return year >= 1900 and (marked or year < OLD_DATE_BEFORE_YEAR)
