"""The lock files: exact versions with hashes, for the product (requirements.lock) and for development
(requirements-dev.lock), both with the build requirements (setuptools) so nothing is fetched unlisted.

    python scripts/lock.py          # write both from pyproject.toml (uv pip compile, from PyPI)
    python scripts/lock.py --check  # offline: every requirement of pyproject.toml is pinned, with hashes

The check runs in scripts/test: a dependency added to pyproject.toml without a new lock fails the build.
`scripts/install` installs from the lock with pip's --require-hashes."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"requirements.lock": [], "requirements-dev.lock": ["dev"]}
# Where the product runs: the lock is universal, the check reads markers for this platform.
ENVIRONMENT = {"python_version": "3.11", "python_full_version": "3.11.0", "sys_platform": "linux"}
PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;\\]+)")


def requirements(pyproject: dict[str, Any], extras: list[str]) -> list[Requirement]:
    """What a lock with these extras must satisfy: the dependencies, the extras' and the build's."""
    project, build = pyproject["project"], pyproject["build-system"]
    names = list(project["dependencies"]) + list(build["requires"])
    for extra in extras:
        names += project["optional-dependencies"][extra]
    return [Requirement(n) for n in names]


def pins(lock: str) -> dict[str, tuple[str, int]]:
    """name → (version, number of hashes) from a lock file's text."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in lock.splitlines():
        match = PIN.match(line)
        if match:
            current = canonicalize_name(match.group(1).split("[")[0])
            found[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, count = found[current]
            found[current] = (version, count + 1)
    return found


def problems(pyproject: dict[str, Any], lock: str, extras: list[str]) -> list[str]:
    """Why a lock does not match pyproject.toml (empty: it matches)."""
    pinned = pins(lock)
    said = []
    for req in requirements(pyproject, extras):
        if req.marker is not None and not req.marker.evaluate({**ENVIRONMENT, "extra": ""}):
            continue
        name = canonicalize_name(req.name)
        if name not in pinned:
            said.append(f"{req.name} is not in the lock")
        elif not req.specifier.contains(pinned[name][0], prereleases=True):
            said.append(f"{req.name}=={pinned[name][0]} in the lock does not satisfy {req}")
    said += [f"{name}=={v} has no hash" for name, (v, hashes) in pinned.items() if not hashes]
    return said


def write() -> None:
    pyproject = ROOT / "pyproject.toml"
    build = tomllib.loads(pyproject.read_text())["build-system"]["requires"]
    uv = str(Path(sys.executable).with_name("uv"))
    extra = ROOT / "build-system.in"  # named in the locks' "via" lines; removed after
    extra.write_text("\n".join(build) + "\n")
    try:
        for name, extras in LOCKS.items():
            command = [uv, "pip", "compile", "--quiet", "--universal", "--python-version", "3.11"]
            command += [
                "--generate-hashes",
                "--no-header",
                "--custom-compile-command",
                "python scripts/lock.py",
            ]
            command += [f"--extra={e}" for e in extras] + ["-o", name, "pyproject.toml", extra.name]
            subprocess.run(command, cwd=ROOT, check=True)
            print(f"wrote {name}")
    finally:
        extra.unlink()


def check() -> int:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    failed = False
    for name, extras in LOCKS.items():
        path = ROOT / name
        said = problems(pyproject, path.read_text(), extras) if path.exists() else [f"{name} is missing"]
        for line in said:
            print(f"{name}: {line}", file=sys.stderr)
        failed = failed or bool(said)
    if failed:
        print("the lock files do not match pyproject.toml: run python scripts/lock.py", file=sys.stderr)
        return 1
    print("lock files match pyproject.toml")
    return 0


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        sys.exit(check())
    write()
