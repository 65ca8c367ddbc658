"""What can be checked of the image and the compose file without a container engine (none runs here): the
compose file is valid by the Compose Specification's JSON schema, its secrets come from files and reach
settings that exist, the Dockerfile installs only what the lock lists and runs as a non-root user with a
health check, the Caddyfile is valid to Caddy, and an installed package (not the source tree) translates
with the catalogs compiled at build time. Whether the image builds and runs is not checked here."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from bot.app.cli import app
from bot.app.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "tests" / "data" / "compose-spec" / "compose-spec.json"
VARIABLE = re.compile(r"\$\{([A-Z_]+)(?::-([^}]*))?\}")


def interpolated(text: str, env: dict[str, str]) -> Any:
    """The compose file as Compose reads it: ${VAR:-default} filled in, then YAML (numbers as numbers)."""
    filled = VARIABLE.sub(lambda m: env.get(m.group(1)) or (m.group(2) or ""), text)
    return yaml.safe_load(filled)


def compose(env: dict[str, str] | None = None) -> Any:
    return interpolated((ROOT / "docker-compose.yml").read_text(), env or {})


def dockerfile() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize(
    "env", [{}, {"WAAKVLAM_MODE": "webhook", "WAAKVLAM_INSTANCES": "3", "WAAKVLAM_DOMAIN": "wv.drenthe.nl"}]
)
def test_the_compose_file_is_valid_by_the_compose_specification(env: dict[str, str]) -> None:
    schema = json.loads(SCHEMA.read_text())
    config = compose(env)
    jsonschema.Draft201909Validator(schema).validate(config)
    assert config["services"]["bot"]["deploy"]["replicas"] == int(env.get("WAAKVLAM_INSTANCES", 2))


def test_a_compose_file_with_a_mistake_is_refused_by_the_schema() -> None:
    config = compose()
    config["services"]["bot"]["depends_on"]["migrate"]["condition"] = "service_done"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft201909Validator(json.loads(SCHEMA.read_text())).validate(config)


def test_secrets_come_from_files_and_each_reaches_a_setting() -> None:
    config = compose()
    declared = config["secrets"]
    assert all(set(s) == {"file"} and s["file"].startswith("./secrets/") for s in declared.values())
    fields = {f"waakvlam_{name}" for name in Settings.model_fields}
    bot = config["services"]["bot"]
    assert set(bot["secrets"]) <= fields  # a file pydantic-settings reads as that setting
    assert set(bot["secrets"]) | {"postgres_password"} == set(declared)
    # No secret is written into the compose file itself.
    for service in config["services"].values():
        for key, value in (service.get("environment") or {}).items():
            if re.search("TOKEN|SECRET|KEY|PASSWORD|DATABASE_URL", key):
                assert key.endswith(("_FILE", "SECRETS_DIR")), f"{key}={value} belongs in a secret file"


def test_the_migration_runs_once_before_the_instances() -> None:
    services = compose()["services"]
    assert services["migrate"]["command"] == ["waakvlam", "migrate"]
    assert services["bot"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["db"]["healthcheck"]["test"][0] == "CMD-SHELL"
    commands = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    assert {"migrate", "run"} <= commands


def test_the_dockerfile_installs_only_the_lock_and_runs_unprivileged_with_a_health_check() -> None:
    lines = dockerfile()
    installs = [line for line in lines if "pip install" in line]
    assert installs, "the Dockerfile installs nothing?"
    for line in installs:
        for part in line.split("&&"):
            if "pip install" in part:
                assert "--require-hashes -r requirements.lock" in part or "--no-deps" in part, part
    assert sum("--require-hashes -r requirements.lock" in line for line in installs) == 1
    assert any(line.startswith("COPY requirements.lock") for line in lines)
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2 and " AS build" in stages[0]
    final = lines[lines.index(stages[1]) :]
    user = [line for line in final if line.startswith("USER ")]
    assert user and user[-1] not in ("USER root", "USER 0")
    health = next(line for line in final if line.startswith("HEALTHCHECK"))
    assert "/healthz" in health and ":8080" in health
    assert any("WAAKVLAM_WEB_PORT=8080" in line for line in final)
    assert next(line for line in final if line.startswith("CMD ")) == 'CMD ["waakvlam", "run"]'
    for line in lines:  # everything it copies from the repository is there
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def _caddy(verb: str) -> subprocess.CompletedProcess[str]:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (scripts/install --dev installs it as root)")
    return subprocess.run(
        [caddy, verb, "--adapter", "caddyfile", "--config", str(ROOT / "deploy" / "Caddyfile")],
        env={**os.environ, "WAAKVLAM_DOMAIN": "waakvlam.example.org", "HOME": "/tmp"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_caddyfile_is_valid_to_caddy_and_sends_hsts() -> None:
    adapted = _caddy("adapt")
    assert '"Strict-Transport-Security":["max-age=31536000; includeSubDomains"]' in adapted.stdout
    assert '"read_header_timeout":10000000000' in adapted.stdout  # slow headers are cut off after 10 s
    result = _caddy("validate")
    assert result.returncode == 0 and "Valid configuration" in result.stderr + result.stdout, result.stderr


def test_an_installed_package_translates_with_catalogs_compiled_at_build_time(tmp_path: Path) -> None:
    """As the image's build does: compile the catalogs, build the wheel, then run from the unpacked wheel
    alone (no source tree, no locale/*.po beside it)."""
    subprocess.run([sys.executable, "scripts/catalogs.py", "--compile"], cwd=ROOT, check=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            tmp_path,
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("waakvlam-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "bot/views/catalogs/en/LC_MESSAGES/messages.mo" in names
    assert any(n.startswith("bot/regiobeeld/static/vega-lite") for n in names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from bot.views.i18n import LOCALE_DIR, load_catalogs\n"
        "assert not LOCALE_DIR.exists(), LOCALE_DIR\n"
        "print(load_catalogs()['en'].gettext('Annuleren'))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "Cancel"
