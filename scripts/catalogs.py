"""Refresh the Babel catalogs: extract message ids, merge them into nl and en, fill Dutch from the source.

Dutch is the source language (message ids are the Dutch text), so nl is complete by construction;
English translations are written by hand in locale/en/LC_MESSAGES/messages.po and checked by the tests.
Run: python scripts/catalogs.py
     python scripts/catalogs.py --compile   # the .mo files an installed package reads (the image's build)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "locale" / "messages.pot"


def main() -> None:
    pybabel = str(Path(sys.executable).with_name("pybabel"))
    subprocess.run(
        [
            pybabel,
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "--no-default-keywords",
            "--no-location",
            "--omit-header",
            "--sort-output",
            "-o",
            str(POT),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    template = read_po(POT.open("rb"))
    for locale in ("nl", "en"):
        po = ROOT / "locale" / locale / "LC_MESSAGES" / "messages.po"
        catalog = read_po(po.open("rb"), locale=locale) if po.exists() else None
        old = {m.id: m.string for m in catalog} if catalog else {}
        template_copy = read_po(POT.open("rb"), locale=locale)
        for message in template_copy:
            if not message.id:
                continue
            message.string = old.get(message.id) or (message.id if locale == "nl" else "")
        with po.open("wb") as fh:
            write_po(fh, template_copy, omit_header=False, no_location=True, sort_output=True, width=0)
        missing = [m.id for m in template_copy if m.id and not m.string]
        print(f"{locale}: {len(template_copy)} messages, {len(missing)} untranslated")
    del template


def compile_all() -> None:
    """Compile locale/*/LC_MESSAGES/messages.po into bot/views/catalogs/ (package data, not in git)."""
    sys.path.insert(0, str(ROOT))
    from bot.views.i18n import COMPILED_DIR, LOCALE_DIR, LOCALES, compile_po

    for locale in LOCALES:
        target = COMPILED_DIR / locale / "LC_MESSAGES" / "messages.mo"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(compile_po(LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po", locale))
        print(f"compiled {target.relative_to(ROOT)}")


if __name__ == "__main__":
    if "--compile" in sys.argv[1:]:
        compile_all()
    else:
        main()
