"""Babel catalogs and rendering of flow messages. From a source checkout the catalogs are compiled at
start-up from locale/*.po; an installed package (the image) carries them compiled at build time
(`scripts/catalogs.py --compile`, into bot/views/catalogs/)."""

from __future__ import annotations

import gettext
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from flows.text import N_, Msg, Param

AT_MOMENT = N_("op {day} om {time}")
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
COMPILED_DIR = Path(__file__).resolve().parent / "catalogs"
LOCALES = ("nl", "en")
DOMAIN = "messages"
# Parameters with these names hold lists shown one per line; other lists are joined with commas.
LINE_PARAMS = frozenset({"summary", "lines"})


def load_catalogs(
    locale_dir: Path = LOCALE_DIR, compiled_dir: Path = COMPILED_DIR
) -> dict[str, gettext.NullTranslations]:
    """Each locale's catalog: its .po compiled in memory where the source is (a fresh checkout needs no
    build step, and an edited .po is never shadowed by an old build), else the .mo built with the package."""
    catalogs: dict[str, gettext.NullTranslations] = {}
    for locale in LOCALES:
        po = locale_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            buffer = BytesIO(compile_po(po, locale))
        else:
            buffer = BytesIO((compiled_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes())
        catalogs[locale] = Translations(buffer, domain=DOMAIN)
    return catalogs


def compile_po(po: Path, locale: str) -> bytes:
    """A .po file compiled to .mo bytes."""
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


class Translator:
    def __init__(
        self, catalogs: dict[str, gettext.NullTranslations], timezone: str = "Europe/Amsterdam"
    ) -> None:
        self._catalogs = catalogs
        self._zone = ZoneInfo(timezone)

    def gettext(self, locale: str, msgid: str) -> str:
        """The translation of one message id (Dutch when the locale is unknown)."""
        catalog = self._catalogs.get(locale) or self._catalogs.get("nl")
        return catalog.gettext(msgid) if catalog else msgid

    def render(self, locale: str, msg: Msg | str) -> str:
        """Translate a message and its parameters; plain strings are user text and stay as they are."""
        if isinstance(msg, str):
            return msg
        params = {key: self._param(locale, key, value) for key, value in msg.params.items()}
        text = self.gettext(locale, msg.msgid)
        return text.format(**params) if params else text

    def _param(self, locale: str, key: str, value: Param) -> str:
        if isinstance(value, tuple):
            sep = "\n" if key in LINE_PARAMS else ", "
            return sep.join(self.render(locale, v) for v in value)
        if isinstance(value, Msg):
            return self.render(locale, value)
        return str(value)

    def day(self, locale: str, day: date) -> str:
        """Format a day the way the locale writes it, with its weekday."""
        return format_date(day, "EEEE d MMMM yyyy", locale=locale)

    def month(self, locale: str, month: str) -> str:
        """Name a month ("2026-03") as the locale writes it: "maart 2026"."""
        year, number = (int(x) for x in month.split("-"))
        return format_date(date(year, number, 1), "LLLL yyyy", locale=locale)

    def number(self, locale: str, value: float) -> str:
        """Write a number as the locale does: 0,5 in Dutch."""
        return format_decimal(value, locale=locale)

    def moment(self, locale: str, moment: datetime) -> str:
        """Say when something will happen, as in a sentence: "op maandag 14 december om 09:00"."""
        local = moment.astimezone(self._zone)
        day = format_date(local.date(), "EEEE d MMMM", locale=locale)
        return self.render(locale, Msg(AT_MOMENT, {"day": day, "time": f"{local:%H:%M}"}))

    def when(self, locale: str, moment: datetime) -> str:
        """Format a moment in the region's time zone, the way the locale writes it."""
        return format_datetime(moment, "d MMM yyyy HH:mm", tzinfo=self._zone, locale=locale)
