"""The lock files hold every requirement of pyproject.toml at a version it allows, each with hashes; a
dependency added without a new lock is caught (scripts/lock.py --check, run by scripts/test)."""

from __future__ import annotations

import copy
import importlib.util
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _lock() -> ModuleType:
    spec = importlib.util.spec_from_file_location("lock", ROOT / "scripts" / "lock.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LOCK = _lock()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_both_locks_match_pyproject() -> None:
    for name, extras in LOCK.LOCKS.items():
        assert LOCK.problems(PYPROJECT, (ROOT / name).read_text(), extras) == []


def test_a_new_dependency_without_a_new_lock_is_caught() -> None:
    changed = copy.deepcopy(PYPROJECT)
    changed["project"]["dependencies"].append("left-pad>=1.0")
    said = LOCK.problems(changed, (ROOT / "requirements.lock").read_text(), [])
    assert said == ["left-pad is not in the lock"]


def test_a_raised_minimum_and_a_missing_hash_are_caught() -> None:
    changed = copy.deepcopy(PYPROJECT)
    changed["project"]["dependencies"] = ["aiogram>=99", "jinja2>=3.1"]
    lock = "aiogram==3.31.0 \\\n    --hash=sha256:00\njinja2==3.1.6\n"
    said = LOCK.problems(changed, lock, [])
    assert any("aiogram==3.31.0 in the lock does not satisfy aiogram>=99" in s for s in said)
    assert "jinja2==3.1.6 has no hash" in said


def test_the_development_lock_holds_the_dev_extras_and_the_product_lock_not() -> None:
    product = LOCK.pins((ROOT / "requirements.lock").read_text())
    dev = LOCK.pins((ROOT / "requirements-dev.lock").read_text())
    assert "pytest" in dev and "pytest" not in product
    assert "setuptools" in product  # the build's own requirement is locked too
    assert product["aiogram"][0] == dev["aiogram"][0]
