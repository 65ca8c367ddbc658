"""The checks every desk button passes before it acts, in one place: the person works at the desk the button
acts for, the signal went to that desk, the button shows the signal as it is now, and the action is one the
desk may take now (bot.domain.signal_commands.allowed). A button works in its desk's chat, and in a staff
member's private chat where the bot asked them something (for the desk that person works at)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.access import works_at
from bot.domain.clock import Clock
from bot.domain.lifecycle import Status
from bot.domain.region import Meldpunt, Region
from bot.domain.signal_commands import OnSignal, allowed
from bot.frontdesk.bus import Reply
from bot.signals.desk import CHANGED, DeskService
from bot.signals.idle import IdleWatch
from bot.views.i18n import Translator
from flows.text import N_, Msg, Param
from storage.models import Signal, User
from storage.ports import Work

NOT_YOURS = N_("Alleen medewerkers van dit meldpunt kunnen dit doen.")
TAKEN = N_("Al opgepakt door {name} ({desk}).")


@dataclass
class DeskChecks:
    region: Region
    tr: Translator
    clock: Clock
    desk: DeskService
    idle: IdleWatch

    async def check(
        self, uow: Work, user: User, chat_id: int, command: OnSignal
    ) -> tuple[Meldpunt, Signal] | Msg:
        """The desk and the signal the button acts on, or what refuses it (the bus says it in the presser's
        language; a stale button's summary is brought up to date)."""
        desk = self.region.desk_for_chat(chat_id)
        if desk is None and chat_id == user.telegram_id:
            desk = self.region.meldpunten.get(user.meldpunt_id or "")
        signal = await uow.signals.by_id(command.signal)
        routes = await uow.signals.routes_of(signal.id) if signal else []
        if (
            desk is None
            or signal is None
            or not works_at(user, desk.id)
            or desk.id not in {r.meldpunt_id for r in routes}
        ):
            await record(
                uow, self.clock, "desk_action_refused", actor=user, subject=signal.ref if signal else None
            )
            return Msg(NOT_YOURS)
        if command.version != signal.version:
            await self.desk.refresh(uow, signal)
            owner = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
            if owner is not None and signal.status == Status.IN_PROGRESS:
                taken: dict[str, Param] = {
                    "name": owner.display_name,
                    "desk": self.desk.cards.name(signal.owner_desk),
                }
                return Msg(TAKEN, taken)
            return Msg(CHANGED)
        if command.action not in allowed(signal, desk.id, desk.triage):
            return Msg(CHANGED)
        return desk, signal

    async def moved(self, uow: Work, user: User, signal: Signal, answer: Reply) -> Reply:
        """After a desk's move: a signal picked up, taken over or opened again is watched while in hand;
        None from the move means it no longer applied."""
        if answer is None:
            return Msg(CHANGED)
        await self.idle.plan(uow, signal)
        return answer
