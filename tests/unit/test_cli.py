"""The command line: clear answers for bad input, never a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app
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
    result = runner.invoke(app, ["run"], env={"WAAKVLAM_TELEGRAM_TOKEN": "", "WAAKVLAM_SECRET_KEY": "short"})
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
