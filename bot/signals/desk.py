"""The desk side of a signal: summaries with buttons that follow its state, picking up and closing."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain import pickup
from bot.domain.access import works_at
from bot.domain.clock import Clock
from bot.domain.lifecycle import OUTCOMES, Move, after
from bot.domain.region import Meldpunt, Region
from bot.domain.routing import Decision
from bot.domain.signal_commands import DeskAction, allowed
from bot.domain.tallies import Counted, Outcome, TallyKind, TookHours, month
from bot.regie.links import RegieLinks, regie_line
from bot.views.desk_card import DeskCards
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from bot.views.summaries import decision_of, desk_summary
from flows.text import N_, Msg, Param
from storage.models import Signal, SignalRoute, User
from storage.ports import Work

RELAPSE = N_(
    "🔁 terugval binnen waakvlam {ref}, afgesproken na signaal {earlier}; u bent het afgesproken meldpunt. "
    "Geschiedenis: /signaal met de referentie van dit signaal"
)
RELAPSE_NO_SIGNAL = N_("🔁 terugval binnen waakvlam {ref}; u bent het afgesproken meldpunt bij terugval")
CHANGED = N_("Dit signaal is intussen veranderd; de knoppen zijn bijgewerkt.")
PICKED = N_("U heeft dit signaal opgepakt.")
FILER_PICKED = N_("{desk} heeft uw signaal {ref} in behandeling.")
FILER_CLOSED = N_("{desk} heeft uw signaal {ref} afgesloten: {outcome}.")


@dataclass
class DeskService:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    cards: DeskCards
    # Ties a new signal to its resident's regie and tells the regisseur (bot/regie); none in some tests.
    regie: RegieLinks | None = None

    async def announce(
        self, uow: Work, signal: Signal, decision: Decision, routes: list[SignalRoute]
    ) -> None:
        """Send each routed desk of a new signal its summary with buttons; each route remembers its
        message, to edit later (`routes` in the order of `decision.desks`, not yet written). A resident with a
        regie: the signal is tied to it first, so every summary names the regisseur."""
        await self.link_regie(uow, signal)
        for routed, route in zip(decision.desks, routes, strict=True):
            await self.announce_one(uow, signal, routed.meldpunt, route, decision)

    async def announce_one(
        self,
        uow: Work,
        signal: Signal,
        desk: Meldpunt,
        route: SignalRoute,
        decision: Decision | None = None,
    ) -> None:
        """Send one desk the signal's summary with the buttons that apply to it now (`decision`: the
        signal's routing, when the caller has it in hand)."""
        route.summary_outbox_id = await self.messenger.send(
            uow.outbox,
            desk.chat_id,
            await self._text(uow, desk, signal, decision),
            self.cards.buttons(desk, signal),
        )
        await uow.signals.shown(signal.id, desk.chat_id, route.summary_outbox_id)

    async def link_regie(self, uow: Work, signal: Signal) -> None:
        """A new signal about a resident with a regie is tied to it; the regisseur hears of it privately."""
        if self.regie is not None:
            await self.regie.link_new(uow, signal)

    async def pick_up(self, uow: Work, user: User, desk: Meldpunt, signal: Signal) -> Msg:
        """Oppakken: this desk and this person have the signal in hand; the filer hears it."""
        new = after(signal.status, Move.PICK_UP)
        if new is None:
            return Msg(CHANGED)
        await uow.signals.move(
            signal, new, "picked_up", self.clock.now(), user.id, owner_desk=desk.id, owner_id=user.id
        )
        await record(uow, self.clock, "signal_picked_up", actor=user, subject=signal.ref, desk=desk.id)
        await self._count(uow, signal, desk, Counted.PICKED_UP)
        if self.region.pick_up_by(desk, signal.created_at) >= self.clock.now():
            await self._count(uow, signal, desk, Counted.PICKED_IN_TIME)
        took = self.region.hours_of(desk).hours_between(signal.created_at, self.clock.now())
        await self._count(uow, signal, desk, TookHours(pickup.bucket(took)))
        await self.tell_filer(uow, signal, Msg(FILER_PICKED, {"desk": desk.name, "ref": signal.ref}))
        await self.refresh(uow, signal)
        return Msg(PICKED)

    async def close(self, uow: Work, user: User, desk: Meldpunt, signal: Signal, outcome: str) -> bool:
        """Close with `outcome` and tell the filer in plain words; False when it can no longer be closed here."""
        new = after(signal.status, Move.CLOSE)
        # Once a desk has picked a signal up, only that desk closes it.
        if new is None or outcome not in OUTCOMES or DeskAction.CLOSE not in allowed(signal, desk.id):
            return False
        now = self.clock.now()
        await uow.signals.move(
            signal,
            new,
            "closed",
            now,
            user.id,
            note=outcome,
            owner_desk=desk.id,
            owner_id=signal.owner_id or user.id,
            outcome=outcome,
            closed_at=now,
        )
        await record(
            uow, self.clock, "signal_closed", actor=user, subject=signal.ref, desk=desk.id, outcome=outcome
        )
        await self._count(uow, signal, desk, Outcome(outcome))
        await self.tell_filer(
            uow,
            signal,
            Msg(FILER_CLOSED, {"desk": desk.name, "ref": signal.ref, "outcome": Msg(OUTCOMES[outcome])}),
        )
        await self.refresh(uow, signal)
        return True

    async def _count(self, uow: Work, signal: Signal, desk: Meldpunt, kind: TallyKind) -> None:
        """An anonymous count for the regiobeeld, per gemeente, desk and month (it outlives the signal)."""
        await uow.tallies.bump(
            kind, signal.gemeente, desk.id, month(self.clock.now(), self.region.info.timezone)
        )

    async def serves(self, uow: Work, user: User, desk: Meldpunt, signal: Signal) -> bool:
        """Whether this person works at this desk and the signal is routed to it (read again when a private
        conversation about it ends: people move and signals change meanwhile)."""
        routes = await uow.signals.routes_of(signal.id)
        return works_at(user, desk.id) and desk.id in {r.meldpunt_id for r in routes}

    async def refresh(self, uow: Work, signal: Signal) -> None:
        """Edit every desk's summary of this signal to show its state and the buttons that now apply."""
        for route in await uow.signals.routes_of(signal.id):
            desk = self.region.meldpunten.get(route.meldpunt_id)
            if desk is None or route.summary_outbox_id is None:
                continue
            await self.messenger.edit_ref(
                uow.outbox,
                desk.chat_id,
                route.summary_outbox_id,
                await self._text(uow, desk, signal),
                self.cards.buttons(desk, signal),
            )

    async def _text(self, uow: Work, desk: Meldpunt, signal: Signal, decision: Decision | None = None) -> str:
        """The desk's summary; the routing `decision` is read from the signal's routes unless given."""
        filer = await uow.users.by_id(signal.filer_id)
        owner = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
        if decision is None:
            decision = decision_of(self.region, await uow.signals.routes_of(signal.id))
        if filer is None:  # a signal keeps its filer's row (erasure anonymises it, never deletes it)
            raise LookupError(f"signal {signal.id} has no filer")
        relapse = await self._relapse(uow, desk, signal)
        status = self.cards.status(desk, signal, owner)
        regie = await regie_line(uow, self.tr, signal, desk.locale) if signal.regie_id else None
        summary = desk_summary(self.tr, self.region, desk, signal, filer, decision, status, relapse)
        return f"{summary}\n🧭 {regie}" if regie else summary

    async def _relapse(self, uow: Work, desk: Meldpunt, signal: Signal) -> str | None:
        """For a fast re-entry: the waakvlam it came from and the signal that waakvlam followed up."""
        agreement = await uow.agreements.by_id(signal.agreement_id) if signal.agreement_id else None
        if agreement is None:
            return None
        earlier = await uow.signals.by_id(agreement.signal_id) if agreement.signal_id else None
        params: dict[str, Param] = {"ref": agreement.ref, "earlier": earlier.ref if earlier else "-"}
        return self.tr.render(desk.locale, Msg(RELAPSE if earlier else RELAPSE_NO_SIGNAL, params))

    async def tell_filer(self, uow: Work, signal: Signal, msg: Msg) -> None:
        """Tell the filer what happened to their signal, in their language (not once they left)."""
        filer = await uow.users.by_id(signal.filer_id)
        if filer is not None and filer.active:
            await self.messenger.send(uow.outbox, filer.telegram_id, self.tr.render(filer.locale, msg))
