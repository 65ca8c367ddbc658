"""The command line: clear answers for bad input, never a traceback."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.app.cli import app
from bot.app.cli_support import private_folder
from tests.e2e.harness import DATA_KEY

runner = CliRunner()


def test_region_check_accepts_the_bundled_file() -> None:
    result = runner.invoke(app, ["region", "check"])
    assert result.exit_code == 0 and "12 gemeenten, 39 meldpunten, 9 rules — OK" in result.output


def test_a_broken_region_file_stops_start_up_with_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "r.toml"
    broken.write_text('[region]\nid = "x"\nname = "X"\n\n[[gemeente]]\nid = "Bad Id"\nname = "B"\n')
    env = {
        "WAAKVLAM_REGION_FILE": str(broken),
        "WAAKVLAM_TELEGRAM_TOKEN": "1:x",
        "WAAKVLAM_SECRET_KEY": "k" * 40,
        "WAAKVLAM_DATA_KEYS": DATA_KEY,
    }
    for args in (["run"], ["invite", "--role", "veldwerker", "--org", "X", "--gemeente", "Assen"]):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 2, result.output
        assert f"{broken}:6: gemeente[0].id:" in result.output
        assert "Traceback" not in result.output


def test_run_refuses_to_start_without_token_or_key() -> None:
    # An empty token is no token (a compose file's `${WAAKVLAM_TELEGRAM_TOKEN:-}` gives one).
    result = runner.invoke(app, ["run"], env={"WAAKVLAM_TELEGRAM_TOKEN": "", "WAAKVLAM_SECRET_KEY": "short"})
    assert result.exit_code == 2 and "WAAKVLAM_TELEGRAM_TOKEN is not set" in result.output
    result = runner.invoke(
        app, ["run"], env={"WAAKVLAM_TELEGRAM_TOKEN": "1:x", "WAAKVLAM_SECRET_KEY": "short"}
    )
    assert result.exit_code == 2 and "WAAKVLAM_SECRET_KEY must be at least 32 characters" in result.output


def test_invite_refuses_an_unknown_gemeente() -> None:
    result = runner.invoke(app, ["invite", "--role", "veldwerker", "--org", "X", "--gemeente", "Amsterdam"])
    assert result.exit_code == 2 and "known gemeenten" in result.output


def test_new_key_prints_a_usable_data_key() -> None:
    from storage.crypto import Cipher

    result = runner.invoke(app, ["new-key"])
    key = result.output.strip()
    cipher = Cipher([key])
    assert cipher.decrypt(cipher.encrypt("x")) == "x"


INVITE = ["invite", "--role", "veldwerker", "--org", "Politie Drenthe", "--gemeente", "Assen"]


def test_a_command_on_a_database_that_is_not_there_says_so_and_makes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, INVITE, env={"WAAKVLAM_DATA_KEYS": DATA_KEY})
    assert result.exit_code == 2
    assert "no database at" in result.output and "run `waakvlam migrate`" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "waakvlam.db").exists()


def test_a_database_that_was_never_migrated_says_run_migrate(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    env = {"WAAKVLAM_DATA_KEYS": DATA_KEY, "WAAKVLAM_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    for args in (INVITE, ["audit"], ["user", "list"], ["purge", "--dry-run"], ["rotate-keys"]):
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 2, (args, result.output)
        assert "has no tables: run `waakvlam migrate`" in result.output, (args, result.output)
        assert "Traceback" not in result.output


def test_debug_shows_the_traceback_instead(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    env = {"WAAKVLAM_DATA_KEYS": DATA_KEY, "WAAKVLAM_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}"}
    result = runner.invoke(app, ["--debug", "audit"], env=env)
    assert result.exit_code != 0 and result.exception is not None


@pytest.mark.parametrize("hours", ["0", "-3", "721"])
def test_invite_hours_outside_one_to_720_are_refused(hours: str) -> None:
    result = runner.invoke(app, [*INVITE, "--hours", hours], env={"WAAKVLAM_DATA_KEYS": DATA_KEY})
    assert result.exit_code == 2 and "--hours" in result.output


def test_a_bad_setting_is_named_in_one_line() -> None:
    result = runner.invoke(app, ["audit"], env={"WAAKVLAM_INVITE_HOURS": "abc"})
    assert result.exit_code == 2 and "setting WAAKVLAM_INVITE_HOURS:" in result.output
    assert "Traceback" not in result.output


def test_data_dir_means_the_sandbox_s_database_and_keys(tmp_path: Path) -> None:
    from bot.app.settings import Settings
    from bot.sandbox.run import prepare
    from storage.migrate import upgrade

    folder = tmp_path / "sandbox-data"
    private_folder(folder)
    settings = prepare(Settings(_env_file=None), folder, 8080)  # type: ignore[call-arg]
    upgrade(settings.database_url)
    (folder / "clock.offset").write_text(str(28 * 24 * 3600))  # the sandbox's clock is four weeks on
    made = runner.invoke(app, [*INVITE, "--data-dir", str(folder)], env={})
    assert made.exit_code == 0, made.output
    code = made.output.split("Invite code: ")[1].split()[0]
    import sqlite3
    from datetime import datetime, timedelta

    with sqlite3.connect(folder / "waakvlam.db") as db:
        (created,) = db.execute("select created_at from invites").fetchone()
    # Made at the sandbox's "now", so it is still valid there (it was made in the real past before).
    assert datetime.fromisoformat(str(created)) > datetime.now() + timedelta(days=27)
    audit = runner.invoke(app, ["audit", "--data-dir", str(folder)], env={})
    assert audit.exit_code == 0 and "invite_created" in audit.output, audit.output
    assert code not in audit.output  # only its hash is kept
    missing = runner.invoke(app, ["audit", "--data-dir", str(tmp_path / "nope")], env={})
    assert missing.exit_code == 2 and "is not a sandbox's data folder" in missing.output


def test_the_sandbox_folder_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    from bot.app.settings import Settings
    from bot.sandbox.run import prepare

    folder = tmp_path / "sandbox-data"
    private_folder(folder)
    prepare(Settings(_env_file=None), folder, 8080)  # type: ignore[call-arg]
    private_folder(folder)  # as on every start: keys made since are narrowed too
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    files = sorted(p.name for p in folder.iterdir())
    assert files == ["data.key", "secret.key", "waakvlam.db"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o600}


def test_migrate_on_a_plain_sqlite_url_makes_a_database_only_its_owner_reads(tmp_path: Path) -> None:
    database = tmp_path / "nieuw" / "waakvlam.db"
    env = {"WAAKVLAM_DATABASE_URL": f"sqlite:///{database}", "WAAKVLAM_DATA_KEYS": DATA_KEY}
    result = runner.invoke(app, ["migrate"], env=env)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    assert {stat.S_IMODE(p.stat().st_mode) for p in database.parent.iterdir()} == {0o600}


def test_an_export_onto_someone_elses_file_replaces_it_with_a_private_one(tmp_path: Path) -> None:
    from bot.app.cli_support import write_private

    out = tmp_path / "export.json"
    out.write_text("someone else's")
    out.chmod(0o644)
    before = out.stat().st_ino
    write_private(out, '{"signals": []}')
    assert out.read_text() == '{"signals": []}' and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.stat().st_ino != before  # a new file: the old one's owner and readers do not carry over
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.json"]  # no temporary left behind
