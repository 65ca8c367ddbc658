"""`waakvlam check-config`: read the settings as `waakvlam run` would and say, in plain words, what is
missing or weak, before a region goes live. Problems refuse (exit 1); warnings are only said."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import text

from bot.app.cli_support import describe
from bot.app.settings import WEBHOOK_SECRET_MIN, Settings
from storage.crypto import Cipher, DataKeyError

# Columns encrypted at rest, sampled to see that the configured keys open what is stored.
ENCRYPTED = (
    ("signals", "description"),
    ("agreements", "warning_signs"),
    ("conversations", "state"),
    ("inbox", "payload"),
    ("outbox", "payload"),
)
SAMPLE = 20
SECRET_MIN = 32


@dataclass(frozen=True)
class Finding:
    problem: bool  # True refuses; False is a warning
    text: str


def of_validation(exc: ValidationError) -> list[Finding]:
    """Settings that could not even be read (a webhook without its secret, a port that is no number)."""
    return [Finding(True, describe(error)) for error in exc.errors()]


def of_settings(s: Settings) -> list[Finding]:
    """What the settings themselves say, without the database."""
    return _secrets(s) + _deployment(s) + _forms(s)


def _secrets(s: Settings) -> list[Finding]:
    found = []
    if s.telegram_token is None or not s.telegram_token.get_secret_value().strip():
        found.append(Finding(True, "WAAKVLAM_TELEGRAM_TOKEN is not set (the bot token from @BotFather)"))
    if len(s.secret_key.get_secret_value()) < SECRET_MIN:
        found.append(
            Finding(
                True,
                f"WAAKVLAM_SECRET_KEY is shorter than {SECRET_MIN} characters: button data and "
                "regiobeeld sessions could be forged (make one with: openssl rand -hex 32)",
            )
        )
    keys = s.data_key_list()
    if not keys:
        found.append(Finding(True, "WAAKVLAM_DATA_KEYS is not set (make one with: waakvlam new-key)"))
    else:
        try:
            Cipher(keys)
        except DataKeyError as exc:
            found.append(Finding(True, f"WAAKVLAM_DATA_KEYS: {exc}"))
    return found


def _forms(s: Settings) -> list[Finding]:
    """Text about a resident is typed and read only on the forms: they need a public https address."""
    found = []
    public = s.public_url or s.web_url
    if not public:
        found.append(
            Finding(
                True,
                "no WAAKVLAM_PUBLIC_URL: text about a resident is typed and read only on the forms of this "
                "server (https://…, reached by Telegram's clients), and without it there are none",
            )
        )
    elif not public.startswith("https://"):
        found.append(Finding(True, "WAAKVLAM_PUBLIC_URL is not https: Telegram opens forms over https only"))
    elif s.web_port is None:
        found.append(
            Finding(True, "WAAKVLAM_PUBLIC_URL is set but WAAKVLAM_WEB_PORT is not: no form is served")
        )
    return found


def _deployment(s: Settings) -> list[Finding]:
    found = []
    if s.mode == "webhook" and not s.webhook_url:
        found.append(
            Finding(True, "webhook mode without WAAKVLAM_WEBHOOK_URL: Telegram would not know where")
        )
    secret = s.webhook_secret.get_secret_value() if s.webhook_secret else ""
    if s.mode == "webhook" and len(secret) < WEBHOOK_SECRET_MIN:  # Settings refuse this already
        found.append(Finding(True, "webhook mode without a WAAKVLAM_WEBHOOK_SECRET of 32+ characters"))
    sqlite = s.database_url.startswith("sqlite")
    if sqlite and s.instances > 1:
        found.append(
            Finding(
                True,
                f"SQLite with WAAKVLAM_INSTANCES={s.instances}: a SQLite file serves one instance "
                "only; use PostgreSQL for more",
            )
        )
    elif sqlite:
        found.append(
            Finding(False, "SQLite: fine for one instance; a region with fail-over needs PostgreSQL")
        )
    if s.web_url and not s.web_url.startswith("https://"):
        found.append(
            Finding(False, "WAAKVLAM_WEB_URL is not https: the regiobeeld's cookie is sent unencrypted")
        )
    if s.web_url and s.web_port is None:
        found.append(
            Finding(False, "WAAKVLAM_WEB_URL is set but WAAKVLAM_WEB_PORT is not: no page is served")
        )
    if s.metrics and s.web_port is None and s.mode != "webhook":
        found.append(
            Finding(False, "WAAKVLAM_METRICS is on but WAAKVLAM_WEB_PORT is not set: /metrics is not served")
        )
    return found


async def of_database(s: Settings) -> list[Finding]:
    """Whether the database answers, is migrated, and the data keys open what it holds."""
    from sqlalchemy import inspect

    from storage.db import make_engine

    engine = make_engine(s.database_url)
    try:
        async with engine.connect() as conn:
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
            if "alembic_version" not in tables:
                return [Finding(True, "the database has no tables: run `waakvlam migrate`")]
            values = []
            for table, column in ENCRYPTED:
                if table in tables:
                    q = text(f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL LIMIT {SAMPLE}")  # noqa: S608 - names from ENCRYPTED
                    values += [str(v) for v in (await conn.execute(q)).scalars()]
    except Exception as exc:
        return [Finding(True, f"the database does not answer: {type(exc).__name__}: {str(exc)[:160]}")]
    finally:
        await engine.dispose()
    return _keys_open(s, values)


def _keys_open(s: Settings, values: list[str]) -> list[Finding]:
    keys = s.data_key_list()
    if not keys or not values:
        return []
    try:
        cipher = Cipher(keys)
    except DataKeyError:
        return []  # said already
    closed = 0
    for value in values:
        try:
            cipher.decrypt(value)
        except DataKeyError:
            closed += 1
    if closed:
        return [
            Finding(
                True,
                f"WAAKVLAM_DATA_KEYS cannot open {closed} of {len(values)} stored values sampled: "
                "the key that encrypted them is missing (keep old keys after the new one until "
                "`waakvlam rotate-keys` has run)",
            )
        ]
    return []
