"""Write docs/flows.md from the flow definitions (a test fails when it is out of date).
Run: .venv/bin/python scripts/docs.py
"""

from __future__ import annotations

from pathlib import Path

from flows.closing import CLOSING
from flows.diagram import mermaid
from flows.handover import REFUSAL, REQUEST
from flows.info import INFO_ANSWER, INFO_QUESTION
from flows.intake import INTAKE
from flows.waakvlam import AGREEMENT, CHANGE_OWNER, CHANGE_RHYTHM, END, PAUSE, WORRY

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "flows.md"


def render() -> str:
    return (
        "# Flows\n\n"
        "Generated from `flows/` by `scripts/docs.py`; do not edit by hand.\n"
        "Shapes: hexagon = buttons (one answer), double box = buttons (several answers),\n"
        "slanted = typed text, rounded = confirmation. Every step also offers « Terug and Annuleren; /cancel works anywhere.\n\n"
        "## Intake of an early signal (`flows/intake.py`)\n\n"
        f"```mermaid\n{mermaid(INTAKE)}```\n\n"
        "## A desk's question and the filer's answer (`flows/info.py`)\n\n"
        f"```mermaid\n{mermaid(INFO_QUESTION)}```\n\n"
        f"```mermaid\n{mermaid(INFO_ANSWER)}```\n\n"
        "## Closing a signal, asked privately (`flows/closing.py`)\n\n"
        f"```mermaid\n{mermaid(CLOSING)}```\n\n"
        "## Asking a hand-over, privately, and the reason for refusing one (`flows/handover.py`)\n\n"
        f"```mermaid\n{mermaid(REQUEST)}```\n\n"
        f"```mermaid\n{mermaid(REFUSAL)}```\n\n"
        "## Setting up a waakvlam agreement (`flows/waakvlam.py`)\n\n"
        "From a closed signal the reference and gemeente are known and not asked.\n\n"
        f"```mermaid\n{mermaid(AGREEMENT)}```\n\n"
        "## A worrying check-in: the fast re-entry (`flows/waakvlam.py`)\n\n"
        f"```mermaid\n{mermaid(WORRY)}```\n\n"
        "## A coordinator's changes (`flows/waakvlam.py`)\n\n"
        f"```mermaid\n{mermaid(CHANGE_RHYTHM)}```\n\n"
        f"```mermaid\n{mermaid(CHANGE_OWNER)}```\n\n"
        f"```mermaid\n{mermaid(END)}```\n\n"
        f"```mermaid\n{mermaid(PAUSE)}```\n"
    )


if __name__ == "__main__":
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
