"""A hand-over nobody answers is chased: "los op of schaal op", so it never falls between two chairs.

Within the receiving desk's SLA (working hours) it should accept or refuse. If it has not, tier 1
reminds the receiving desk in its chat; tier 2, one escalation step later, tells the sending desk (which
stays responsible meanwhile) and the gemeente's coordinators. Each tier is a due-work row, leased and
committed with its messages; it stops the moment the hand-over is answered or asked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.jobs import ChaseHandOver
from bot.domain.ladder import Stalled
from bot.domain.lifecycle import Status
from bot.domain.region import Meldpunt, Region
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg
from storage.models import Signal
from storage.ports import Work

TO_RECEIVER = N_(
    "⏰ Herinnering: {from} vroeg u op {since} signaal {ref} ({gemeente}) over te nemen. "
    "Accepteer of weiger het bij het signaal; tot dan blijft {from} verantwoordelijk."
)
TO_SENDER = N_(
    "⚠ {to} heeft de overdracht van {ref} ({gemeente}), gevraagd op {since}, nog niet beantwoord. "
    "U blijft verantwoordelijk; neem contact op met {to}."
)
TO_COORDINATOR = N_(
    "⚠ Overdracht blijft liggen: {from} vroeg {to} op {since} signaal {ref} in {gemeente} over te nemen; "
    "er is nog geen antwoord. Bekijk het met /signaal {ref}."
)


@dataclass
class HandOverChase:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    # Unanswered at the last tier, it also goes up the gemeente's ladder (bot/regie; none in some tests).
    up: Stalled | None = None

    async def plan(self, uow: Work, signal: Signal, receiver: Meldpunt, since: datetime) -> None:
        """Plan tier 1 at the receiving desk's SLA after the request."""
        await self._plan(uow, signal, receiver, since, 1, self.region.pick_up_by(receiver, since))

    async def run(self, uow: Work, job: ChaseHandOver) -> None:
        """Send one tier, unless the hand-over was answered (or asked anew) meanwhile."""
        signal = await uow.signals.by_id(job.signal)
        receiver = self.region.meldpunten.get(job.to)
        since, tier = job.since, job.tier
        if (
            signal is None
            or receiver is None
            or signal.status != Status.HANDOVER
            or signal.handover_to != receiver.id
            or signal.handover_since != since
        ):
            return
        sender = self.region.meldpunten.get(signal.owner_desk or "")
        params = {
            "from": sender.name if sender else "",
            "to": receiver.name,
            "ref": signal.ref,
            "gemeente": self.region.gemeente_name(signal.gemeente),
        }
        if tier == 1:
            await self._say(receiver.chat_id, receiver.locale, TO_RECEIVER, params, since, uow)
            later = self.region.hours_of(receiver).add_hours(
                self.clock.now(), self.region.escalation.coordinator_after_hours
            )
            await self._plan(uow, signal, receiver, since, 2, later)
        else:
            if sender is not None:
                await self._say(sender.chat_id, sender.locale, TO_SENDER, params, since, uow)
            for user in await uow.users.coordinators_of(signal.gemeente):
                await self._say(user.telegram_id, user.locale, TO_COORDINATOR, params, since, uow)
            if self.up is not None:
                await self.up(uow, signal.ref)
        kind = f"handover_chased_{tier}"
        await uow.signals.add_event_now(signal.id, self.clock.now(), kind, receiver.id)
        await record(uow, self.clock, "handover_chased", subject=signal.ref, desk=receiver.id, tier=tier)

    async def _say(
        self, chat_id: int, loc: str, msgid: str, params: dict[str, str], since: datetime, uow: Work
    ) -> None:
        text = self.tr.render(loc, Msg(msgid, {**params, "since": self.tr.when(loc, since)}))
        await self.messenger.send(uow.outbox, chat_id, text)

    async def _plan(
        self, uow: Work, signal: Signal, receiver: Meldpunt, since: datetime, tier: int, at: datetime
    ) -> None:
        await uow.due.plan(ChaseHandOver(signal.id, receiver.id, since, tier), at)
