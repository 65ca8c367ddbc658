"""The region file: meldpunten and ordered routing rules, validated at load time with file and line."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError, field_validator

from bot.domain.calendar import WorkingTime, clock_time
from bot.domain.ladder import Ladder, problems
from bot.domain.region_rules import CLOCK, Escalation, RegiobeeldRules, Samenloop, WaakvlamRules, _Strict
from flows.intake import CATEGORY_VALUES

DEFAULT_REGION = Path(__file__).resolve().parent.parent / "region" / "drenthe.toml"
GEMEENTE = "{gemeente}"


class RegionError(Exception):
    """A region file that cannot be used; the message names the file, the line and the problem."""


class Gemeente(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str


class Meldpunt(_Strict):
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    scope: Literal["provincie", "gemeente", "regio", "landelijk"]
    gemeente: str | None = None
    chat_id: int
    # Working hours to pick a signal up (bot.domain.calendar), counted in the desk's opening hours.
    sla_hours: float = Field(gt=0)
    # Opening hours on working days; unset, the region's.
    opens: str | None = Field(default=None, pattern=CLOCK)
    closes: str | None = Field(default=None, pattern=CLOCK)
    # The desk's chat is one person's private chat; like a group it shows no typed text (issue 37).
    private: bool = False
    locale: Literal["nl", "en"] = "nl"
    # After Oppakken the desk records its triage (procesregie, advies, niet passend) and keeps a werkvoorraad
    # of procesregie waiting for capacity, with priorities (the Zorg- en Veiligheidshuis, Veilig Thuis).
    triage: bool = False


class Condition(_Strict):
    categories_any: tuple[str, ...] = ()
    categories_all: tuple[str, ...] = ()
    categories_none: tuple[str, ...] = ()
    gemeenten: tuple[str, ...] = ()
    care_involved: Literal["yes", "no", "unknown"] | None = None

    @field_validator("categories_any", "categories_all", "categories_none")
    @classmethod
    def _known_categories(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = sorted(set(value) - CATEGORY_VALUES)
        if unknown:
            raise ValueError(f"unknown categories {unknown}; known: {sorted(CATEGORY_VALUES)}")
        return value


class Reason(_Strict):
    """Why a rule routes a signal, in words a filer and a desk both read.

    `chosen = true` (the default): the words name what the filer chose, "verward gedrag of
    zelfverwaarlozing"; the filer reads "omdat u … koos", the desk "gemeld als …".
    `chosen = false`: a clause with its verb last, "geen specifiek meldpunt past", shown as written
    after "omdat".
    """

    nl: str
    en: str | None = None
    chosen: bool = True

    def words(self, locale: str) -> str:
        """The reason in this language (Dutch when there is no English)."""
        return self.en if locale == "en" and self.en else self.nl


class Rule(_Strict):
    id: str
    when: Condition = Condition()
    route: tuple[str, ...] = Field(min_length=1)
    reason: Reason
    fallback: bool = False
    final: bool = False


class RegionInfo(_Strict):
    id: str
    name: str
    timezone: str = "Europe/Amsterdam"
    # The desks' opening hours on working days (Monday to Friday, Dutch public holidays off).
    opens: str = Field(default="08:30", pattern=CLOCK)
    closes: str = Field(default="17:00", pattern=CLOCK)


class RegionModel(_Strict):
    region: RegionInfo
    escalation: Escalation = Escalation()
    waakvlam: WaakvlamRules = WaakvlamRules()
    regiobeeld: RegiobeeldRules = RegiobeeldRules()
    samenloop: Samenloop = Samenloop()
    gemeente: tuple[Gemeente, ...] = Field(min_length=1)
    meldpunt: tuple[Meldpunt, ...] = Field(min_length=1)
    rule: tuple[Rule, ...] = Field(min_length=1)
    ladder: tuple[Ladder, ...] = ()


@dataclass(frozen=True)
class Region:
    """A loaded, checked region: look-ups by id, rules in order."""

    info: RegionInfo
    gemeenten: dict[str, Gemeente]
    meldpunten: dict[str, Meldpunt]
    rules: tuple[Rule, ...]
    source: str
    escalation: Escalation = field(default_factory=Escalation)
    waakvlam: WaakvlamRules = field(default_factory=WaakvlamRules)
    regiobeeld: RegiobeeldRules = field(default_factory=RegiobeeldRules)
    ladders: tuple[Ladder, ...] = ()
    samenloop: Samenloop = field(default_factory=Samenloop)

    def hours(self) -> WorkingTime:
        """The region's working time (a desk may have its own: hours_of)."""
        return WorkingTime(self.info.timezone, clock_time(self.info.opens), clock_time(self.info.closes))

    def hours_of(self, desk: Meldpunt) -> WorkingTime:
        """The desk's working time: its own opening hours, or the region's, in the region's zone."""
        opens, closes = clock_time(desk.opens or self.info.opens), clock_time(desk.closes or self.info.closes)
        return WorkingTime(self.info.timezone, opens, closes)

    def pick_up_by(self, desk: Meldpunt, filed: datetime) -> datetime:
        """When the desk's pick-up time runs out: its SLA in working hours after filing."""
        return self.hours_of(desk).add_hours(filed, desk.sla_hours)

    def gemeente_name(self, gemeente_id: str) -> str:
        """The gemeente's name, or its id when the region file no longer has it."""
        g = self.gemeenten.get(gemeente_id)
        return g.name if g else gemeente_id

    def desk_for_chat(self, chat_id: int) -> Meldpunt | None:
        """The desk whose group chat this is, if any."""
        return next((m for m in self.meldpunten.values() if m.chat_id == chat_id), None)


