"""A match key (samenloop): the few facts two organisations may both know of a resident, typed on the form in
the order the region file names them, made into one canonical string. Pure; the string is never stored: the
server turns it at once into a keyed pseudonym (storage/crypto.py, bot/samenloop)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from flows.text import N_

# Each field: what may be typed, and its one canonical form (case, spaces and dashes do not matter).
_FIELDS: dict[str, tuple[str, Callable[[str], str]]] = {
    "postcode": (r"\d{4}\s?[a-z]{2}", lambda v: re.sub(r"\s", "", v).upper()),
    "huisnummer": (
        r"\d{1,5}(?:\s?-?\s?[a-z]{1,3}|\s?-\s?\d{1,4})?",
        lambda v: re.sub(r"-(?=[A-Z])", "", re.sub(r"\s", "", v).upper()),  # 12-a is 12A; 12-2 is not 122
    ),
    "geboortejaar": (r"(?:19|20)\d{2}", str),
    "geboortedatum": (
        r"\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}",
        lambda v: "-".join(part.zfill(2) for part in re.split(r"[-/.]", v)),
    ),
    "initialen": (r"(?:[a-z]\.?\s?){1,5}", lambda v: re.sub(r"[^a-z]", "", v.lower()).upper()),
}
FIELDS = frozenset(_FIELDS)
EXAMPLES = {
    "postcode": "9401 AB",
    "huisnummer": "12a",
    "geboortejaar": "1961",
    "geboortedatum": "14-03-1961",
    "initialen": "J.P.",
}
WRONG = N_("Vul in, in deze volgorde: {fields}. Bijvoorbeeld: {example}.")
LIMIT = 60


def _pattern(fields: Sequence[str]) -> re.Pattern[str]:
    parts = [f"({_FIELDS[f][0]})" for f in fields]
    return re.compile(r"\s*" + r"[\s,;]+".join(parts) + r"\s*", re.IGNORECASE)


def normalise(fields: Sequence[str], text: str) -> str | None:
    """The canonical match key, field by field ("postcode=9401AB|huisnummer=12A|geboortejaar=1961"); None
    when the text does not give the fields in this order."""
    if len(text) > LIMIT:
        return None
    found = _pattern(fields).fullmatch(text)
    if found is None:
        return None
    return "|".join(f"{f}={_FIELDS[f][1](value)}" for f, value in zip(fields, found.groups(), strict=True))


def example(fields: Sequence[str]) -> str:
    """How the fields are typed, as an example ("9401 AB, 12a, 1961")."""
    return ", ".join(EXAMPLES[f] for f in fields)
