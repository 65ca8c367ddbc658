"""A desk button's way: the desk checks who pressed it and whether it is still current, then the service
the button names acts (pick up, close, ask, hand over, start a waakvlam)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.domain.actions import Pressed
from bot.domain.lifecycle import OUTCOMES, Move, Status, after
from bot.signals.desk import DeskService
from bot.signals.handover import HandOvers
from bot.signals.info_requests import InfoRequests
from storage.models import Signal, User
from storage.uow import UnitOfWork


class StartsWaakvlam(Protocol):
    """The waakvlam set-up, as a closing desk's "Waakvlam starten" reaches it."""

    async def from_signal(self, uow: UnitOfWork, user: User, desk_id: str, signal: Signal) -> str: ...


@dataclass
class DeskButtons:
    desk: DeskService
    handovers: HandOvers
    info: InfoRequests
    waakvlam: StartsWaakvlam

    async def press(
        self, uow: UnitOfWork, user: User, chat_id: int, message_id: int, pressed: Pressed
    ) -> str:
        """Handle a desk button (`d.<kind>[.<choice>].<signal id>`); return the short answer on screen."""
        checked = await self.desk.check(uow, user, chat_id, pressed)
        if isinstance(checked, str):
            return checked
        desk, signal = checked
        parts = pressed.value.split(".")
        kind, choice = parts[1], (parts[2] if len(parts) > 3 else "")
        owned_elsewhere = signal.owner_desk not in (None, desk.id)
        if kind == "close":
            return await self.desk.offer_outcomes(uow, desk, signal, chat_id, message_id)
        if kind == "back":
            return await self.desk.back(uow, desk, signal, chat_id, message_id)
        if kind == "pick":
            return await self.desk.pick_up(uow, user, desk, signal)
        if kind == "fwd" and after(signal.status, Move.HAND_OVER) and not owned_elsewhere:
            return await self.handovers.offer(uow, user, desk, signal, chat_id, message_id)
        if kind == "to" and choice.isdigit():
            return await self.handovers.request(uow, user, desk, signal, int(choice))
        if kind == "acc":
            return await self.handovers.accept(uow, user, desk, signal)
        if kind == "ref":
            return await self.handovers.refuse(uow, user, desk, signal)
        if kind == "info" and after(signal.status, Move.ASK_INFO):
            return await self.info.ask(uow, user, desk, signal.ref)
        if kind == "wv" and signal.status == Status.CLOSED and signal.owner_desk == desk.id:
            return await self.waakvlam.from_signal(uow, user, desk.id, signal)
        if kind == "out" and choice in OUTCOMES:
            return await self.desk.close(uow, user, desk, signal, choice)
        return self.desk.changed(user)
