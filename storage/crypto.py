"""Encryption at rest: free text and resident data as AES-256-GCM tokens, keys from the settings.

The cipher is installed once at start-up (`install`); the column types below use it. A data key is a
Fernet key (32 random bytes, `waakvlam new-key`); each value is sealed with AES-256-GCM under a key
derived from it (HKDF-SHA256), with a fresh random 96-bit nonce and the key's 4-byte id in front, so the
right key opens it at once. The first key encrypts; any configured key decrypts, so keys can be
rotated: put the new key first, run `waakvlam rotate-keys`, then drop the old one. Values written
before AES-GCM (Fernet tokens, "fernet:") are still read, and `rotate-keys` rewrites them.

Why not Fernet for new values: it is AES-128-CBC plus HMAC in several Python calls, about 10 µs a value
against about 2 µs here, and every update writes and reads several (BENCHMARKS.md, profile 23). Random
nonces are safe for about 2^32 values per key; rotate keys well before (a busy region writes millions
a year).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

PREFIX = "gcm:"
FERNET_PREFIX = "fernet:"
PREFIXES = (PREFIX, FERNET_PREFIX)
_KDF_INFO = b"waakvlam data at rest, AES-256-GCM"
_PSEUDONYM_INFO = b"waakvlam samenloop pseudonym, HMAC-SHA256"
PSEUDONYM = "p1:"
_ID, _NONCE = 4, 12


class DataKeyError(Exception):
    """No usable data key: the database cannot be read or written."""


def _sealer(fernet_key: bytes) -> tuple[bytes, AESGCM]:
    """The key id and AES-256-GCM cipher derived from one data key."""
    secret = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KDF_INFO).derive(
        base64.urlsafe_b64decode(fernet_key)
    )
    return hashlib.sha256(secret).digest()[:_ID], AESGCM(secret)


class Cipher:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise DataKeyError("no data key configured (WAAKVLAM_DATA_KEYS)")
        try:
            raw = [k.strip().encode() for k in keys]
            self._fernet = MultiFernet([Fernet(k) for k in raw])
        except ValueError as exc:
            raise DataKeyError(f"a data key is not a valid Fernet key: {exc}") from exc
        sealers = [_sealer(k) for k in raw]
        # Samenloop's keyed pseudonyms: one HMAC key per data key, with the same key id in front.
        self._macs = [(kid, _mac_key(k)) for k, (kid, _) in zip(raw, sealers, strict=True)]
        self._first_id, self._first = sealers[0]
        self._by_id = dict(reversed(sealers))  # the first key wins a (vanishingly unlikely) id clash

    def encrypt(self, text: str) -> str:
        """Encrypt text with the newest key (AES-GCM, a fresh nonce each time)."""
        return self.seal(text.encode())

    def seal(self, data: bytes) -> str:
        """Encrypt bytes (UTF-8 text, JSON) with the newest key, as `encrypt` does text."""
        nonce = os.urandom(_NONCE)
        sealed = self._first.encrypt(nonce, data, None)
        return PREFIX + base64.urlsafe_b64encode(self._first_id + nonce + sealed).decode()

    def decrypt(self, token: str) -> str:
        """Decrypt text sealed with any of the keys (old Fernet values too)."""
        return self.unseal(token).decode()

    def unseal(self, token: str) -> bytes:
        """The bytes sealed in a token by any of the keys (old Fernet values too)."""
        if token.startswith(PREFIX):
            return self._open(token)
        if not token.startswith(FERNET_PREFIX):
            raise DataKeyError("value is not encrypted")
        try:
            return self._fernet.decrypt(token[len(FERNET_PREFIX) :].encode())
        except InvalidToken as exc:
            raise DataKeyError("no configured key opens this value") from exc

    def _open(self, token: str) -> bytes:
        try:
            raw = base64.urlsafe_b64decode(token[len(PREFIX) :])
        except (binascii.Error, ValueError) as exc:
            raise DataKeyError("value is damaged") from exc
        sealer = self._by_id.get(raw[:_ID])
        if sealer is None:
            raise DataKeyError("no configured key opens this value")
        try:
            return sealer.decrypt(raw[_ID : _ID + _NONCE], raw[_ID + _NONCE :], None)
        except (InvalidTag, ValueError) as exc:  # ValueError: too short to hold a nonce
            raise DataKeyError("no configured key opens this value (or it was altered)") from exc

    def pseudonyms(self, key: str) -> list[str]:
        """A normalised match key's keyed pseudonym under every configured key, the newest key's first
        (the one to store; the others still find what was stored before a rotation). Without the key, a
        pseudonym tells nothing; with it, a small key space can be searched: the README says so."""
        return [
            PSEUDONYM + kid.hex() + ":" + hmac.new(mac, key.encode(), hashlib.sha256).hexdigest()
            for kid, mac in self._macs
        ]

    def rotate(self, token: str) -> str:
        """Re-encrypt a token (AES-GCM under any key, or an older Fernet token) with the first key."""
        return self.encrypt(self.decrypt(token))


def _mac_key(fernet_key: bytes) -> bytes:
    """The HMAC key of samenloop's pseudonyms, derived from one data key (apart from its cipher's key)."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PSEUDONYM_INFO).derive(
        base64.urlsafe_b64decode(fernet_key)
    )


def new_key() -> str:
    """A new data key."""
    return Fernet.generate_key().decode()


_installed: Cipher | None = None


def install(cipher: Cipher) -> None:
    """Make `cipher` the one the encrypted columns use (called by the entry point)."""
    global _installed
    _installed = cipher


def installed() -> Cipher:
    """The cipher the application installed; DataKeyError before it did."""
    if _installed is None:
        raise DataKeyError("no cipher installed: build the app with data keys first")
    return _installed


class EncryptedText(TypeDecorator[str]):
    """Text stored as an AES-GCM token; a copy of the database alone shows none of it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else installed().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else installed().decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value stored as one AES-GCM token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        # orjson: what the stdlib's json writes, in a fifth of the time (every outbox row and update).
        return (
            None if value is None else installed().seal(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))
        )

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else orjson.loads(installed().unseal(value))
