"""The flow diagram in docs/ is generated from the flow data and must match it."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flows.diagram import mermaid
from flows.intake import INTAKE

ROOT = Path(__file__).resolve().parents[2]


def test_docs_flows_md_matches_the_flow_definitions() -> None:
    spec = importlib.util.spec_from_file_location("docs_script", ROOT / "scripts" / "docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert (ROOT / "docs" / "flows.md").read_text(encoding="utf-8") == module.render(), "run scripts/docs.py"


def test_the_diagram_shows_the_acute_exit_and_the_skip() -> None:
    text = mermaid(INTAKE)
    assert 'acute -- "yes" --> end_acute' in text
    assert 'care_involved -- "care_involved = yes" --> care_orgs' in text
    assert 'care_involved -- "otherwise" --> resident_knows' in text
