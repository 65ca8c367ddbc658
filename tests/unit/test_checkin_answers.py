"""A check-in's answer as the waakvlam service decides it, on an in-memory unit of work: what the contact
person taps under a check-in → the message it becomes → what is stored, counted, planned and who is told.
(Zorgen starts a conversation and files a re-entry signal: the end-to-end transcripts cover that way.)"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.actions import CallbackCodec
from bot.domain.agreements import ENDED, CheckInStatus
from bot.domain.jobs import SendCheckIn
from bot.domain.outgoing import Kind
from bot.domain.region import load_region
from bot.domain.waakvlam_commands import CheckInAnswer
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from bot.waakvlam.answers import CheckInAnswers
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import WaakvlamBasis
from storage.models import Agreement, CheckIn, User
from tests.clock import FakeClock
from tests.fakes import FakeUnitOfWork
from tests.rows import agreement_row, person

REGION = load_region()
TR = Translator(load_catalogs())
# Monday 23 November 2026, 09:05 in Assen: the check-in went out at 09:00.
MONDAY = datetime(2026, 11, 23, 8, 5, tzinfo=UTC)
QUESTION = 880  # the Telegram message that asked


def _user(user_id: int, role: str, name: str, gemeenten: list[str]) -> User:
    return person(user_id, role, name, MONDAY, first_telegram_id=6000, gemeenten=gemeenten)


HENK = _user(1, "veldwerker", "Henk Huismeester", ["assen"])  # the contact person
CARLA = _user(2, "coordinator", "Carla Coördinator", ["assen"])
OTTO = _user(3, "coordinator", "Otto Coördinator", ["emmen"])


def _world(streak: int = 0) -> tuple[FakeUnitOfWork, Agreement, CheckIn]:
    uow = FakeUnitOfWork()
    uow.users.rows += [HENK, CARLA, OTTO]
    agreement = agreement_row(HENK.id, "W-2611-QRST", date(2027, 2, 22), streak=streak, at_risk=True)
    sent = CheckIn(id=11, agreement_id=3, seq=2, due_at=MONDAY, status=CheckInStatus.SENT)
    following = CheckIn(
        id=12, agreement_id=3, seq=3, due_at=MONDAY + timedelta(days=7), status=CheckInStatus.PLANNED
    )
    uow.agreements.rows.append(agreement)
    uow.agreements.checkins += [sent, following]
    return uow, agreement, sent


def _answers(clock: FakeClock) -> CheckInAnswers:
    basis = WaakvlamBasis(
        REGION, Translator(load_catalogs()), CallbackCodec(b"k" * 32), clock, Messenger(clock)
    )
    return CheckInAnswers(basis, CheckIns(basis), None, None)  # type: ignore[arg-type]  # Zorgen only


async def test_goed_is_noted_once_counted_and_the_question_becomes_the_answer_with_the_next_date() -> None:
    uow, agreement, checkin = _world(streak=1)
    answers = _answers(FakeClock(MONDAY))
    assert await answers.press(uow, HENK, CheckInAnswer.GOOD, 11, QUESTION) == ""  # type: ignore[arg-type]
    assert (checkin.status, checkin.answer, checkin.answered_by) == ("answered", "good", HENK.id)
    assert (agreement.no_contact_streak, agreement.at_risk) == (0, False)
    assert uow.agreements.events == [(3, HENK.id, "checkin_good")]
    assert uow.audit.actions() == ["checkin_answered"]
    assert ("checkin_answered", "assen", "", "2026-11") in uow.tallies.counts
    [edit] = uow.outbox.queued
    assert (edit.kind, edit.chat_id, edit.message_id, edit.buttons) == (
        Kind.EDIT,
        HENK.telegram_id,
        QUESTION,
        [],
    )
    assert edit.text.startswith("🕯 Waakvlam W-2611-QRST: goed. Genoteerd; de volgende vraag komt ")
    assert edit.text.endswith("op maandag 30 november om 09:05.")  # the next planned check-in, a week on
    # A double tap (or a second phone) finds it answered: nothing more stored or sent.
    assert (
        TR.render("nl", await answers.press(uow, HENK, CheckInAnswer.GOOD, 11, QUESTION))
        == "Deze check-in is al beantwoord."
    )  # type: ignore[arg-type]
    assert len(uow.outbox.queued) == 1 and len(uow.agreements.events) == 1


async def test_no_contact_twice_in_a_row_tells_the_gemeentes_coordinators_and_no_one_elses() -> None:
    uow, agreement, _ = _world(streak=1)
    await _answers(FakeClock(MONDAY)).press(uow, HENK, CheckInAnswer.NO_CONTACT, 11, QUESTION)  # type: ignore[arg-type]
    assert agreement.no_contact_streak == 2
    [warning] = uow.outbox.to(CARLA.telegram_id)
    assert warning.text == (
        "⚠ Waakvlam W-2611-QRST (Assen): Henk Huismeester heeft 2 keer op rij geen contact gehad met de bewoner."
    )
    assert [label for label, _ in warning.buttons[0]] == ["Bekijken"]
    assert uow.outbox.to(OTTO.telegram_id) == []
    assert "geen contact gehad" in uow.outbox.to(HENK.telegram_id)[0].text


async def test_later_asks_again_the_next_working_day_at_the_usual_time() -> None:
    friday = datetime(2026, 11, 27, 8, 5, tzinfo=UTC)
    uow, agreement, checkin = _world()
    await _answers(FakeClock(friday)).press(uow, HENK, CheckInAnswer.LATER, 11, QUESTION)  # type: ignore[arg-type]
    assert checkin.status == CheckInStatus.SNOOZED
    [(job, due_at)] = uow.due.planned.values()
    assert job == SendCheckIn(checkin=11)
    assert (
        due_at.astimezone(ZoneInfo(REGION.info.timezone)).strftime("%a %H:%M")
        == "Mon " + REGION.waakvlam.checkin_time
    )
    assert "opnieuw" in uow.outbox.queued[0].text and agreement.no_contact_streak == 0


async def test_someone_who_is_not_the_contact_person_nor_the_gemeentes_coordinator_is_refused() -> None:
    uow, _, checkin = _world()
    said = await _answers(FakeClock(MONDAY)).press(uow, OTTO, CheckInAnswer.GOOD, 11, QUESTION)  # type: ignore[arg-type]
    assert TR.render("nl", said) == "Deze check-in is niet (meer) voor u."
    assert uow.audit.actions() == ["checkin_refused"]
    assert checkin.status == CheckInStatus.SENT and uow.outbox.queued == []
    # The gemeente's coordinator may answer for the contact person.
    assert await _answers(FakeClock(MONDAY)).press(uow, CARLA, CheckInAnswer.GOOD, 11, QUESTION) == ""  # type: ignore[arg-type]
    assert checkin.answered_by == CARLA.id


async def test_a_late_goed_to_an_older_check_in_counts_for_that_one_and_leaves_the_risk_of_the_latest() -> (
    None
):
    """A month-old check-in answered today: it is answered, but the later one that went unanswered still
    holds the agreement at risk and the no-contact count stands."""
    uow, agreement, old = _world(streak=1)
    old.status, old.sent_at = CheckInStatus.MISSED, MONDAY
    later = uow.agreements.checkins[1]
    later.status, later.sent_at = CheckInStatus.MISSED, MONDAY + timedelta(days=7)
    month_on = MONDAY + timedelta(days=30)
    await _answers(FakeClock(month_on)).press(uow, HENK, CheckInAnswer.GOOD, old.id, QUESTION)  # type: ignore[arg-type]
    assert (old.status, old.answer) == ("answered", "good")
    assert (agreement.at_risk, agreement.no_contact_streak) == (True, 1)
    # The latest one answered "Goed" clears it.
    await _answers(FakeClock(month_on)).press(uow, HENK, CheckInAnswer.GOOD, later.id, QUESTION + 1)  # type: ignore[arg-type]
    assert (agreement.at_risk, agreement.no_contact_streak) == (False, 0)


async def test_a_tap_under_a_check_in_of_an_ended_agreement_changes_nothing_and_takes_the_buttons_away() -> (
    None
):
    uow, agreement, checkin = _world()
    agreement.status = ENDED
    await CheckIns(_answers(FakeClock(MONDAY)).basis).close_open(uow, agreement)  # type: ignore[arg-type]
    assert [c.status for c in uow.agreements.checkins] == ["closed", "skipped"]
    for action in CheckInAnswer:
        said = await _answers(FakeClock(MONDAY)).press(uow, HENK, action, checkin.id, QUESTION)  # type: ignore[arg-type]
        assert TR.render("nl", said) == "Deze check-in is niet meer open: waakvlam W-2611-QRST is beëindigd."
    assert checkin.answer is None and uow.agreements.events == [] and uow.due.planned == {}
    assert {(m.kind, m.chat_id, m.message_id, tuple(m.buttons)) for m in uow.outbox.queued} == {
        (Kind.MARKUP, HENK.telegram_id, QUESTION, ())
    }
