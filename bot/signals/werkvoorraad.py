"""A desk's werkvoorraad: what is open, in the order to work on it, and the urgent mark.

Urgent first, then past the pick-up deadline, then oldest; each line says its age in working days and
who has it. `/open` and the daily digest use the same order.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.lifecycle import STATUS_LABELS, Status
from bot.domain.overleg import PRIORITIES
from bot.domain.region import Meldpunt, Region
from bot.signals.desk import DeskService
from bot.signals.triage import weeks
from bot.views.i18n import Translator
from flows.text import N_, Msg, Param
from storage.models import Signal, User
from storage.ports import Work

OPEN_HEADER = N_("Open signalen van {desk} (urgent en over de termijn eerst, dan de oudste):")
OPEN_LINE = N_("{mark}{ref} · {age} · {gemeente} · {status}{who}")
OPEN_NONE = N_("{desk} heeft geen open signalen.")
DESK_ONLY = N_("Dit overzicht is voor meldpuntmedewerkers.")
TODAY = N_("vandaag")
WORKING_DAYS = N_("{n} werkdagen")
ONE_WORKING_DAY = N_("1 werkdag")
URGENT_MARK = "⚑ "
OVERDUE_MARK = "⏰ "
WHO = N_(" · bij {name}")
QUEUED = N_(" · werkvoorraad P{n}, wacht {weeks}")
MARKED = N_("Gemarkeerd als urgent.")
UNMARKED = N_("Niet meer urgent.")


def overdue(region: Region, desk: Meldpunt, signal: Signal, now: datetime) -> bool:
    """Not picked up and past the desk's pick-up deadline (working hours)."""
    return signal.status == Status.NEW and region.pick_up_by(desk, signal.created_at) < now


def in_order(region: Region, desk: Meldpunt, signals: list[Signal], now: datetime) -> list[Signal]:
    """Urgent first, then overdue, then oldest."""

    def key(s: Signal) -> tuple[bool, bool, datetime, int]:
        return (not s.urgent, not overdue(region, desk, s, now), s.created_at, s.id)

    return sorted(signals, key=key)


@dataclass
class Werkvoorraad:
    region: Region
    tr: Translator
    clock: Clock
    desk: DeskService
    # What reminders are set (Herinner mij, bot/regie/reminders.py), listed under the open signals.
    reminders: Callable[[Work, User], Awaitable[list[str]]] | None = None

    async def toggle_urgent(self, uow: Work, user: User, desk: Meldpunt, signal: Signal) -> Msg:
        """Desk staff mark an open signal urgent, or take the mark off; every summary shows it."""
        urgent = not signal.urgent
        await uow.signals.change(signal, urgent=urgent)
        kind = "marked_urgent" if urgent else "unmarked_urgent"
        await uow.signals.add_event_now(signal.id, self.clock.now(), kind, desk.id)
        await record(uow, self.clock, kind, actor=user, subject=signal.ref, desk=desk.id)
        await self.desk.refresh(uow, signal)
        return Msg(MARKED if urgent else UNMARKED)

    async def open_list(self, uow: Work, user: User, loc: str) -> str:
        """A desk's open signals in working order, in `loc` (the desk's language in its group chat, the
        person's own in private); below them the reminders that are set (codes only)."""
        text = await self._open(uow, user, loc)
        extra = await self.reminders(uow, user) if self.reminders is not None else []
        return "\n".join([text, "", *extra]).rstrip()

    async def _open(self, uow: Work, user: User, loc: str) -> str:
        desk = self.region.meldpunten.get(user.meldpunt_id or "")
        if desk is None:  # a meldpunt the region no longer has
            return self.tr.render(loc, Msg(DESK_ONLY))
        now = self.clock.now()
        signals = in_order(self.region, desk, await uow.signals.open_for_desk(desk.id, Status.CLOSED), now)
        if not signals:
            return self.tr.render(loc, Msg(OPEN_NONE, {"desk": desk.name}))
        owners = await uow.users.by_ids({s.owner_id for s in signals if s.owner_id is not None})
        hours = self.region.hours_of(desk)
        lines = [self.tr.render(loc, Msg(OPEN_HEADER, {"desk": desk.name}))]
        for s in signals:
            days = hours.working_days_between(s.created_at, now)
            owner = owners.get(s.owner_id or 0)
            params: dict[str, Param] = {
                "mark": URGENT_MARK
                if s.urgent
                else OVERDUE_MARK
                if overdue(self.region, desk, s, now)
                else "",
                "ref": s.ref,
                "age": Msg(ONE_WORKING_DAY if days == 1 else WORKING_DAYS, {"n": days})
                if days
                else Msg(TODAY),
                "gemeente": self.region.gemeente_name(s.gemeente),
                "status": Msg(STATUS_LABELS[s.status]),
                "who": Msg(WHO, {"name": owner.display_name}) if owner else "",
            }
            line = self.tr.render(loc, Msg(OPEN_LINE, params))
            if s.priority in PRIORITIES:  # procesregie waiting for capacity (bot/signals/triage.py)
                waits = weeks(self.tr, loc, s.queued_at, now)
                line += self.tr.render(loc, Msg(QUEUED, {"n": s.priority or 0, "weeks": waits}))
            lines.append(line)
        return "\n".join(lines)
