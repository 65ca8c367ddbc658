"""axe-core (4.14.1, MPL-2.0, from the npm registry, vendored for the tests only) run on a page: the
accessibility problems it calls serious or critical. Pages with a CSP are read in a context that bypasses
it (the test injects the script; the product never does)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"


async def serious(page: Any) -> list[str]:
    """The serious and critical violations on the page as it is now: rule id and the first element."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']}: {v['nodes'][0]['target'] if v['nodes'] else ''}"
        for v in result["violations"]
        if v.get("impact") in ("serious", "critical")
    ]
