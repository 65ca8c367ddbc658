"""Every message in the code is in both catalogs, translated, with the same placeholders."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.views.i18n import LOCALE_DIR, Translator, load_catalogs
from flows.text import Msg

ROOT = Path(__file__).resolve().parents[2]


def _code_msgids() -> set[str]:
    found: set[str] = set()
    for folder in ("flows", "bot", "handlers"):
        for _file, _line, message, _comments, _ctx in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords={"N_": None}
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(locale: str) -> dict[str, str]:
    with (LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id and not m.fuzzy}  # type: ignore[misc]


def test_both_catalogs_translate_every_message_in_the_code() -> None:
    msgids = _code_msgids()
    assert len(msgids) > 50
    for locale in ("nl", "en"):
        catalog = _catalog(locale)
        missing = sorted(m for m in msgids if not catalog.get(m))
        assert not missing, f"{locale}: untranslated: {missing[:5]} (run python scripts/catalogs.py)"


def test_translations_keep_their_placeholders() -> None:
    for msgid, text in _catalog("en").items():
        assert set(re.findall(r"{\w+}", msgid)) == set(re.findall(r"{\w+}", text)), msgid


def test_dutch_is_the_source_and_english_differs() -> None:
    tr = Translator(load_catalogs())
    assert tr.render("nl", Msg("Versturen")) == "Versturen"
    assert tr.render("en", Msg("Versturen")) == "Send"


def test_nested_messages_and_user_text_render() -> None:
    tr = Translator(load_catalogs())
    msg = Msg("{label}: {value}", {"label": Msg("Gezien"), "value": (Msg("Overlast"), Msg("Eenzaamheid"))})
    assert tr.render("en", msg) == "Seen: Nuisance, Loneliness"
    assert tr.render("en", Msg("Referentie van de melder: {ref}", {"ref": "{not a placeholder}"})) == (
        "Filer's reference: {not a placeholder}"
    )


def test_times_are_shown_in_amsterdam_time_across_dst() -> None:
    tr = Translator(load_catalogs())
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    winter = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert tr.when("nl", summer) == "1 jul 2026 12:00"
    assert tr.when("nl", winter) == "23 nov 2026 11:00"
    assert tr.when("en", winter) == "23 Nov 2026 11:00"
