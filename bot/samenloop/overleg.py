"""The routeeroverleg: several desks decide together who takes a signal. It starts when routing names more
than one desk, when a desk asks other desks in, or from a samenloop notice; each desk taking part gets the
signal (a route) and one card in its chat. One proposes the route and which desk leads, the others tap Akkoord
or Bezwaar (why, on the form); when all agree it is decided: the signal's owner is set by the decision, not by
the first tap, and the filer hears who is aan zet. Unanswered within the region's working hours it goes up the
gemeente's ladder."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.accounts.invites import fresh_code
from bot.domain.access import COORDINATOR, works_at
from bot.domain.jobs import OverlegDue
from bot.domain.lifecycle import Status
from bot.domain.overleg import ROUTES, OverlegStatus
from bot.domain.pickup import bucket
from bot.domain.tallies import Counted, month
from bot.regie.ladder import Climbing
from bot.samenloop.card import OverlegCards
from bot.signals.desk import DeskService
from bot.views.private import Private
from flows.text import N_, Msg, Param
from storage.models import Overleg, OverlegPart, Signal, SignalRoute, User
from storage.ports import Work

FILER_DECIDED = N_(
    "Uw signaal {ref} is besproken in het routeeroverleg van de meldpunten: {lead} is aan zet ({route})."
)
PROPOSED = N_("🤝 Nieuw voorstel in routeeroverleg {ref} ({signal}): tik Akkoord of Bezwaar op de kaart.")
OBJECTION = N_("Bezwaar van {desk}: {note}")
LATE = N_("⏰ Routeeroverleg {ref} ({signal}) is niet besloten binnen de termijn: het gaat de ladder op.")


@dataclass
class Overleggen:
    links: Private
    desk: DeskService
    climbing: Climbing
    cards: OverlegCards

    async def start(
        self, uow: Work, signal: Signal, desks: list[str], reason: str, by: User | None
    ) -> Overleg:
        """Open an overleg on the signal with these desks (or add them to the one that is open): each gets the
        signal, if it did not have it yet, and a card; nobody picks it up until it is decided."""
        now, region = self.links.clock.now(), self.links.region
        if not signal.joint_triage:
            await uow.signals.change(signal, joint_triage=True)
        routed = {r.meldpunt_id for r in await uow.signals.routes_of(signal.id)}
        for desk_id in dict.fromkeys(desks):
            if desk_id not in routed and desk_id in region.meldpunten:
                route = await uow.signals.add_route(
                    SignalRoute(signal_id=signal.id, meldpunt_id=desk_id, rule_ids=[])
                )
                await self.desk.announce_one(uow, signal, region.meldpunten[desk_id], route)
        overleg = await uow.samenloop.open_on(signal.id)
        if overleg is not None:
            taking_part = {p.meldpunt_id for p in await uow.samenloop.parts(overleg.id)}
            await uow.samenloop.add_parts(
                overleg.id,
                [d for d in dict.fromkeys(desks) if d not in taking_part and d in region.meldpunten],
            )
        else:
            overleg = await uow.samenloop.add_overleg(
                Overleg(
                    ref=await fresh_code("O-", uow.samenloop.overleg_by_ref, 5),
                    signal_id=signal.id,
                    gemeente=signal.gemeente,
                    status=OverlegStatus.OPEN,
                    version=0,
                    reason=reason,
                    started_by=by.id if by else None,
                    created_at=now,
                    deadline=region.hours().add_hours(now, region.samenloop.overleg_hours),
                    climbed=False,
                ),
                [d for d in dict.fromkeys(desks) if d in region.meldpunten],
            )
            await uow.due.plan(OverlegDue(overleg.id), overleg.deadline)
            await uow.signals.add_event_now(signal.id, now, "overleg_started", None)
            await uow.tallies.bump(Counted.OVERLEG, signal.gemeente, reason, self._month())
            await record(
                uow,
                self.links.clock,
                "overleg_started",
                actor=by,
                subject=overleg.ref,
                signal=signal.ref,
                reason=reason,
            )
        await self.refresh(uow, overleg, signal)
        await self.desk.refresh(uow, signal)
        return overleg

    async def refresh(self, uow: Work, overleg: Overleg, signal: Signal | None = None) -> None:
        """Send or edit every desk's card to show the overleg as it is now."""
        signal = signal or await uow.signals.by_id(overleg.signal_id)
        if signal is None:
            return
        parts = await uow.samenloop.parts(overleg.id)
        for part in parts:
            desk = self.links.region.meldpunten.get(part.meldpunt_id)
            if desk is None:
                continue
            text = self.cards.text(desk.locale, overleg, parts, signal)
            buttons = self.cards.buttons(desk, overleg, part)
            if part.card_outbox_id is None:
                sent = await self.links.messenger.send(uow.outbox, desk.chat_id, text, buttons)
                await uow.samenloop.change_part(part, card_outbox_id=sent)
            else:
                await self.links.messenger.edit_ref(
                    uow.outbox, desk.chat_id, part.card_outbox_id, text, buttons
                )

    async def tell_others(
        self, uow: Work, overleg: Overleg, parts: list[OverlegPart], but: str, signal: Signal
    ) -> None:
        """A new proposal: a short line in the chat of every other desk (the card itself is edited quietly)."""
        for part in parts:
            desk = self.links.region.meldpunten.get(part.meldpunt_id)
            if desk is not None and desk.id != but:
                words = self.links.tr.render(
                    desk.locale, Msg(PROPOSED, {"ref": overleg.ref, "signal": signal.ref})
                )
                await self.links.messenger.send(uow.outbox, desk.chat_id, words)

    async def decide(self, uow: Work, overleg: Overleg, signal: Signal) -> None:
        """Every desk agreed: the lead desk owns the signal (to pick up), the filer hears who is aan zet."""
        now, lead = self.links.clock.now(), overleg.lead or ""
        await uow.samenloop.change(overleg, status=OverlegStatus.DECIDED, decided_at=now)
        if signal.owner_desk == lead or signal.status in (Status.HANDOVER, Status.CLOSED):
            await uow.signals.add_event_now(signal.id, now, "overleg_decided", lead)
        else:
            await uow.signals.move(
                signal, Status.NEW, "overleg_decided", now, None, lead, owner_desk=lead, owner_id=None
            )
        route: dict[str, Param] = {
            "ref": signal.ref,
            "lead": self.cards.name(lead),
            "route": Msg(ROUTES.get(overleg.route or "", "?")),
        }
        await self.desk.tell_filer(uow, signal, Msg(FILER_DECIDED, route))
        took = self.links.region.hours().hours_between(overleg.created_at, now)
        await uow.tallies.bump(Counted.OVERLEG_DECIDED, overleg.gemeente, overleg.route or "", self._month())
        await uow.tallies.bump(Counted.OVERLEG_HOURS, overleg.gemeente, str(bucket(took)), self._month())
        await record(
            uow, self.links.clock, "overleg_decided", subject=overleg.ref, route=overleg.route, lead=lead
        )
        await self.refresh(uow, overleg, signal)
        await self.desk.refresh(uow, signal)

    async def due(self, uow: Work, job: OverlegDue) -> None:
        """The time to decide ran out: still open, it goes up the gemeente's ladder (once)."""
        overleg = await uow.samenloop.overleg(job.overleg)
        signal = await uow.signals.by_id(overleg.signal_id) if overleg is not None else None
        if overleg is None or signal is None or overleg.status != OverlegStatus.OPEN or overleg.climbed:
            return
        await uow.samenloop.change(overleg, climbed=True)
        await self.climbing.stalled(uow, signal.ref)
        for part in await uow.samenloop.parts(overleg.id):
            desk = self.links.region.meldpunten.get(part.meldpunt_id)
            if desk is not None:
                words = self.links.tr.render(
                    desk.locale, Msg(LATE, {"ref": overleg.ref, "signal": signal.ref})
                )
                await self.links.messenger.send(uow.outbox, desk.chat_id, words)
        await self.refresh(uow, overleg, signal)

    async def page(self, uow: Work, user: User, code: str) -> str | None:
        """The overleg on the region's server, with every objection's reason: for the staff of the desks taking
        part and the gemeente's coordinators (audited); None for anyone else."""
        overleg = await uow.samenloop.overleg_by_ref(code)
        signal = await uow.signals.by_id(overleg.signal_id) if overleg is not None else None
        parts = await uow.samenloop.parts(overleg.id) if overleg is not None else []
        desks = {p.meldpunt_id for p in parts}
        coordinator = user.role == COORDINATOR and overleg is not None and overleg.gemeente in user.gemeenten
        if overleg is None or signal is None or not (coordinator or any(works_at(user, d) for d in desks)):
            await record(uow, self.links.clock, "overleg_view_refused", actor=user, subject=code)
            return None
        await record(uow, self.links.clock, "overleg_viewed", actor=user, subject=code)
        shown = self.cards.text(user.locale, overleg, parts, signal)
        notes = [
            self.links.tr.render(
                user.locale, Msg(OBJECTION, {"desk": self.cards.name(p.meldpunt_id), "note": p.note})
            )
            for p in parts
            if p.note
        ]
        return "\n\n".join([shown, *notes])

    def _month(self) -> str:
        return month(self.links.clock.now(), self.links.region.info.timezone)
