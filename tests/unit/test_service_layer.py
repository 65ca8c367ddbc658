"""The services on the in-memory unit of work, without a database or Telegram: escalation, check-ins that
go unanswered, a hand-over accepted, a relapse filed. What falls due or is tapped → what each service
decides → what is stored, planned and queued."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.domain.actions import CallbackCodec
from bot.domain.agreements import CheckInStatus
from bot.domain.jobs import CheckInSilence, Escalate, SendCheckIn
from bot.domain.lifecycle import Status
from bot.domain.region import load_region
from bot.domain.tallies import Counted
from bot.signals.desk import DeskService
from bot.signals.escalation import Escalator
from bot.signals.handover import HandOvers
from bot.views.desk_card import DeskCards
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import WaakvlamBasis
from bot.waakvlam.reentry import ReEntry
from storage.models import Agreement, CheckIn, Signal, SignalRoute, User
from tests.clock import FakeClock
from tests.fakes import FakeUnitOfWork
from tests.rows import agreement_row, person, signal_row

REGION = load_region()
TR = Translator(load_catalogs(), REGION.info.timezone)
CODEC = CallbackCodec(b"k" * 32)
GGD, VT = REGION.meldpunten["ggd-mzg"], REGION.meldpunten["veilig-thuis"]
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Assen


def _user(user_id: int, role: str, name: str, desk: str | None = None) -> User:
    kind = "politie" if role == "veldwerker" else "anders"
    return person(user_id, role, name, MONDAY, first_telegram_id=7000, desk=desk, org_kind=kind)


WENDY = _user(1, "veldwerker", "Wendy Wijkagent")
GERDA = _user(2, "meldpunt", "Gerda GGD", GGD.id)
VERA = _user(3, "meldpunt", "Vera Veilig Thuis", VT.id)
CARLA = _user(4, "coordinator", "Carla Coördinator")


def _signal(status: Status = Status.NEW, owner: str | None = None, to: str | None = None) -> Signal:
    return signal_row(WENDY, MONDAY, ref="S-ABC234", status=status, owner=owner, to=to)


def _world(signal: Signal | None = None) -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.users.rows += [WENDY, GERDA, VERA, CARLA]
    if signal is not None:
        uow.signals.rows.append(signal)
        uow.signals.routes += [
            SignalRoute(id=1, signal_id=signal.id, meldpunt_id=GGD.id, rule_ids=[], summary_outbox_id=40),
            SignalRoute(id=2, signal_id=signal.id, meldpunt_id=VT.id, rule_ids=[], summary_outbox_id=41),
        ]
    return uow


def _desk(clock: FakeClock) -> DeskService:
    return DeskService(REGION, TR, clock, Messenger(clock), DeskCards(REGION, TR, CODEC))


# --- escalation ----------------------------------------------------------------------------------------
async def test_an_unpicked_signal_reminds_the_desk_then_its_coordinators_each_tier_planning_the_next() -> (
    None
):
    clock = FakeClock(MONDAY + timedelta(days=2))
    uow = _world(_signal())
    escalator = Escalator(REGION, TR, clock, Messenger(clock))
    await escalator.run(uow, Escalate(7, GGD.id, 1))  # type: ignore[arg-type]
    [reminder] = uow.outbox.to(GGD.chat_id)
    assert "S-ABC234" in reminder.text and "typed by Wendy" not in reminder.text  # a group: no typed text
    await escalator.run(uow, Escalate(7, GGD.id, 2))  # type: ignore[arg-type]
    [to_carla] = uow.outbox.to(CARLA.telegram_id)
    assert "S-ABC234" in to_carla.text and GGD.name in to_carla.text
    assert [job for job, _ in uow.due.planned.values()] == [Escalate(7, GGD.id, 2), Escalate(7, GGD.id, 3)]
    assert [e.kind for e in uow.signals.events] == ["escalated_1", "escalated_2"]
    assert uow.audit.actions() == ["signal_escalated", "signal_escalated"]


async def test_escalation_stops_the_moment_the_signal_is_picked_up() -> None:
    clock = FakeClock(MONDAY + timedelta(days=2))
    uow = _world(_signal(Status.IN_PROGRESS, GGD.id))
    await Escalator(REGION, TR, clock, Messenger(clock)).run(uow, Escalate(7, GGD.id, 1))  # type: ignore[arg-type]
    assert uow.outbox.queued == [] and uow.due.planned == {} and uow.signals.events == []


# --- check-ins nobody answers ----------------------------------------------------------------------------
def _agreement_world(sent_at: datetime) -> tuple[FakeUnitOfWork, Agreement, CheckIn]:
    uow = _world()
    agreement = agreement_row(WENDY.id, "W-QRST23", date(2027, 5, 23), return_desk=GGD.id)
    checkin = CheckIn(
        id=11, agreement_id=3, seq=1, due_at=sent_at, status=CheckInStatus.SENT, sent_at=sent_at
    )
    uow.agreements.rows.append(agreement)
    uow.agreements.checkins.append(checkin)
    return uow, agreement, checkin


def _checkins(clock: FakeClock) -> CheckIns:
    return CheckIns(WaakvlamBasis(REGION, TR, CODEC, clock, Messenger(clock)))


async def test_silence_first_reminds_the_contact_person_then_puts_the_agreement_at_risk() -> None:
    clock = FakeClock(MONDAY + timedelta(days=2))
    uow, agreement, checkin = _agreement_world(MONDAY)
    stamp = int(MONDAY.timestamp())
    await _checkins(clock).grace(uow, CheckInSilence(11, 1, stamp))  # type: ignore[arg-type]
    assert len(uow.outbox.to(WENDY.telegram_id)) == 1 and checkin.status == CheckInStatus.SENT
    assert not agreement.at_risk
    await _checkins(clock).grace(uow, CheckInSilence(11, 2, stamp))  # type: ignore[arg-type]
    assert checkin.status == CheckInStatus.MISSED and agreement.at_risk
    [to_carla] = uow.outbox.to(CARLA.telegram_id)
    assert "W-QRST23" in to_carla.text and [label for label, _ in to_carla.buttons[0]] == ["Bekijken"]
    assert (3, None, "checkin_missed") in uow.agreements.events and "waakvlam_at_risk" in uow.audit.actions()


async def test_silence_about_an_earlier_sending_is_ignored_once_the_check_in_went_out_again() -> None:
    clock = FakeClock(MONDAY + timedelta(days=3))
    uow, agreement, checkin = _agreement_world(MONDAY + timedelta(days=1))  # snoozed, sent again Tuesday
    await _checkins(clock).grace(uow, CheckInSilence(11, 2, int(MONDAY.timestamp())))  # type: ignore[arg-type]
    assert checkin.status == CheckInStatus.SENT and not agreement.at_risk and uow.outbox.queued == []


# --- a hand-over accepted ----------------------------------------------------------------------------------
async def test_accepting_a_hand_over_moves_the_signal_and_tells_the_filer_where_it_went() -> None:
    clock = FakeClock(MONDAY)
    signal = _signal(Status.HANDOVER, GGD.id, VT.id)
    uow = _world(signal)
    desk = _desk(clock)
    handovers = HandOvers(REGION, TR, clock, Messenger(clock), desk, None, None, None)  # type: ignore[arg-type]
    said = await handovers.accept(uow, VERA, VT, signal)  # type: ignore[arg-type]
    assert said and (signal.status, signal.owner_desk, signal.owner_id, signal.handover_to) == (
        Status.IN_PROGRESS,
        VT.id,
        VERA.id,
        None,
    )
    [event] = uow.signals.events
    assert (event.kind, event.from_status, event.note) == ("handover_accepted", Status.HANDOVER, GGD.id)
    [to_wendy] = uow.outbox.to(WENDY.telegram_id)
    assert VT.name in to_wendy.text and GGD.name in to_wendy.text and "typed by Wendy" not in to_wendy.text
    assert {m.ref for m in uow.outbox.queued if m.chat_id in (GGD.chat_id, VT.chat_id)} == {40, 41}


# --- a relapse ------------------------------------------------------------------------------------------
class _Plans:
    def __init__(self) -> None:
        self.planned: list[tuple[int, list[str]]] = []

    async def plan(self, uow: object, signal: Signal, desk_ids: list[str]) -> None:
        self.planned.append((signal.id, desk_ids))


async def test_a_relapse_files_a_signal_at_the_agreed_desk_without_a_new_intake_and_counts_it() -> None:
    clock = FakeClock(MONDAY)
    uow, agreement, _ = _agreement_world(MONDAY)
    plans = _Plans()
    answers = {"categories": ["verward"], "worry": "Weer verward op straat"}
    signal = await ReEntry(_desk(clock), plans).file(uow, WENDY, agreement, answers)  # type: ignore[arg-type]
    assert (signal.status, signal.agreement_id, signal.gemeente, signal.description) == (
        Status.NEW,
        agreement.id,
        "assen",
        "Weer verward op straat",
    )
    assert [r.meldpunt_id for r in await uow.signals.routes_of(signal.id)] == [GGD.id]
    assert plans.planned == [(signal.id, [GGD.id])]  # escalation planned for the agreed desk only
    counted = {(kind, category) for (kind, _, category, _), n in uow.tallies.counts.items()}
    assert {
        (Counted.SIGNAL.value, "verward"),
        (Counted.RELAPSE.value, ""),
        (Counted.FILED_BY.value, "politie"),
    } <= counted
    [summary] = uow.outbox.to(GGD.chat_id)
    assert "W-QRST23" in summary.text and "Weer verward" not in summary.text  # a group: no typed text
    assert not any(isinstance(job, SendCheckIn) for job, _ in uow.due.planned.values())
