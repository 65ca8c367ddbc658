"""AVE escalation: a signal nobody picked up goes to the desk again, then the gemeente, then the region.

Every deadline is counted in the desk's working hours (bot.domain.calendar): a Friday-afternoon
signal is chased on Monday, and the coordinators hear of it on a working day too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.jobs import Escalate
from bot.domain.ladder import Stalled
from bot.domain.lifecycle import Status
from bot.domain.region import Meldpunt, Region
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg
from storage.models import Signal
from storage.ports import Work

REMINDER = N_(
    "⏰ Herinnering: signaal {ref} ({gemeente}) is nog niet opgepakt; de termijn liep af op {since}. "
    "Wie pakt het op?"
)
TO_COORDINATOR = N_(
    "⚠ Opschaling (AVE stap 2, van het meldpunt naar de gemeente): signaal {ref} in {gemeente} is sinds {since} door {desk} niet opgepakt.\n"
    "Bekijk het met /signaal {ref} en neem contact op met het meldpunt."
)
TO_REGION = N_(
    "⚠ Opschaling (AVE stap 3, van de gemeente naar het regionale meldpunt): signaal {ref} in {gemeente} is sinds {since} door {desk} niet opgepakt, "
    "ook niet na opschaling naar de gemeente."
)


@dataclass
class Escalator:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    # After the regional desk (AVE stap 3) it goes up the gemeente's ladder too (bot/regie; none in tests).
    up: Stalled | None = None

    async def plan(self, uow: Work, signal: Signal, desk_ids: list[str]) -> None:
        """Plan tier 1 for every desk the signal went to, at that desk's SLA deadline."""
        for desk_id in desk_ids:
            desk = self.region.meldpunten[desk_id]
            await self._plan_tier(uow, signal.id, desk, 1, self.region.pick_up_by(desk, signal.created_at))

    async def run(self, uow: Work, job: Escalate) -> None:
        """Run one tier, unless the signal was picked up or closed meanwhile; then plan the next tier."""
        signal = await uow.signals.by_id(job.signal)
        desk = self.region.meldpunten.get(job.desk)
        tier = job.tier
        if signal is None or desk is None or signal.status != Status.NEW:
            return  # escalation stops the moment someone picks the signal up
        deadline = self.region.pick_up_by(desk, signal.created_at)
        gemeente = self.region.gemeenten[signal.gemeente].name
        if tier == 1:
            since = self.tr.when(desk.locale, deadline)
            msg = Msg(REMINDER, {"ref": signal.ref, "gemeente": gemeente, "since": since})
            await self.messenger.send(uow.outbox, desk.chat_id, self.tr.render(desk.locale, msg))
        elif tier == 2:
            for user in await uow.users.coordinators_of(signal.gemeente):
                msg = Msg(
                    TO_COORDINATOR,
                    {
                        "ref": signal.ref,
                        "gemeente": gemeente,
                        "since": self.tr.when(user.locale, deadline),
                        "desk": desk.name,
                    },
                )
                await self.messenger.send(uow.outbox, user.telegram_id, self.tr.render(user.locale, msg))
        else:
            regional = self.region.meldpunten[self.region.escalation.regional_desk]
            msg = Msg(
                TO_REGION,
                {
                    "ref": signal.ref,
                    "gemeente": gemeente,
                    "since": self.tr.when(regional.locale, deadline),
                    "desk": desk.name,
                },
            )
            await self.messenger.send(uow.outbox, regional.chat_id, self.tr.render(regional.locale, msg))
            if self.up is not None:
                await self.up(uow, signal.ref)
        await record(uow, self.clock, "signal_escalated", subject=signal.ref, desk=desk.id, tier=tier)
        await uow.signals.add_event_now(signal.id, self.clock.now(), f"escalated_{tier}", desk.id)
        if tier < 3:
            await self._plan_tier(uow, signal.id, desk, tier + 1, deadline)

    async def _plan_tier(
        self, uow: Work, signal_id: int, desk: Meldpunt, tier: int, deadline: datetime
    ) -> None:
        e = self.region.escalation
        offset = {1: e.reminder_after_hours, 2: e.coordinator_after_hours, 3: e.regional_after_hours}[tier]
        await uow.due.plan(
            Escalate(signal_id, desk.id, tier), self.region.hours_of(desk).add_hours(deadline, offset)
        )
