"""A picked-up signal that goes quiet is asked about: "los op of schaal op", so it never falls between two
chairs.

After `idle_days` working days without any activity (any event of the signal: a question, an answer, a
note, a mark), its owner is asked privately "Loopt dit nog?" with Loopt nog, Doorzetten and Afsluiten. If
nothing happens for `idle_answer_days` more working days, the gemeente's coordinators are told, and the
count starts again. Each step is a due-work row, leased and committed with its messages; its key names
the signal and the last activity, so however often it is planned, one quiet spell is asked about once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.accounts.audit import record
from bot.domain.access import works_at
from bot.domain.clock import Clock
from bot.domain.jobs import WatchIdle
from bot.domain.ladder import Stalled
from bot.domain.region import Meldpunt, Region
from bot.domain.signal_commands import IN_HAND
from bot.views.desk_card import DeskCards
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import N_, Msg, Param
from storage.models import Signal, SignalEvent, User
from storage.ports import Work

# Open and with a desk that owns it; a hand-over in progress is chased on its own (handover_chase).
ASKED, STILL_RUNNING, ESCALATED = "idle_asked", "still_running", "idle_escalated"
QUIET = frozenset({ASKED})  # the bot's own question is not activity
ASK = N_(
    "⏳ Loopt dit nog? Signaal {ref} ({gemeente}) is bij u in behandeling; de laatste activiteit was op "
    "{last}. Kies wat er nu gebeurt."
)
STILL = N_("Loopt nog")
NOTED = N_(
    "✓ Genoteerd: signaal {ref} loopt nog. Na {days} werkdagen zonder activiteit vraagt de bot het opnieuw."
)
THANKS = N_("Dank u.")
TO_COORDINATOR = N_(
    "⚠ Signaal {ref} in {gemeente} ligt stil bij {desk}: geen activiteit sinds {last}, en de vraag "
    '"Loopt dit nog?" aan {owner} bleef onbeantwoord. Bekijk het met /signaal {ref}.'
)


def last_activity(events: list[SignalEvent]) -> datetime | None:
    """When anything last happened to a signal that counts as activity."""
    return max((e.at for e in events if e.kind not in QUIET), default=None)


@dataclass
class IdleWatch:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    cards: DeskCards
    # Unanswered at the last tier, it also goes up the gemeente's ladder (bot/regie; none in some tests).
    up: Stalled | None = None

    async def plan(self, uow: Work, signal: Signal) -> None:
        """Watch a signal its desk has in hand: ask idle_days working days after its last activity."""
        desk = self.region.meldpunten.get(signal.owner_desk or "")
        since = last_activity(await uow.signals.events_of(signal.id))
        if desk is None or since is None or signal.status not in IN_HAND:
            return
        days = self.region.escalation.idle_days
        await self._plan(uow, signal, since, 1, self.region.hours_of(desk).add_days(since, days))

    async def run(self, uow: Work, job: WatchIdle) -> None:
        """Ask the owner (tier 1) or tell the coordinators (tier 2), unless something happened meanwhile."""
        signal = await uow.signals.by_id(job.signal)
        if signal is None or signal.status not in IN_HAND:
            return
        desk = self.region.meldpunten.get(signal.owner_desk or "")
        since = job.since
        last = last_activity(await uow.signals.events_of(signal.id))
        if desk is None or last is None:
            return
        if last > since:  # there was activity: count again from it
            await self.plan(uow, signal)
            return
        owner = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
        if job.tier == 1 and owner is not None and works_at(owner, desk.id):
            await self._ask(uow, signal, desk, owner, since)
        else:
            await self._escalate(uow, signal, desk, owner, since)

    async def still_running(
        self, uow: Work, user: User, desk: Meldpunt, signal: Signal, chat_id: int, message_id: int
    ) -> Msg:
        """Loopt nog: noted as activity, so the count starts again from now."""
        await uow.signals.add_event(
            SignalEvent(signal_id=signal.id, at=self.clock.now(), actor_id=user.id, kind=STILL_RUNNING)
        )
        await self.plan(uow, signal)
        days = self.region.escalation.idle_days
        text = self.tr.render(user.locale, Msg(NOTED, {"ref": signal.ref, "days": days}))
        await self.messenger.edit(uow.outbox, chat_id, message_id, text, [])
        return Msg(THANKS)

    async def _ask(self, uow: Work, signal: Signal, desk: Meldpunt, owner: User, since: datetime) -> None:
        loc = owner.locale
        params: dict[str, Param] = {
            "ref": signal.ref,
            "gemeente": self.region.gemeente_name(signal.gemeente),
            "last": self.tr.when(loc, since),
        }
        buttons = [
            [self.cards.private_button(owner, signal, STILL, "live")],
            [
                self.cards.private_button(owner, signal, N_("Doorzetten"), "fwd"),
                self.cards.private_button(owner, signal, N_("Afsluiten"), "close"),
            ],
        ]
        text = self.tr.render(loc, Msg(ASK, params))
        await self.messenger.send(uow.outbox, owner.telegram_id, text, buttons)
        now = self.clock.now()
        await uow.signals.add_event(
            SignalEvent(signal_id=signal.id, at=now, actor_id=None, kind=ASKED, note=desk.id)
        )
        await record(uow, self.clock, "idle_asked", subject=signal.ref, desk=desk.id)
        later = self.region.hours_of(desk).add_days(now, self.region.escalation.idle_answer_days)
        await self._plan(uow, signal, since, 2, later)

    async def _escalate(
        self, uow: Work, signal: Signal, desk: Meldpunt, owner: User | None, since: datetime
    ) -> None:
        for user in await uow.users.coordinators_of(signal.gemeente):
            params: dict[str, Param] = {
                "ref": signal.ref,
                "gemeente": self.region.gemeente_name(signal.gemeente),
                "desk": desk.name,
                "owner": owner.display_name if owner else desk.name,
                "last": self.tr.when(user.locale, since),
            }
            text = self.tr.render(user.locale, Msg(TO_COORDINATOR, params))
            await self.messenger.send(uow.outbox, user.telegram_id, text)
        # Noted as activity: the coordinators know now, and the count starts again from here.
        await uow.signals.add_event_now(signal.id, self.clock.now(), ESCALATED, desk.id)
        await record(uow, self.clock, "idle_escalated", subject=signal.ref, desk=desk.id)
        if self.up is not None:
            await self.up(uow, signal.ref)
        await self.plan(uow, signal)

    async def _plan(self, uow: Work, signal: Signal, since: datetime, tier: int, at: datetime) -> None:
        await uow.due.plan(WatchIdle(signal.id, since, tier), at)
