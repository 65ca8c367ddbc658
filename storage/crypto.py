"""Encryption at rest: Fernet tokens for free text and resident data, keys from the settings.

The cipher is installed once at start-up (`install`); the column types below use it. MultiFernet
decrypts with any configured key and encrypts with the first, so keys can be rotated: put the new key
first, run `waakvlam rotate-keys`, then drop the old one.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

PREFIX = "fernet:"


class KeyError_(Exception):
    """No usable data key: the database cannot be read or written."""


class Cipher:
    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise KeyError_("no data key configured (WAAKVLAM_DATA_KEYS)")
        try:
            self._fernet = MultiFernet([Fernet(k.strip().encode()) for k in keys])
        except ValueError as exc:
            raise KeyError_(f"a data key is not a valid Fernet key: {exc}") from exc

    def encrypt(self, text: str) -> str:
        return PREFIX + self._fernet.encrypt(text.encode()).decode()

    def decrypt(self, token: str) -> str:
        if not token.startswith(PREFIX):
            raise KeyError_("value is not encrypted")
        try:
            return self._fernet.decrypt(token[len(PREFIX) :].encode()).decode()
        except InvalidToken as exc:
            raise KeyError_("no configured key opens this value") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypt a token with the first key."""
        return PREFIX + self._fernet.rotate(token[len(PREFIX) :].encode()).decode()


def new_key() -> str:
    return Fernet.generate_key().decode()


_installed: Cipher | None = None


def install(cipher: Cipher) -> None:
    """Make `cipher` the one the encrypted columns use (called by the entry point)."""
    global _installed
    _installed = cipher


def installed() -> Cipher:
    if _installed is None:
        raise KeyError_("no cipher installed: build the app with data keys first")
    return _installed


class EncryptedText(TypeDecorator[str]):
    """Text stored as a Fernet token; a copy of the database alone shows none of it."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else installed().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else installed().decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value stored as one Fernet token."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else installed().encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else json.loads(installed().decrypt(value))
