"""The desk's decisions on an in-memory unit of work, without a database: who may press a desk button, what
picking up and closing move, audit and count, and whom they tell. What a desk member taps → what the desk
service answers → what is stored, counted and queued."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.domain.actions import CallbackCodec
from bot.domain.lifecycle import Status
from bot.domain.outgoing import Kind
from bot.domain.region import load_region
from bot.domain.signal_commands import Close, PickUp
from bot.signals.desk import DeskService
from bot.signals.desk_gate import DeskChecks
from bot.views.desk_card import DeskCards
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from flows.text import Msg
from storage.models import Signal, SignalRoute, User
from tests.clock import FakeClock
from tests.fakes import FakeUnitOfWork
from tests.rows import person, signal_row

REGION = load_region()
TR = Translator(load_catalogs())
GGD = REGION.meldpunten["ggd-mzg"]
VT = REGION.meldpunten["veilig-thuis"]
# Monday 23 November 2026, 10:00 in Assen (09:00 UTC): the desk is open.
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _user(user_id: int, role: str, name: str, meldpunt: str | None = None, locale: str = "nl") -> User:
    return person(user_id, role, name, MONDAY, desk=meldpunt, locale=locale)


WENDY = _user(1, "veldwerker", "Wendy Wijkagent", locale="en")
GERDA = _user(2, "meldpunt", "Gerda GGD", "ggd-mzg")
VERA = _user(3, "meldpunt", "Vera Veilig Thuis", "veilig-thuis")


def _world(filed: datetime) -> tuple[FakeUnitOfWork, Signal]:
    uow = FakeUnitOfWork()
    uow.users.rows += [WENDY, GERDA, VERA]
    signal = signal_row(WENDY, filed)
    uow.signals.rows.append(signal)
    uow.signals.routes.append(
        SignalRoute(id=1, signal_id=7, meldpunt_id=GGD.id, rule_ids=["r1"], summary_outbox_id=40)
    )
    return uow, signal


def _gate(desk: DeskService) -> DeskChecks:
    return DeskChecks(REGION, desk.tr, desk.clock, desk, None)  # type: ignore[arg-type]  # idle: after a move only


def _desk(clock: FakeClock) -> DeskService:
    tr = Translator(load_catalogs())
    return DeskService(REGION, tr, clock, Messenger(clock), DeskCards(REGION, tr, CallbackCodec(b"k" * 32)))


async def test_picking_up_moves_audits_counts_in_working_hours_and_tells_the_filer_in_her_language() -> None:
    clock = FakeClock(MONDAY + timedelta(hours=3))
    uow, signal = _world(filed=MONDAY)
    said = await _desk(clock).pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    assert TR.render(GERDA.locale, said) == "U heeft dit signaal opgepakt."
    assert (signal.status, signal.owner_desk, signal.owner_id, signal.version) == (
        Status.IN_PROGRESS.value,
        GGD.id,
        GERDA.id,
        2,
    )
    assert [(e.kind, e.from_status, e.to_status, e.actor_id) for e in uow.signals.events] == [
        ("picked_up", "nieuw", Status.IN_PROGRESS.value, GERDA.id)
    ]
    assert uow.audit.actions() == ["signal_picked_up"]
    counted = {kind: n for (kind, gemeente, desk, month), n in uow.tallies.counts.items()}
    assert counted == {"picked_up": 1, "picked_in_sla": 1, "pickup_2": 1}  # 3 working hours: bucket 2
    [to_filer] = uow.outbox.to(WENDY.telegram_id)
    assert to_filer.kind is Kind.SEND and "GGD Drenthe" in to_filer.text and "S-2611-ABCD" in to_filer.text
    assert "in behandeling" not in to_filer.text  # English, as Wendy set with /taal
    [summary] = uow.outbox.to(GGD.chat_id)
    assert (summary.kind, summary.ref) == (Kind.EDIT, 40)  # the desk's own summary, edited in place
    assert "Gerda GGD" in summary.text and "typed by Wendy" not in summary.text  # a group: no typed text


async def test_a_weekend_does_not_count_against_the_desk_but_a_working_day_and_a_half_does() -> None:
    friday_four = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # 16:00 in Assen, an hour before closing
    clock = FakeClock(datetime(2026, 11, 24, 10, 30, tzinfo=UTC))  # Tuesday 11:30: 1 + 8.5 + 3 hours
    uow, signal = _world(filed=friday_four)
    await _desk(clock).pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    counted = {kind for (kind, *_), n in uow.tallies.counts.items()}
    assert "picked_up" in counted and "picked_in_sla" not in counted
    clock.set(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # Monday 10:00: 2 working hours after filing
    uow, signal = _world(filed=friday_four)
    await _desk(clock).pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    assert ("picked_in_sla", "assen", GGD.id, "2026-11") in uow.tallies.counts


async def test_a_second_pick_up_of_a_signal_in_hand_moves_nothing_and_says_it_changed() -> None:
    clock = FakeClock(MONDAY)
    uow, signal = _world(filed=MONDAY)
    desk = _desk(clock)
    await desk.pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    before = (len(uow.outbox.queued), len(uow.audit.rows), signal.version)
    said = await desk.pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    assert TR.render(GERDA.locale, said) == "Dit signaal is intussen veranderd; de knoppen zijn bijgewerkt."
    assert (len(uow.outbox.queued), len(uow.audit.rows), signal.version) == before


@pytest.mark.parametrize(
    ("who", "chat", "why"),
    [
        (VERA, GGD.chat_id, "works at another desk"),
        (WENDY, GGD.chat_id, "is no desk staff"),
        (VERA, VT.chat_id, "her desk has no route to the signal"),
    ],
)
async def test_a_desk_button_pressed_by_someone_it_is_not_for_is_refused_and_audited(
    who: User, chat: int, why: str
) -> None:
    uow, signal = _world(filed=MONDAY)
    checked = await _gate(_desk(FakeClock(MONDAY))).check(uow, who, chat, PickUp(7, 1, 99))  # type: ignore[arg-type]
    refusal = {
        "nl": "Alleen medewerkers van dit meldpunt kunnen dit doen.",
        "en": "Only this desk's staff can do this.",
    }
    assert isinstance(checked, Msg) and TR.render(who.locale, checked) == refusal[who.locale], why
    assert [(e.action, e.subject) for e in uow.audit.rows] == [("desk_action_refused", signal.ref)]
    assert uow.outbox.queued == [] and signal.version == 1


async def test_a_stale_button_brings_the_summary_up_to_date_and_names_who_has_it() -> None:
    clock = FakeClock(MONDAY)
    uow, signal = _world(filed=MONDAY)
    desk = _desk(clock)
    await desk.pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    uow.outbox.queued.clear()
    colleague = _user(4, "meldpunt", "Gijs GGD", "ggd-mzg")
    checked = await _gate(desk).check(uow, colleague, GGD.chat_id, PickUp(7, 1, 99))  # type: ignore[arg-type]
    assert isinstance(checked, Msg)
    assert (
        TR.render("nl", checked) == "Al opgepakt door Gerda GGD (GGD Drenthe — Meldpunt Zorgwekkend Gedrag)."
    )
    assert [(m.kind, m.ref) for m in uow.outbox.queued] == [(Kind.EDIT, 40)]


async def test_a_current_button_for_what_this_desk_may_no_longer_do_is_refused_before_any_move() -> None:
    uow, signal = _world(filed=MONDAY)
    signal.status, signal.owner_desk = Status.IN_PROGRESS, VT.id  # taken by another desk, same version
    checked = await _gate(_desk(FakeClock(MONDAY))).check(uow, GERDA, GGD.chat_id, Close(7, 1, 99))  # type: ignore[arg-type]
    assert isinstance(checked, Msg)
    assert TR.render("nl", checked) == "Dit signaal is intussen veranderd; de knoppen zijn bijgewerkt."
    assert uow.outbox.queued == [] and uow.signals.events == [] and signal.version == 1


async def test_only_the_desk_that_has_it_closes_it_and_only_with_a_known_outcome() -> None:
    clock = FakeClock(MONDAY)
    uow, signal = _world(filed=MONDAY)
    desk = _desk(clock)
    await desk.pick_up(uow, GERDA, GGD, signal)  # type: ignore[arg-type]
    assert not await desk.close(uow, VERA, VT, signal, "help")  # type: ignore[arg-type]
    assert not await desk.close(uow, GERDA, GGD, signal, "gone")  # type: ignore[arg-type]
    assert signal.status == Status.IN_PROGRESS.value
    assert await desk.close(uow, GERDA, GGD, signal, "help")  # type: ignore[arg-type]
    assert (signal.status, signal.outcome, signal.closed_at) == (Status.CLOSED.value, "help", MONDAY)
    assert ("outcome_help", "assen", GGD.id, "2026-11") in uow.tallies.counts
    assert uow.audit.actions() == ["signal_picked_up", "signal_closed"]
