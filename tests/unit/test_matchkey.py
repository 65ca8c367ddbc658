"""Samenloop's match key and its keyed pseudonym: how a key may be typed, that it is the same however it was
typed, that another region's (another data key's) pseudonym differs, and that a key rotation still finds
what was stored before."""

from __future__ import annotations

import pytest

from flows import matchkey
from storage.crypto import PSEUDONYM, Cipher, new_key

DEFAULT = ("postcode", "huisnummer", "geboortejaar")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9401 AB, 12a, 1961", "postcode=9401AB|huisnummer=12A|geboortejaar=1961"),
        ("9401ab 12 A 1961", "postcode=9401AB|huisnummer=12A|geboortejaar=1961"),
        (" 9401AB;12-a;1961 ", "postcode=9401AB|huisnummer=12A|geboortejaar=1961"),
        ("9401 AB 12 1961", "postcode=9401AB|huisnummer=12|geboortejaar=1961"),
        ("9401 AB 12 - 2 1961", "postcode=9401AB|huisnummer=12-2|geboortejaar=1961"),  # not 122
        ("9401 12 1961", None),  # no letters: not a postcode
        ("1961 9401 AB 12", None),  # another order
        ("9401 AB 12", None),  # a field missing
        ("9401 AB 12 61", None),  # not a year
        ("9401 AB 12 1961 extra", None),
        ("x" * 100, None),
    ],
)
def test_a_match_key_is_read_in_the_region_files_order(typed: str, expected: str | None) -> None:
    assert matchkey.normalise(DEFAULT, typed) == expected


def test_other_fields_the_region_file_may_name() -> None:
    fields = ("geboortedatum", "initialen")
    assert matchkey.normalise(fields, "1-3-1961 J.P.") == "geboortedatum=01-03-1961|initialen=JP"
    assert matchkey.example(fields) == "14-03-1961, J.P."


def test_the_pseudonym_is_the_same_however_typed_differs_per_key_and_survives_a_rotation() -> None:
    old, new = new_key(), new_key()
    region = Cipher([old])
    key = matchkey.normalise(DEFAULT, "9401 AB, 12a, 1961")
    same = matchkey.normalise(DEFAULT, "9401ab 12 A 1961")
    assert key is not None and key == same
    [stored] = region.pseudonyms(key)
    assert stored.startswith(PSEUDONYM) and "9401" not in stored and "1961" not in stored
    assert region.pseudonyms(key) == [stored]  # keyed, not random: the same key, the same pseudonym
    other_key = matchkey.normalise(DEFAULT, "9401 AB, 12b, 1961")
    assert other_key is not None and region.pseudonyms(other_key) != [stored]
    assert Cipher([new]).pseudonyms(key) != [stored]  # another region's (another key's) secret
    # After a rotation the new key's pseudonym comes first (stored from now on); the old one still finds
    # what was stored before.
    rotated = Cipher([new, old]).pseudonyms(key)
    assert rotated[0] == Cipher([new]).pseudonyms(key)[0] and rotated[1] == stored
