"""Every Monday at 08:00 (when it is a working day), each coordinator and bestuurder gets one short message:
the traffic lights of the desks serving their gemeenten, the signals of the past week beside the week
before, the escalations waiting at their rung of the ladder and those decided last week, and the command
for the page. Nothing is sent where there is nothing. Due work: leased, committed with its
message, once per coordinator per Monday."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.access import BESTUURDER, COORDINATOR
from bot.domain.calendar import clock_time, working_day
from bot.domain.clock import Clock
from bot.domain.jobs import SendWeekly
from bot.domain.ladder import ladder_for
from bot.domain.regie import EscalationStatus
from bot.domain.region import Region
from bot.regiobeeld.figures import Filters, cell, figures, light, scope_of, share
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg, Param
from storage.models import User
from storage.ports import Work

AT = "08:00"
DOTS = {"green": "🟢", "orange": "🟠", "red": "🔴", "grey": "⚪"}
HEADER = N_("📊 Regiobeeld {day}")
HIDDEN = N_("× = verborgen, zodat niemand een klein aantal kan terugrekenen")
WEEK = N_("Signalen in {places} afgelopen week: {n} (de week ervoor: {before})")
DESK_LINE = N_(
    "{dot} {desk}: {share} binnen de termijn opgepakt (3 maanden), {open} open, {late} over de termijn"
)
MORE = N_("Meer, met grafieken en tabellen: /regiobeeld")
LADDER = N_("⬆ Opschalingen bij u ({rung}): {open} open; afgelopen week besloten in uw gemeenten: {decided}")


@dataclass
class Weekly:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger

    async def plan_today(self, uow: Work, day: date | None = None) -> int:
        """On a Monday that is a working day: one message for each coordinator, at 08:00. `day`: a day the
        sandbox's clock jumped past, whose message goes now."""
        hours = self.region.hours()
        today = day or hours.local_day(self.clock.now())
        if today.weekday() != 0 or not working_day(today):
            return 0
        coordinators = [u for u in await uow.users.all() if u.active and u.role in (COORDINATOR, BESTUURDER)]
        for user in coordinators:
            await uow.due.plan(SendWeekly(user.id, today), hours.at(today, clock_time(AT)))
        return len(coordinators)

    async def run(self, uow: Work, job: SendWeekly) -> None:
        """Send one coordinator the week's message, when there is anything to say."""
        user = await uow.users.by_id(job.user)
        scope = scope_of(self.region, user) if user is not None else None
        if user is None or scope is None:
            return
        now, loc = self.clock.now(), user.locale
        week = timedelta(days=7)
        this = await uow.signals.filed_between(scope.gemeenten, now - week, now)
        before = await uow.signals.filed_between(scope.gemeenten, now - 2 * week, now - week)
        f = await figures(uow, self.region, scope, Filters(months=3), now)
        busy = [d for d in f.desks if d.picked or d.open_now]
        ladder = await self._ladder(uow, user, scope.gemeenten, now - week)
        if not (this or before or busy or ladder):
            return  # nothing to say
        rules = self.region.regiobeeld
        places = ", ".join(self.region.gemeente_name(g) for g in scope.gemeenten)
        lines = [
            self.tr.render(loc, Msg(HEADER, {"day": self.tr.day(loc, job.day)})),
            self.tr.render(loc, Msg(WEEK, {"places": places, "n": cell(this), "before": cell(before)})),
        ]
        for d in busy:
            colour = light(d.raw_in_sla, d.raw_picked, rules.green_within_sla, rules.orange_within_sla)
            params = {
                "dot": DOTS[colour],
                "desk": d.name,
                "share": share(d.in_sla, d.picked),
                "open": cell(d.open_now),
            }
            lines.append(self.tr.render(loc, Msg(DESK_LINE, {**params, "late": cell(d.overdue_now)})))
        lines += ladder
        if any("×" in line for line in lines):
            lines.append(self.tr.render(loc, Msg(HIDDEN)))
        lines.append(self.tr.render(loc, Msg(MORE)))
        await self.messenger.send(uow.outbox, user.telegram_id, "\n".join(lines))

    async def _ladder(self, uow: Work, user: User, gemeenten: tuple[str, ...], since: datetime) -> list[str]:
        """The person's own rung of the ladder: what waits there now, and what was decided in their
        gemeenten last week (a statistic: `<5` when small). Nothing when their role has no rung."""
        mine = {  # (gemeente, rung number) → the rung's name, where the rung is this person's role
            (g, i): rung.name
            for g in gemeenten
            if (ladder := ladder_for(self.region.ladders, g)) is not None
            for i, rung in enumerate(ladder.rung)
            if rung.role == user.role
        }
        if not mine:
            return []
        found = await uow.escalations.in_gemeenten(gemeenten)
        waiting = sum(e.status == EscalationStatus.OPEN and (e.gemeente, e.rung) in mine for e in found)
        decided = sum(e.decided_at is not None and e.decided_at >= since for e in found)
        names = sorted(set(mine.values()))
        # What waits at their rung is their own work (exact); what was decided in their gemeenten is a
        # statistic, with small numbers protected.
        params: dict[str, Param] = {"rung": ", ".join(names), "open": waiting, "decided": cell(decided)}
        return [self.tr.render(user.locale, Msg(LADDER, params))] if waiting or decided else []
