"""`waakvlam check-config` as an operator runs it before going live: it refuses the weak settings (a short
secret, a webhook without its secret, SQLite with more than one instance, a data key that cannot open what
is stored) and says each in a plain line; good settings pass."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bot.app.cli import app
from storage.crypto import Cipher, new_key
from storage.migrate import upgrade
from tests.e2e.harness import DATA_KEY, SECRET, WEBHOOK_SECRET

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path) -> str:
    """A migrated SQLite database holding one value encrypted with DATA_KEY."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    upgrade(url)
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES (1, 1, :p, :t)"),
            {"p": Cipher([DATA_KEY]).encrypt("{}"), "t": datetime.now(UTC).isoformat()},
        )
    engine.dispose()
    return url


def check(database: str, **env: str | None) -> tuple[int, str]:
    """Run check-config with these settings (None: the variable is not set)."""
    base = {
        "WAAKVLAM_TELEGRAM_TOKEN": "123:abc",
        "WAAKVLAM_SECRET_KEY": SECRET,
        "WAAKVLAM_DATA_KEYS": DATA_KEY,
        "WAAKVLAM_DATABASE_URL": database,
        "WAAKVLAM_PUBLIC_URL": "https://waakvlam.example.nl",
        "WAAKVLAM_WEB_PORT": "8080",
    }
    result = runner.invoke(app, ["check-config"], env={**base, **env})
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_good_settings_pass_with_a_warning_about_sqlite(database: str) -> None:
    code, said = check(database)
    assert code == 0, said
    assert "warning: SQLite: fine for one instance" in said and "settings are ready to run" in said


def test_without_a_public_https_address_for_the_forms_it_is_not_ready(database: str) -> None:
    """Text about a resident is only typed on the forms: no forms, no start (the default that protects)."""
    code, said = check(database, WAAKVLAM_PUBLIC_URL="")
    assert code == 1 and "problem: no WAAKVLAM_PUBLIC_URL" in said
    code, said = check(database, WAAKVLAM_PUBLIC_URL="http://waakvlam.example.nl")
    assert code == 1 and "WAAKVLAM_PUBLIC_URL is not https" in said
    code, said = check(database, WAAKVLAM_WEB_PORT=None)
    assert code == 1 and "no form is served" in said


def test_a_short_secret_and_a_missing_token_are_refused(database: str) -> None:
    code, said = check(database, WAAKVLAM_SECRET_KEY="short", WAAKVLAM_TELEGRAM_TOKEN="")
    assert code == 1
    assert "problem: WAAKVLAM_SECRET_KEY is shorter than 32 characters" in said
    assert "problem: WAAKVLAM_TELEGRAM_TOKEN is not set" in said
    assert "2 problem(s): not ready to run" in said


def test_a_webhook_without_its_secret_is_refused(database: str) -> None:
    code, said = check(database, WAAKVLAM_MODE="webhook", WAAKVLAM_WEBHOOK_URL="https://x.example/webhook")
    assert code == 1 and "problem: webhook mode needs WAAKVLAM_WEBHOOK_SECRET of at least 32" in said
    code, said = check(
        database,
        WAAKVLAM_MODE="webhook",
        WAAKVLAM_WEBHOOK_URL="https://x.example/webhook",
        WAAKVLAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    assert code == 0, said


def test_sqlite_with_more_than_one_instance_is_refused(database: str) -> None:
    code, said = check(database, WAAKVLAM_INSTANCES="2")
    assert code == 1 and "problem: SQLite with WAAKVLAM_INSTANCES=2" in said


def test_a_data_key_that_cannot_open_the_stored_data_is_refused(database: str) -> None:
    other = new_key()
    code, said = check(database, WAAKVLAM_DATA_KEYS=other)
    assert code == 1 and "cannot open 1 of 1 stored values sampled" in said
    code, said = check(database, WAAKVLAM_DATA_KEYS=f"{other},{DATA_KEY}")  # the old key kept after the new
    assert code == 0, said
    code, said = check(database, WAAKVLAM_DATA_KEYS="not-a-key")
    assert code == 1 and "problem: WAAKVLAM_DATA_KEYS: a data key is not a valid Fernet key" in said


def test_a_database_that_is_not_there_or_not_migrated(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    code, said = check(empty)
    assert code == 1 and "the database has no tables: run `waakvlam migrate`" in said
    code, said = check("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    assert code == 1 and "problem: the database does not answer" in said
