"""What a desk may do to a signal is one rule (allowed), which the card's buttons show and the desk gate
enforces; and every command the reader can make has its line in the catalogue."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from bot.app.catalogue import Scheduled, Services, catalogue, due_work
from bot.domain import commands as c
from bot.domain import signal_commands as s
from bot.domain.actions import Action, CallbackCodec
from bot.domain.jobs import JOBS, SendCheckIn
from bot.domain.lifecycle import Status
from bot.domain.region import load_region
from bot.domain.signal_commands import DeskAction, allowed
from bot.views.desk_card import DeskCards
from bot.views.i18n import Translator, load_catalogs
from storage.models import Signal

REGION = load_region()
CODEC = CallbackCodec(b"k" * 32)
CARDS = DeskCards(REGION, Translator(load_catalogs(), REGION.info.timezone), CODEC)
HERE, ELSEWHERE = sorted(REGION.meldpunten)[:2]
A = DeskAction
# What the desk that has the signal (or nobody yet) may do to it besides picking it up.
MINE = {A.ASK_INFO, A.HAND_OVER, A.CLOSE, A.MARK_URGENT, A.REGIE, A.OVERLEG}


def _signal(
    status: Status,
    owner: str | None = None,
    to: str | None = None,
    joint: bool = False,
    triage: str | None = None,
    priority: int | None = None,
) -> Signal:
    return Signal(
        id=7,
        version=1,
        status=status,
        owner_desk=owner,
        handover_to=to,
        urgent=False,
        joint_triage=joint,
        triage=triage,
        priority=priority,
    )


@pytest.mark.parametrize(
    ("status", "owner", "to", "expected"),
    [
        (Status.NEW, None, None, {A.PICK_UP, *MINE}),
        (Status.IN_PROGRESS, HERE, None, {A.STILL_RUNNING, *MINE}),
        (Status.IN_PROGRESS, ELSEWHERE, None, set()),  # another desk has it in hand
        (Status.INFO_REQUESTED, HERE, None, {A.CLOSE, A.MARK_URGENT, A.STILL_RUNNING, A.REGIE, A.OVERLEG}),
        (Status.HANDOVER, ELSEWHERE, HERE, {A.ACCEPT, A.REFUSE}),  # asked to take it over
        (Status.HANDOVER, HERE, ELSEWHERE, set()),  # the sender waits (and stays responsible)
        # The closing desk only: a waakvlam, "is de hulp gestart?", and a regisseur for the resident.
        (Status.CLOSED, HERE, None, {A.START_WAAKVLAM, A.AFTERCARE, A.REGIE}),
        (Status.CLOSED, ELSEWHERE, None, set()),
    ],
)
def test_what_a_desk_may_do_now(
    status: Status, owner: str | None, to: str | None, expected: set[DeskAction]
) -> None:
    # Besides: every desk the signal went to may always read it (📄 Lezen, privately).
    assert allowed(_signal(status, owner, to), HERE) == expected | {A.READ}


@pytest.mark.parametrize(
    ("owner", "expected"),
    [
        # Routed to several desks: until their routeeroverleg decides, nobody picks it up or closes it.
        (None, {A.ASK_INFO, A.MARK_URGENT, A.REGIE}),
        (HERE, {A.PICK_UP, *MINE}),  # decided: this desk is aan zet
        (ELSEWHERE, set()),  # decided: another desk is
    ],
)
def test_a_signal_for_several_desks_waits_for_their_overleg(
    owner: str | None, expected: set[DeskAction]
) -> None:
    assert allowed(_signal(Status.NEW, owner, joint=True), HERE) == expected | {A.READ}


@pytest.mark.parametrize(
    ("status", "owner", "to", "joint"),
    list(itertools.product(Status, (None, HERE, ELSEWHERE), (None, HERE, ELSEWHERE), (False, True))),
)
def test_the_card_offers_only_what_is_allowed(
    status: Status, owner: str | None, to: str | None, joint: bool
) -> None:
    signal = _signal(status, owner, to, joint)
    desk = REGION.meldpunten[HERE]
    shown = set()
    for row in CARDS.buttons(desk, signal):
        for _, data in row:
            pressed = CODEC.decode(desk.chat_id, data)
            action = Action.parse(pressed.value) if pressed else None
            assert action is not None
            shown.add(DeskAction(action.kind))
    assert shown <= allowed(signal, HERE)


QUEUE = {A.QUEUE, A.START, A.REPRIORITISE}


@pytest.mark.parametrize(
    ("triage", "priority", "expected"),
    [
        (None, None, {A.TRIAGE}),  # picked up: the verdict first
        ("procesregie", None, QUEUE),  # start now, or on the werkvoorraad
        ("procesregie", 2, QUEUE),  # waiting: another priority, or start
        ("procesregie", 0, set()),  # started
        ("kort_advies", None, set()),
    ],
)
def test_a_triaging_desk_records_its_verdict_and_keeps_a_werkvoorraad(
    triage: str | None, priority: int | None, expected: set[DeskAction]
) -> None:
    signal = _signal(Status.IN_PROGRESS, HERE, triage=triage, priority=priority)
    extra = {A.TRIAGE, *QUEUE}
    assert allowed(signal, HERE, triages=True) & extra == expected
    assert allowed(signal, HERE) & extra == set()  # a desk that does not triage never sees them
    assert allowed(signal, ELSEWHERE, triages=True) & extra == set()  # nor one that does not have it


class _Anything:
    """Stands in for every service: the catalogue only names their methods when it is built."""

    def __getattr__(self, name: str) -> Any:
        return _Anything()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return _Anything()


def _concrete(base: type) -> set[type]:
    found = set()
    for sub in base.__subclasses__():
        found |= _concrete(sub)
        if sub not in (c.Tap, s.OnSignal) and sub.__name__ not in (
            "OnAgreement",
            "OnRegie",
            "OnPlanLine",
            "OnEscalation",
            "OnOverleg",
            "OnAdvice",
        ):
            found.add(sub)
    return found


def test_every_command_has_its_line_in_the_catalogue_and_every_desk_button_passes_the_gate() -> None:
    table = catalogue(Services(*[_Anything()] * 12))  # type: ignore[arg-type]
    assert _concrete(c.Command) == set(table)
    assert {k for k, e in table.items() if e.needs.desk} == set(s.DESK_COMMANDS.values())
    assert [k for k, e in table.items() if not e.needs.registered] == [c.Start]


def test_every_kind_of_due_work_has_its_handler_in_the_same_file() -> None:
    handlers = due_work(Scheduled(*[_Anything()] * 9))  # type: ignore[arg-type]
    assert set(handlers.one) == set(JOBS) and set(handlers.batch) == {SendCheckIn.kind}