def load_region(path: Path | str = DEFAULT_REGION) -> Region:
    """Read and check a region file; raise RegionError naming file and line on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RegionError(f"{path}: cannot read region file: {exc.strerror}") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RegionError(f"{path}: {exc}") from exc
    try:
        model = RegionModel.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        raise RegionError(f"{path}:{_line_of(text, loc)}: {_dotted(loc)}: {first['msg']}") from exc
    return _check(model, text, path)


T = TypeVar("T")
Fail = Callable[[tuple[str | int, ...], str], RegionError]


def _check(model: RegionModel, text: str, path: Path) -> Region:
    def fail(loc: tuple[str | int, ...], message: str) -> RegionError:
        return RegionError(f"{path}:{_line_of(text, loc)}: {_dotted(loc)}: {message}")

    gemeenten = _unique("gemeente", [(g.id, g) for g in model.gemeente], fail)
    meldpunten = _unique("meldpunt", [(m.id, m) for m in model.meldpunt], fail)
    for i, m in enumerate(model.meldpunt):
        if m.scope == "gemeente" and m.gemeente not in gemeenten:
            raise fail(("meldpunt", i, "gemeente"), f"unknown gemeente {m.gemeente!r}")
    _unique("rule", [(r.id, r) for r in model.rule], fail)
    for i, r in enumerate(model.rule):
        _check_rule(i, r, gemeenten, meldpunten, fail)
    for i, m in enumerate(model.meldpunt):
        if (m.closes or model.region.closes) <= (m.opens or model.region.opens):
            raise fail(("meldpunt", i, "closes"), "a desk closes after it opens")
    if model.escalation.regional_desk not in meldpunten:
        raise fail(("escalation",), f"unknown meldpunt {model.escalation.regional_desk!r}")
    if wrong := problems(model.ladder, gemeenten, meldpunten):
        raise fail(("ladder",), wrong[0])
    if model.regiobeeld.orange_within_sla > model.regiobeeld.green_within_sla:
        raise fail(("regiobeeld", "orange_within_sla"), "orange is at most green")
    return Region(
        model.region,
        gemeenten,
        meldpunten,
        model.rule,
        str(path),
        model.escalation,
        model.waakvlam,
        model.regiobeeld,
        model.ladder,
        model.samenloop,
    )


def _unique(table: str, items: list[tuple[str, T]], fail: Fail) -> dict[str, T]:
    """The items by id; a second one with the same id stops the load at its line."""
    found: dict[str, T] = {}
    for i, (key, item) in enumerate(items):
        if key in found:
            raise fail((table, i, "id"), f"duplicate {table} id {key!r}")
        found[key] = item
    return found


def _check_rule(
    i: int, rule: Rule, gemeenten: dict[str, Gemeente], meldpunten: dict[str, Meldpunt], fail: Fail
) -> None:
    for gid in rule.when.gemeenten:
        if gid not in gemeenten:
            raise fail(("rule", i, "when"), f"unknown gemeente {gid!r}")
    for target in rule.route:
        for gid in rule.when.gemeenten or tuple(gemeenten):
            if target.replace(GEMEENTE, gid) not in meldpunten:
                raise fail(("rule", i, "route"), f"route {target!r} names no meldpunt for gemeente {gid!r}")


def _dotted(loc: tuple[str | int, ...]) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else p for p in loc).replace(".[", "[")


def _line_of(text: str, loc: tuple[str | int, ...]) -> int:
    """Find the line of `[[table]]` number loc[1], and of the key loc[2] inside it when present."""
    lines = text.splitlines()
    if len(loc) < 2 or not isinstance(loc[1], int):
        key = str(loc[0]) if loc else ""
        return next(
            (n for n, line in enumerate(lines, 1) if re.match(rf"\s*\[{{1,2}}{re.escape(key)}\]", line)), 1
        )
    header = re.compile(rf"\s*\[\[{re.escape(str(loc[0]))}\]\]")
    starts = [n for n, line in enumerate(lines) if header.match(line)]
    if loc[1] >= len(starts):
        return 1
    start = starts[loc[1]]
    # The most specific key first: `when.categories_any = …` before `when…`.
    keys = (
        [".".join(str(p) for p in loc[2:4]), str(loc[2])]
        if len(loc) > 3
        else [str(loc[2])]
        if len(loc) > 2
        else []
    )
    end = next((n for n in range(start + 1, len(lines)) if lines[n].lstrip().startswith("[")), len(lines))
    for key in keys:
        field = re.compile(rf"\s*{re.escape(key)}\s*[.=]")
        for n in range(start + 1, end):
            if field.match(lines[n]):
                return n + 1
    return start + 1
