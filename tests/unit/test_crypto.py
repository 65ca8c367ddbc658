"""The cipher for data at rest: AES-256-GCM tokens, older Fernet tokens still read, keys rotate."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite

from storage import crypto
from storage.crypto import Cipher, DataKeyError, new_key

OLD, NEW = new_key(), new_key()
TEXT = "Mevrouw op nr. 12 — verward, €300 schuld"


def test_a_value_round_trips_and_its_token_shows_nothing() -> None:
    cipher = Cipher([NEW])
    token = cipher.encrypt(TEXT)
    assert token.startswith("gcm:") and "Mevrouw" not in token and "verward" not in token
    assert cipher.decrypt(token) == TEXT
    assert cipher.encrypt(TEXT) != token  # a fresh nonce each time


def test_another_key_opens_nothing() -> None:
    token = Cipher([OLD]).encrypt(TEXT)
    with pytest.raises(DataKeyError, match="no configured key"):
        Cipher([NEW]).decrypt(token)


def test_an_altered_token_is_refused() -> None:
    cipher = Cipher([NEW])
    raw = bytearray(base64.urlsafe_b64decode(cipher.encrypt(TEXT)[4:]))
    raw[-1] ^= 1
    with pytest.raises(DataKeyError, match="altered"):
        cipher.decrypt("gcm:" + base64.urlsafe_b64encode(bytes(raw)).decode())


def test_values_written_with_fernet_are_still_read_and_rotate_to_gcm() -> None:
    legacy = "fernet:" + Fernet(OLD.encode()).encrypt(TEXT.encode()).decode()
    both = Cipher([NEW, OLD])
    assert both.decrypt(legacy) == TEXT
    rotated = both.rotate(legacy)
    assert rotated.startswith("gcm:") and Cipher([NEW]).decrypt(rotated) == TEXT
    with pytest.raises(DataKeyError):
        Cipher([NEW]).decrypt(legacy)


def test_rotation_moves_a_value_to_the_first_key() -> None:
    token = Cipher([OLD]).encrypt(TEXT)
    both = Cipher([NEW, OLD])
    assert both.decrypt(token) == TEXT  # during rotation the old key still opens it
    rotated = both.rotate(token)
    assert Cipher([NEW]).decrypt(rotated) == TEXT
    with pytest.raises(DataKeyError):
        Cipher([OLD]).decrypt(rotated)


def test_plain_text_is_not_taken_for_a_token() -> None:
    with pytest.raises(DataKeyError, match="not encrypted"):
        Cipher([NEW]).decrypt(TEXT)


def test_a_key_that_is_not_a_data_key_is_refused_at_start() -> None:
    with pytest.raises(DataKeyError, match="not a valid"):
        Cipher(["geen sleutel"])


@given(st.text(max_size=80) | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode()))
def test_any_damaged_token_gives_a_key_error_and_nothing_else(tail: str) -> None:
    cipher = Cipher([NEW])
    for token in ("gcm:" + tail, "fernet:" + tail):
        with pytest.raises(DataKeyError):
            cipher.decrypt(token)


@pytest.mark.parametrize("keep", [4, 6, 16, 20])
def test_a_cut_off_token_with_the_right_key_id_is_refused(keep: int) -> None:
    cipher = Cipher([NEW])
    raw = base64.urlsafe_b64decode(cipher.encrypt(TEXT)[4:])
    with pytest.raises(DataKeyError):
        cipher.decrypt("gcm:" + base64.urlsafe_b64encode(raw[:keep]).decode())


def test_json_stored_before_orjson_still_reads_and_new_json_reads_back_alike() -> None:
    """EncryptedJSON writes with orjson since 2026-12-06; what the stdlib's json wrote before reads the same."""
    before = crypto._installed
    crypto.install(Cipher([NEW]))
    try:
        column, dialect = crypto.EncryptedJSON(), sqlite.dialect()
        value = {"text": TEXT, "buttons": [["Ja", "j:1"], ["Nee", "n:1"]], "7": None, "n": 1.5}
        earlier = Cipher([NEW]).encrypt(json.dumps(value, ensure_ascii=False))
        assert column.process_result_value(earlier, dialect) == value
        now = column.process_bind_param(value | {8: "sleutel als getal"}, dialect)
        assert now is not None and "Mevrouw" not in now
        assert column.process_result_value(now, dialect) == value | {"8": "sleutel als getal"}  # as json did
    finally:
        crypto._installed = before
