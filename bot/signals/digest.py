"""The daily digest per desk, on working days: only when there is something to say."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot.domain.calendar import working_day
from bot.domain.clock import Clock
from bot.domain.jobs import SendDigest
from bot.domain.lifecycle import Status
from bot.domain.region import Meldpunt, Region
from bot.signals.werkvoorraad import overdue
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg
from storage.ports import Work

HEADER = N_("Overzicht {desk}, {day}")
NEW_LINE = N_("Nieuw sinds het vorige overzicht: {n}")
OPEN_LINE = N_("Open: {n}")
HANDOVER_LINE = N_("Wacht op overdracht: {n}")
URGENT_LINE = N_("⚑ Urgent: {refs}")
OVERDUE_LINE = N_("Over de termijn, nog niet opgepakt: {refs}")
OVERLEG_LINE = N_("🤝 Routeeroverleg nog niet besloten: {refs}")
MORE = N_("Met /open ziet u de lijst.")


@dataclass
class Digests:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    # On Mondays, a triaging desk's werkvoorraad card (bot/signals/triage.py); none in some tests.
    monday: Callable[[Work, Meldpunt], Awaitable[None]] | None = None

    async def plan_today(self, uow: Work, day: date | None = None) -> int:
        """Plan today's digest for every desk (once, however often this runs); none on days off. `day`: a
        day the sandbox's clock jumped past, whose digest goes now."""
        zone = ZoneInfo(self.region.info.timezone)
        today = day or self.clock.now().astimezone(zone).date()
        if not working_day(today):
            return 0
        for desk in self.region.meldpunten.values():
            await uow.due.plan(SendDigest(desk.id, today), self.clock.now())
        return len(self.region.meldpunten)

    async def run(self, uow: Work, job: SendDigest) -> None:
        """Send one desk's digest for one day, if it has anything open or new."""
        desk = self.region.meldpunten.get(job.desk)
        if desk is None:
            return
        now = self.clock.now()
        signals = await uow.signals.open_for_desk(desk.id, Status.CLOSED)
        since = await uow.due.last_done(f"{SendDigest.kind}:{desk.id}:") or now - timedelta(days=1)
        new = [s for s in signals if s.created_at >= since]
        handover = [s for s in signals if s.status == Status.HANDOVER]
        late = [s for s in signals if overdue(self.region, desk, s, now)]
        if job.day.weekday() == 0 and self.monday is not None:
            await self.monday(uow, desk)
        if not signals:
            return
        loc = desk.locale
        day = job.day
        lines = [
            self.tr.render(loc, Msg(HEADER, {"desk": desk.name, "day": self.tr.day(loc, day)})),
            self.tr.render(loc, Msg(NEW_LINE, {"n": len(new)})),
            self.tr.render(loc, Msg(OPEN_LINE, {"n": len(signals)})),
        ]
        urgent = [s for s in signals if s.urgent]
        if urgent:  # urgent and overdue first, as in /open
            lines.append(self.tr.render(loc, Msg(URGENT_LINE, {"refs": ", ".join(s.ref for s in urgent)})))
        if handover:
            lines.append(self.tr.render(loc, Msg(HANDOVER_LINE, {"n": len(handover)})))
        if late:
            lines.append(self.tr.render(loc, Msg(OVERDUE_LINE, {"refs": ", ".join(s.ref for s in late)})))
        undecided = await uow.samenloop.open_for([desk.id])
        if undecided:  # the routeeroverleggen still to decide (bot/samenloop)
            by_id = {s.id: s.ref for s in signals}
            refs = ", ".join(f"{o.ref} ({by_id.get(o.signal_id, '-')})" for o in undecided)
            lines.append(self.tr.render(loc, Msg(OVERLEG_LINE, {"refs": refs})))
        lines.append(self.tr.render(loc, Msg(MORE)))
        await self.messenger.send(uow.outbox, desk.chat_id, "\n".join(lines))
