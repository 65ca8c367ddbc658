"""A desk button's way, without a database: the desk's check comes first, then the service the button
names; a button that no longer fits the signal's state is answered "changed", never acted on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.domain.actions import Pressed
from bot.domain.lifecycle import Status
from bot.domain.region import load_region
from bot.signals.desk_buttons import DeskButtons
from storage.models import Signal, User

REGION = load_region()
GGD = next(m for m in REGION.meldpunten.values() if m.scope != "gemeente")


@dataclass
class Calls:
    made: list[tuple[str, Any]] = field(default_factory=list)

    def __getattr__(self, name: str) -> Any:
        async def call(*args: Any) -> str:
            self.made.append((name, args[-1] if name in ("close", "request") else None))
            return name

        return call


@dataclass
class FakeDesk(Calls):
    refusal: str | None = None
    signal: Signal = field(
        default_factory=lambda: Signal(id=7, ref="S-7", status=Status.NEW.value, version=1)
    )

    async def check(self, uow: Any, user: User, chat_id: int, pressed: Pressed) -> Any:
        return self.refusal if self.refusal is not None else (GGD, self.signal, pressed.action)

    def changed(self, user: User) -> str:
        return "changed"


WORK = Calls()  # the werkvoorraad: the urgent mark
AFTER = Calls()  # aftercare: "did the help really start?"
CLOSINGS = Calls()  # Afsluiten, asked privately
IDLE = Calls()  # "Loopt dit nog?"


def _buttons(desk: FakeDesk) -> tuple[DeskButtons, Calls, Calls, Calls]:
    handovers, info, waakvlam = Calls(), Calls(), Calls()
    for calls in (WORK, AFTER, CLOSINGS, IDLE):
        calls.made.clear()
    buttons = DeskButtons(desk, handovers, info, waakvlam, WORK, AFTER, CLOSINGS, IDLE)  # type: ignore[arg-type]
    return buttons, handovers, info, waakvlam


async def _press(buttons: DeskButtons, value: str) -> str:
    return await buttons.press(None, User(id=1), GGD.chat_id, 99, Pressed(1, value))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "status", "service", "call"),
    [
        ("d.pick.7", Status.NEW, "desk", "pick_up"),
        ("d.close.7", Status.IN_PROGRESS, "closings", "start"),
        ("d.fwd.7", Status.IN_PROGRESS, "handovers", "start"),
        ("d.acc.7", Status.HANDOVER, "handovers", "accept"),
        ("d.ref.7", Status.HANDOVER, "handovers", "refuse"),
        ("d.live.7", Status.IN_PROGRESS, "idle", "still_running"),
        ("d.info.7", Status.NEW, "info", "ask"),
        ("d.wv.7", Status.CLOSED, "waakvlam", "from_signal"),
        ("d.urg.7", Status.IN_PROGRESS, "werkvoorraad", "toggle_urgent"),
        ("d.hs.no.7", Status.CLOSED, "aftercare", "answer"),
    ],
)
async def test_each_button_reaches_the_service_it_names(
    value: str, status: Status, service: str, call: str
) -> None:
    desk = FakeDesk()
    desk.signal.status, desk.signal.owner_desk = status.value, GGD.id
    buttons, handovers, info, waakvlam = _buttons(desk)
    assert await _press(buttons, value) == call
    calls = {"desk": desk, "handovers": handovers, "info": info, "waakvlam": waakvlam, "werkvoorraad": WORK}
    calls.update(aftercare=AFTER, closings=CLOSINGS)
    # Each button reaches the one service it names; after it, the quiet-signal watch is planned (it plans
    # nothing unless the signal is in hand).
    if service == "idle":
        assert [name for name, _ in IDLE.made] == [call, "plan"]
    else:
        assert [name for name, _ in calls[service].made] == [call]
        assert [name for name, _ in IDLE.made] == ["plan"]
    assert sum(len(c.made) for c in calls.values()) == (0 if service == "idle" else 1)


@pytest.mark.parametrize(
    ("value", "status", "owner"),
    [
        ("d.wv.7", Status.IN_PROGRESS, GGD.id),  # a waakvlam only after closing
        ("d.wv.7", Status.CLOSED, "elders"),  # and only by the desk that closed it
        ("d.out.help.7", Status.IN_PROGRESS, GGD.id),  # the outcome picker in the group is gone
        ("d.to.2.7", Status.IN_PROGRESS, GGD.id),  # and so is the desk picker
        ("d.zomaar.7", Status.NEW, None),  # a kind nobody made
    ],
)
async def test_a_button_that_no_longer_fits_is_answered_changed(
    value: str, status: Status, owner: str | None
) -> None:
    desk = FakeDesk()
    desk.signal.status, desk.signal.owner_desk = status.value, owner
    buttons, handovers, info, waakvlam = _buttons(desk)
    assert await _press(buttons, value) == "changed"
    assert desk.made == handovers.made == info.made == waakvlam.made == IDLE.made == []


async def test_the_desks_refusal_stops_the_press_before_any_service() -> None:
    desk = FakeDesk(refusal="Alleen medewerkers van dit meldpunt kunnen dit doen.")
    buttons, handovers, *_ = _buttons(desk)
    assert await _press(buttons, "d.pick.7") == desk.refusal
    assert desk.made == handovers.made == []
