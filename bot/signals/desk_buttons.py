"""A desk button's way: the desk checks who pressed it and whether it is still current, then the service
the button names acts (pick up, close, ask, hand over, mark urgent, start a waakvlam, say it still runs).
A button works in its desk's chat, and in a staff member's private chat where the bot asked them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot.domain.actions import Pressed
from bot.domain.lifecycle import Move, Status, after
from bot.domain.region import Meldpunt
from bot.signals.aftercare import Aftercare
from bot.signals.closing import Closings
from bot.signals.desk import DeskService
from bot.signals.handover import HandOvers
from bot.signals.idle import IdleWatch
from bot.signals.info_requests import InfoRequests
from bot.signals.werkvoorraad import Werkvoorraad
from storage.models import Signal, User
from storage.ports import Work


class StartsWaakvlam(Protocol):
    """The waakvlam set-up, as a closing desk's "Waakvlam starten" reaches it."""

    async def from_signal(self, uow: Work, user: User, desk_id: str, signal: Signal) -> str: ...


@dataclass(frozen=True)
class Act:
    """One checked press: who, at which desk, on which signal, where, and the choice the button carries."""

    uow: Work
    user: User
    desk: Meldpunt
    signal: Signal
    chat_id: int
    message_id: int
    choice: str


@dataclass
class DeskButtons:
    desk: DeskService
    handovers: HandOvers
    info: InfoRequests
    waakvlam: StartsWaakvlam
    werkvoorraad: Werkvoorraad
    aftercare: Aftercare
    closings: Closings
    idle: IdleWatch

    async def press(self, uow: Work, user: User, chat_id: int, message_id: int, pressed: Pressed) -> str:
        """Handle a desk button (`d.<kind>[.<choice>].<signal id>`); return the short answer on screen."""
        checked = await self.desk.check(uow, user, chat_id, pressed)
        if isinstance(checked, str):
            return checked
        desk, signal, action = checked
        act = Act(uow, user, desk, signal, chat_id, message_id, action.choice)
        move = self._moves().get(action.kind)
        answer = await move(act) if move is not None else None
        if answer is None:
            return self.desk.changed(user)
        await self.idle.plan(uow, signal)  # picked up, taken over, opened again: watched while in hand
        return answer

    def _moves(self) -> dict[str, Callable[[Act], Awaitable[str | None]]]:
        """What each kind of desk button does; None where it no longer applies to the signal."""
        desk, handovers = self.desk, self.handovers
        return {
            "close": lambda a: self.closings.start(a.uow, a.user, a.desk, a.signal, a.chat_id),
            "fwd": lambda a: handovers.start(a.uow, a.user, a.desk, a.signal, a.chat_id),
            "pick": lambda a: desk.pick_up(a.uow, a.user, a.desk, a.signal),
            "acc": lambda a: handovers.accept(a.uow, a.user, a.desk, a.signal),
            "ref": lambda a: handovers.refuse(a.uow, a.user, a.desk, a.signal, a.chat_id),
            "info": self._ask,
            "wv": self._waakvlam,
            "urg": lambda a: self.werkvoorraad.toggle_urgent(a.uow, a.user, a.desk, a.signal),
            "hs": lambda a: self.aftercare.answer(
                a.uow, a.user, a.desk, a.signal, a.chat_id, a.message_id, a.choice
            ),
            "live": lambda a: self.idle.still_running(
                a.uow, a.user, a.desk, a.signal, a.chat_id, a.message_id
            ),
        }

    async def _ask(self, a: Act) -> str | None:
        if not after(a.signal.status, Move.ASK_INFO):
            return None
        return await self.info.ask(a.uow, a.user, a.desk, a.signal.ref)

    async def _waakvlam(self, a: Act) -> str | None:
        if a.signal.status != Status.CLOSED or a.signal.owner_desk != a.desk.id:
            return None
        return await self.waakvlam.from_signal(a.uow, a.user, a.desk.id, a.signal)
