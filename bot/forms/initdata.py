"""Who opened a form: Telegram signs a Mini App's launch data (`initData`) with a key derived from the bot's
token, as https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app specifies:
secret = HMAC-SHA-256(key "WebAppData", the token); hash = hex HMAC-SHA-256(key secret, the data-check
string), the string being every field but `hash`, as `key=value`, sorted, joined by line feeds.

`sign` is what Telegram does (the sandbox's emulator uses it); `verify` is what our server does."""

from __future__ import annotations

import functools
import hmac
import json
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

FRESH = timedelta(hours=1)  # an initData older than this is refused: open the form again
LONGEST = 4096  # far more than Telegram sends; anything longer is not read at all


@functools.lru_cache(maxsize=4)
def _secret(token: str) -> bytes:
    return hmac.digest(b"WebAppData", token.encode(), "sha256")


def _check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def sign(token: str, user: dict[str, object], auth_date: int, **more: str) -> str:
    """The initData Telegram hands a Mini App opened by `user` at `auth_date` (unix seconds)."""
    fields = {"user": json.dumps(user, separators=(",", ":")), "auth_date": str(auth_date), **more}
    digest = hmac.digest(_secret(token), _check_string(fields).encode(), "sha256").hex()
    return urlencode({**fields, "hash": digest})


def verify(token: str, init_data: str, now: datetime) -> int | None:
    """The Telegram id of the person whose client signed this initData, if the signature holds (compared in
    constant time) and it is fresh; None for anything else (forged, altered, stale, malformed)."""
    if not token or not init_data or len(init_data) > LONGEST:
        return None
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return None
    fields = dict(pairs)
    if len(fields) != len(pairs) or "hash" not in fields:
        return None  # a field twice: not what Telegram signs
    expected = hmac.digest(_secret(token), _check_string(fields).encode(), "sha256").hex()
    if not hmac.compare_digest(expected.encode(), fields["hash"].encode()):
        return None
    try:
        signed_at = datetime.fromtimestamp(int(fields.get("auth_date", "")), tz=now.tzinfo)
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"]) if isinstance(user, dict) else 0
    except (ValueError, KeyError, TypeError, OverflowError, OSError):
        return None
    if not timedelta(minutes=-5) <= now - signed_at <= FRESH or user_id <= 0:
        return None
    return user_id
