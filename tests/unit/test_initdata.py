"""Telegram's Mini App launch data (initData): what our server accepts is what Telegram's documentation and
aiogram's own check accept; anything altered, stale, from the future or malformed is refused."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
from aiogram.utils.web_app import check_webapp_signature

from bot.forms.initdata import sign, verify

TOKEN = "123456789:test-token"
NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
WILLEM = {"id": 1003, "first_name": "Willem", "language_code": "nl"}


def _signed(at: datetime = NOW, token: str = TOKEN, **more: str) -> str:
    return sign(token, WILLEM, int(at.timestamp()), **more)


def test_what_we_sign_aiogram_accepts_and_we_read_back_the_person() -> None:
    data = _signed(query_id="AAHdF6IQAAAAAN0XohDhrOrc")
    assert check_webapp_signature(TOKEN, data)  # the library's reading of Telegram's specification
    assert verify(TOKEN, data, NOW) == 1003


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.replace("Willem", "Wendy"),  # another name in the signed user
        lambda d: d.replace("%22id%22%3A1003", "%22id%22%3A1001"),  # another person
        lambda d: d + "&extra=1",  # a field added after signing
        lambda d: "&".join(p for p in d.split("&") if not p.startswith("hash=")),  # no signature
        lambda d: d + "&hash=" + "0" * 64,  # a field twice
        lambda _: "",
        lambda _: "not a query string at all %%%",
        lambda d: d + "&x=" + "a" * 5000,  # far too long to be Telegram's
    ],
)
def test_altered_or_malformed_launch_data_is_refused(change: Callable[[str], str]) -> None:
    assert verify(TOKEN, change(_signed()), NOW) is None


def test_another_bots_token_signs_nothing_for_us() -> None:
    assert verify(TOKEN, _signed(token="987654321:other-bot"), NOW) is None


def test_an_hour_old_is_the_limit_and_the_future_is_refused() -> None:
    assert verify(TOKEN, _signed(NOW - timedelta(minutes=59)), NOW) == 1003
    assert verify(TOKEN, _signed(NOW - timedelta(minutes=61)), NOW) is None
    assert verify(TOKEN, _signed(NOW + timedelta(minutes=10)), NOW) is None


def test_a_user_that_is_not_a_person_is_refused() -> None:
    for user in ({"first_name": "no id"}, {"id": 0}, {"id": "abc"}, ["1003"]):
        fields = {"user": json.dumps(user), "auth_date": str(int(NOW.timestamp()))}
        assert verify(TOKEN, _resign(fields), NOW) is None, user


def _resign(fields: dict[str, str]) -> str:
    """Fields signed as Telegram would, whatever they hold (sign() takes a user dict)."""
    secret = hmac.new(b"WebAppData", TOKEN.encode(), hashlib.sha256).digest()
    check = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    digest = hmac.new(secret, check.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})
