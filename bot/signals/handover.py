"""Warm hand-over: a desk asks another to take a signal over and stays responsible until it accepts."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.lifecycle import Move, after
from bot.domain.region import Meldpunt, Region
from bot.domain.signal_commands import DeskAction, allowed
from bot.frontdesk.registry import FlowSpec
from bot.signals.asked_privately import AskPrivately
from bot.signals.desk import DeskService
from bot.signals.handover_chase import HandOverChase
from bot.signals.idle import IdleWatch
from bot.signals.viewing import OPEN
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.engine import Answers, Completed, Context, Outcome
from flows.handover import REFUSAL, REQUEST
from flows.model import Option
from flows.text import N_, Msg
from storage.models import Signal, SignalEvent, SignalRoute, User
from storage.ports import Work

REQUESTED = N_("Overdracht aangevraagd. U blijft verantwoordelijk tot {desk} accepteert.")
ACCEPTED = N_("U heeft het signaal overgenomen.")
FILER_MOVED = N_("{to} heeft uw signaal {ref} overgenomen van {from}.")
NOTE_WAITS = N_(
    "📝 {from} gaf een notitie mee bij de overdracht van {ref}; lees die privé met /signaal {ref}."
)
NOTE = "handover_note"
REFUSED = N_(
    "{to} weigert de overdracht van {ref}. Het signaal blijft bij u. "
    "De reden staat bij /signaal {ref} (in een privégesprek met de bot)."
)
REFUSED_PRIVATE = N_(
    "{to} weigert de overdracht van {ref}. Het signaal blijft bij uw meldpunt. Lees de reden: tik op Openen."
)
REFUSAL_SENT = N_("Uw weigering en reden zijn doorgegeven.")
GONE = N_("Deze overdracht staat niet meer open.")


@dataclass
class HandOvers:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    desk: DeskService
    chase: HandOverChase
    ask: AskPrivately
    idle: IdleWatch

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

    async def start(self, uow: Work, user: User, desk: Meldpunt, signal: Signal, chat_id: int) -> Msg | str:
        """Doorzetten: ask privately to which desk, with an optional note."""
        return await self.ask.start(uow, user, REQUEST.id, desk, signal, chat_id)

    async def _targets(self, uow: Work, user: User, answers: Answers) -> Context:
        """The desks the conversation's signal may go to, as the options of its first question."""
        signal = await uow.signals.by_ref(str(answers.get("signal", "")))
        if signal is None:
            return {"targets": ()}
        found = self.targets(signal, await uow.signals.routes_of(signal.id))
        return {"targets": tuple(Option(m.id, m.name, raw=True) for m in found)}

    async def on_request(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A receiving desk was chosen: request the hand-over and tell whoever asked."""
        if not isinstance(outcome, Completed):
            return
        answers = outcome.answers
        about = await self.ask.about(uow, user, chat_id, answers)
        target = self.region.meldpunten.get(str(answers.get("to", "")))
        note = str(answers.get("note", "")).strip()
        text = Msg(GONE)
        if (
            about is not None
            and target is not None
            and await self._request(uow, user, about.desk, about.signal, target, note)
        ):
            text = Msg(REQUESTED, {"desk": target.name})
        await self.messenger.send(uow.outbox, user.telegram_id, self.tr.render(user.locale, text))

    async def _request(
        self, uow: Work, user: User, desk: Meldpunt, signal: Signal, target: Meldpunt, note: str
    ) -> bool:
        routes = await uow.signals.routes_of(signal.id)
        new = after(signal.status, Move.HAND_OVER)
        if (
            new is None
            or DeskAction.HAND_OVER not in allowed(signal, desk.id)
            or target not in self.targets(signal, routes)
        ):
            return False
        now = self.clock.now()
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
        if note:
            # The note is typed: the receiving desk's chat hears that there is one, and reads it privately.
            await uow.signals.add_event(
                SignalEvent(signal_id=signal.id, at=now, actor_id=user.id, kind=NOTE, note=note)
            )
            told = Msg(NOTE_WAITS, {"from": desk.name, "ref": signal.ref})
            await self.messenger.send(uow.outbox, target.chat_id, self.tr.render(target.locale, told))
        await self.desk.refresh(uow, signal)
        return True

    async def accept(self, uow: Work, user: User, desk: Meldpunt, signal: Signal) -> Msg | None:
        """Accepteren: this desk takes the signal over, and the filer hears where it went."""
        new = after(signal.status, Move.ACCEPT)
        if new is None:
            return None
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
        return Msg(ACCEPTED)

    async def refuse(self, uow: Work, user: User, desk: Meldpunt, signal: Signal, chat_id: int) -> Msg | str:
        """Ask the refusing staff member for a reason, privately; nothing changes until it is given."""
        return await self.ask.start(uow, user, REFUSAL.id, desk, signal, chat_id)

    def flows(self) -> list[FlowSpec]:
        """The hand-over request and the refusal's reason."""
        return [FlowSpec(REQUEST, self.on_request, self._targets), FlowSpec(REFUSAL, self.on_outcome)]

    async def on_outcome(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A reason to refuse was given: the signal returns to the sending desk, which hears why."""
        if not isinstance(outcome, Completed):
            return
        about = await self.ask.about(uow, user, chat_id, outcome.answers)
        new = after(about.signal.status, Move.REFUSE) if about else None
        if about is None or new is None or about.signal.handover_to != about.desk.id:
            await self.messenger.send(uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(GONE)))
            return
        signal, desk = about.signal, about.desk
        reason = str(outcome.answers["reason"])
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
        await self.idle.plan(uow, signal)  # back with the sender, in hand again
        sender = self.region.meldpunten.get(signal.owner_desk or "")
        if sender is not None:
            # The group hears that it was refused; the reason (typed) goes privately to who is responsible.
            msg = Msg(REFUSED, {"to": desk.name, "ref": signal.ref})
            await self.messenger.send(uow.outbox, sender.chat_id, self.tr.render(sender.locale, msg))
            owner = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
            if owner is not None and owner.active and owner.meldpunt_id == sender.id:
                text = self.tr.render(
                    owner.locale, Msg(REFUSED_PRIVATE, {"to": desk.name, "ref": signal.ref})
                )
                opens = self.ask.runner.forms.opens(self.tr.render(owner.locale, Msg(OPEN)), signal.ref)
                row_id = await self.messenger.send(uow.outbox, owner.telegram_id, text, opens)
                await uow.signals.shown(signal.id, owner.telegram_id, row_id)
        await self.messenger.send(
            uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(REFUSAL_SENT))
        )
        await self.desk.refresh(uow, signal)
