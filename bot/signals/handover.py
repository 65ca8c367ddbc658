"""Warm hand-over: a desk asks another to take a signal over and stays responsible until it accepts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.lifecycle import Move, after
from bot.domain.region import Meldpunt, Region
from bot.frontdesk.conversation import BUSY, ConversationRunner, Where, typed_ids
from bot.frontdesk.registry import FlowSpec
from bot.signals.desk import DeskService
from bot.signals.handover_chase import HandOverChase
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.engine import Answers, Completed, Outcome
from flows.handover import REFUSAL
from flows.text import N_, Msg
from storage.models import Signal, SignalRoute, User
from storage.uow import UnitOfWork

CHOOSE = N_(
    "Aan welk meldpunt wilt u dit signaal overdragen? U blijft verantwoordelijk tot het is geaccepteerd."
)
REQUESTED = N_("Overdracht aangevraagd. U blijft verantwoordelijk tot {desk} accepteert.")
ACCEPTED = N_("U heeft het signaal overgenomen.")
FILER_MOVED = N_("{to} heeft uw signaal {ref} overgenomen van {from}.")
GO_PRIVATE = N_("Geef de reden in uw privégesprek met de bot.")
REFUSED = N_(
    "{to} weigert de overdracht van {ref}. Het signaal blijft bij u. "
    "De reden staat bij /signaal {ref} (in een privégesprek met de bot)."
)
REFUSED_PRIVATE = N_("{to} weigert de overdracht van {ref}: {reason}\nHet signaal blijft bij uw meldpunt.")
REFUSAL_SENT = N_("Uw weigering en reden zijn doorgegeven.")
GONE = N_("Deze overdracht staat niet meer open.")


@dataclass
class HandOvers:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    runner: ConversationRunner
    desk: DeskService
    chase: HandOverChase

    def targets(self, signal: Signal, routes: list[SignalRoute]) -> list[Meldpunt]:
        """Desks that may receive it: regional ones and the signal's own gemeente's, not already involved."""
        involved = {r.meldpunt_id for r in routes}
        return sorted(
            (
                m
                for m in self.region.meldpunten.values()
                if m.id not in involved and (m.scope != "gemeente" or m.gemeente == signal.gemeente)
            ),
            key=lambda m: m.name,
        )

    async def offer(
        self, uow: UnitOfWork, user: User, desk: Meldpunt, signal: Signal, chat_id: int, message_id: int
    ) -> str:
        """Show the possible receiving desks on the pressed message."""
        routes = await uow.signals.routes_of(signal.id)
        rows = [
            [self.desk.cards.button(desk, signal, m.name, "to", str(i), raw=True)]
            for i, m in enumerate(self.targets(signal, routes))
        ]
        rows.append([self.desk.cards.button(desk, signal, N_("« Terug"), "back")])
        text = self.tr.render(desk.locale, Msg(CHOOSE))
        await self.messenger.edit(uow.outbox, chat_id, message_id, text, rows)
        return ""

    async def request(self, uow: UnitOfWork, user: User, desk: Meldpunt, signal: Signal, index: int) -> str:
        routes = await uow.signals.routes_of(signal.id)
        targets = self.targets(signal, routes)
        new = after(signal.status, Move.HAND_OVER)
        if new is None or not 0 <= index < len(targets):
            return self.tr.render(user.locale, Msg(GONE))
        target, now = targets[index], self.clock.now()
        await uow.signals.move(
            signal,
            new,
            "handover_requested",
            now,
            user.id,
            note=target.id,
            owner_desk=desk.id,
            owner_id=signal.owner_id or user.id,
            handover_to=target.id,
            handover_since=now,
        )
        await self.chase.plan(uow, signal, target, now)
        route = await uow.signals.add_route(
            SignalRoute(signal_id=signal.id, meldpunt_id=target.id, rule_ids=[])
        )
        await record(
            uow, self.clock, "handover_requested", actor=user, subject=signal.ref, desk=desk.id, to=target.id
        )
        await self.desk.announce_one(uow, signal, target, route)
        await self.desk.refresh(uow, signal)
        return self.tr.render(user.locale, Msg(REQUESTED, {"desk": target.name}))

    async def accept(self, uow: UnitOfWork, user: User, desk: Meldpunt, signal: Signal) -> str:
        new = after(signal.status, Move.ACCEPT)
        if new is None or signal.handover_to != desk.id:
            return self.tr.render(user.locale, Msg(GONE))
        sender = self.region.meldpunten.get(signal.owner_desk or "")
        await uow.signals.move(
            signal,
            new,
            "handover_accepted",
            self.clock.now(),
            user.id,
            note=signal.owner_desk,
            owner_desk=desk.id,
            owner_id=user.id,
            handover_to=None,
            handover_since=None,
        )
        await record(uow, self.clock, "handover_accepted", actor=user, subject=signal.ref, desk=desk.id)
        filer = await uow.users.by_id(signal.filer_id)
        if filer is not None and filer.active:
            msg = Msg(
                FILER_MOVED, {"to": desk.name, "ref": signal.ref, "from": sender.name if sender else ""}
            )
            await self.messenger.send(uow.outbox, filer.telegram_id, self.tr.render(filer.locale, msg))
        await self.desk.refresh(uow, signal)
        return self.tr.render(user.locale, Msg(ACCEPTED))

    async def refuse(self, uow: UnitOfWork, user: User, desk: Meldpunt, signal: Signal) -> str:
        """Ask the refusing staff member for a reason, privately; nothing changes until it is given."""
        if signal.handover_to != desk.id:
            return self.tr.render(user.locale, Msg(GONE))
        where = Where(user, user.telegram_id)
        seed: Answers = {"signal": signal.ref, "desk": desk.id}
        if not await self.runner.start_if_free(uow, where, REFUSAL.id, seed):
            return self.tr.render(user.locale, Msg(BUSY))
        return self.tr.render(user.locale, Msg(GO_PRIVATE))

    def flows(self) -> list[FlowSpec]:
        return [FlowSpec(REFUSAL, self.on_outcome)]

    async def on_outcome(self, uow: UnitOfWork, user: User, chat_id: int, outcome: Outcome) -> None:
        if not isinstance(outcome, Completed):
            return
        signal = await uow.signals.by_ref(str(outcome.answers["signal"]))
        desk = self.region.meldpunten.get(str(outcome.answers["desk"]))
        new = after(signal.status, Move.REFUSE) if signal else None
        if (
            signal is None
            or desk is None
            or new is None
            or signal.handover_to != desk.id
            or user.meldpunt_id != desk.id
        ):
            await self.messenger.send(uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(GONE)))
            return
        reason = str(outcome.answers["reason"])
        for message_id in typed_ids(outcome.answers):
            await uow.signals.shown(signal.id, chat_id, message_id=message_id)
        await uow.signals.move(
            signal,
            new,
            "handover_refused",
            self.clock.now(),
            user.id,
            note=reason,
            handover_to=None,
            handover_since=None,
        )
        await record(uow, self.clock, "handover_refused", actor=user, subject=signal.ref, desk=desk.id)
        sender = self.region.meldpunten.get(signal.owner_desk or "")
        if sender is not None:
            # The group hears that it was refused; the reason (typed) goes privately to who is responsible.
            msg = Msg(REFUSED, {"to": desk.name, "ref": signal.ref})
            await self.messenger.send(uow.outbox, sender.chat_id, self.tr.render(sender.locale, msg))
            owner = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
            if owner is not None and owner.active and owner.meldpunt_id == sender.id:
                text = self.tr.render(
                    owner.locale, Msg(REFUSED_PRIVATE, {"to": desk.name, "ref": signal.ref, "reason": reason})
                )
                row_id = await self.messenger.send(uow.outbox, owner.telegram_id, text)
                await uow.signals.shown(signal.id, owner.telegram_id, row_id)
        await self.messenger.send(
            uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(REFUSAL_SENT))
        )
        await self.desk.refresh(uow, signal)
