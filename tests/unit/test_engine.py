"""The flow engine on its own: every step kind, validation, back, cancel, skips, taps — no I/O."""

from __future__ import annotations

import pytest

from flows import engine as e
from flows import form, keyboard, leaving
from flows.engine import BACK, CANCEL, DONE, SEND, Filled, Press, Question, State, Text
from flows.intake import INTAKE
from flows.model import Flow, Kind, MaxLength, Option, Pattern, Step, When
from flows.state import SKIP
from flows.text import Msg

ONE = {"gemeenten": (Option("assen", "Assen", raw=True),)}
TWO = {"gemeenten": (Option("assen", "Assen", raw=True), Option("emmen", "Emmen", raw=True))}


def question(t: e.Transition) -> Question:
    asked = [r for r in t.replies if isinstance(r, Question)]
    assert asked, f"no question in {t.replies}"
    return asked[-1]


def labels(q: Question) -> list[str]:
    return [b.label if isinstance(b.label, str) else b.label.msgid for row in q.buttons for b in row]


def press(flow: Flow, t: e.Transition, value: str, ctx: e.Context = ONE) -> e.Transition:
    assert t.state is not None
    return e.advance(flow, t.state, Press(t.state.version, value), ctx)


def text(flow: Flow, t: e.Transition, value: str, ctx: e.Context = ONE) -> e.Transition:
    """Answer as a person does: text about a resident on the form (Filled), anything else in the chat."""
    assert t.state is not None
    if form.on_form(flow.step(t.state.step)):
        return e.advance(flow, t.state, Filled(t.state.version, value), ctx)
    return e.advance(flow, t.state, Text(value), ctx)


def to_description(ctx: e.Context = ONE) -> e.Transition:
    t = e.start(INTAKE, ctx)
    t = press(INTAKE, t, "no", ctx)
    t = press(INTAKE, t, "nuisance", ctx)
    t = press(INTAKE, t, DONE, ctx)
    t = text(INTAKE, t, "AB-1", ctx)
    return text(INTAKE, t, "9401", ctx)


def test_the_first_question_is_about_danger_and_a_single_gemeente_is_then_filled_in() -> None:
    for ctx in (ONE, TWO):  # also for someone who works in several gemeenten
        assert question(e.start(INTAKE, ctx)).step == "acute"
    t = press(INTAKE, e.start(INTAKE, ONE), "no")
    assert t.state is not None and t.state.answers == {"acute": "no", "gemeente": "assen"}
    assert question(t).step == "categories"


def test_several_gemeenten_are_offered_as_raw_buttons_after_the_danger_question() -> None:
    t = press(INTAKE, e.start(INTAKE, TWO), "no", TWO)
    q = question(t)
    assert q.step == "gemeente" and labels(q)[:2] == ["Assen", "Emmen"]
    t = press(INTAKE, t, "emmen", TWO)
    assert t.state is not None and t.state.answers["gemeente"] == "emmen"


def test_acute_danger_ends_the_flow_at_once_with_nothing_kept() -> None:
    for ctx in (ONE, TWO):
        t = press(INTAKE, e.start(INTAKE, ctx), "yes", ctx)
        assert t.state is None
        assert t.outcome == e.Ended("acute", {"acute": "yes"})


def test_multi_choice_toggles_and_needs_at_least_one() -> None:
    t = press(INTAKE, e.start(INTAKE, ONE), "no")
    empty = press(INTAKE, t, DONE)
    assert empty.toast == Msg(e.PICK_AT_LEAST) and empty.state == t.state
    t = press(INTAKE, t, "debts")
    assert question(t).in_place
    assert [b.checked for row in question(t).buttons for b in row if b.value == "debts"] == [True]
    t = press(INTAKE, t, "stalking")
    t = press(INTAKE, t, "debts")
    t = press(INTAKE, t, DONE)
    assert t.state is not None and t.state.answers["categories"] == ["stalking"]


def test_quick_taps_on_an_old_keyboard_of_the_same_step_all_count_once() -> None:
    t = press(INTAKE, e.start(INTAKE, ONE), "no")
    assert t.state is not None
    shown = t.state.version
    t1 = e.advance(INTAKE, t.state, Press(shown, "debts"), ONE)
    assert t1.state is not None
    t2 = e.advance(INTAKE, t1.state, Press(shown, "eviction"), ONE)  # tapped before the edit arrived
    assert t2.state is not None and t2.state.selection == ["debts", "eviction"]
    again = e.advance(INTAKE, t2.state, Press(shown, "debts"), ONE)  # the same tap delivered twice
    assert again.toast == Msg(e.ALREADY) and again.state == t2.state


def test_double_tap_on_a_choice_is_handled_once() -> None:
    t = e.start(INTAKE, ONE)
    assert t.state is not None
    first = e.advance(INTAKE, t.state, Press(0, "no"), ONE)
    assert first.state is not None
    second = e.advance(INTAKE, first.state, Press(0, "no"), ONE)
    assert second.toast == Msg(e.ALREADY) and second.state == first.state and second.replies == ()


def test_button_from_an_old_question_is_expired() -> None:
    t = to_description()
    assert t.state is not None
    old = e.advance(INTAKE, t.state, Press(0, "yes"), ONE)
    assert old.toast == Msg(e.EXPIRED) and old.state == t.state


def test_forged_value_on_the_current_question_is_expired_not_applied() -> None:
    t = e.start(INTAKE, ONE)
    forged = press(INTAKE, t, "maybe")
    assert forged.toast == Msg(e.EXPIRED) and forged.state == t.state


def test_text_on_a_button_question_asks_for_a_button_again() -> None:
    t = e.start(INTAKE, ONE)
    stray = text(INTAKE, t, "nee hoor")
    assert stray.state == t.state
    assert isinstance(stray.replies[0], e.Notice) and stray.replies[0].text == Msg(e.USE_BUTTONS)
    assert question(stray).step == "acute"


def test_over_long_description_is_refused_with_its_length_and_kept_at_the_question() -> None:
    t = to_description()
    long = text(INTAKE, t, "x" * 1001)
    assert long.state == t.state and long.toast is not None  # the form shows it
    assert long.toast.params == {"limit": 1000, "length": 1001}
    ok = text(INTAKE, t, "x" * 1000)
    assert ok.state is not None and ok.state.step == "care_involved"


def test_empty_text_is_refused() -> None:
    t = to_description()
    assert text(INTAKE, t, "   ").state == t.state


@pytest.mark.parametrize(
    ("area", "accepted"),
    [
        ("9401", True),
        ("Assen-Oost", True),
        ("Pittelo", True),
        ("Assen-Oost, 9401", True),
        ("9401 Assen-Oost", True),
        ("Pittelo 9403", True),
        ("9401AB", False),
        ("9401 AB", False),
        ("9401 ab, Assen", False),
        ("Kerkstraat 12", False),
        ("a@b.nl", False),
    ],
)
def test_area_takes_a_neighbourhood_or_four_postcode_digits(area: str, accepted: bool) -> None:
    t = press(INTAKE, e.start(INTAKE, ONE), "no")
    t = press(INTAKE, t, "other")
    t = press(INTAKE, t, DONE)
    t = text(INTAKE, t, "ref")
    result = text(INTAKE, t, area)
    assert result.state is not None
    assert (result.state.step == "description") is accepted


def test_care_organisations_are_asked_only_when_care_is_involved() -> None:
    t = to_description()
    t = text(INTAKE, t, "Wat ik zag")
    skipped = press(INTAKE, t, "no")
    assert question(skipped).step == "resident_knows"
    asked = press(INTAKE, t, "yes")
    assert question(asked).step == "care_orgs"


def test_back_returns_to_the_previous_question_and_forgets_its_answer() -> None:
    t = to_description()
    assert t.state is not None and t.state.step == "description"
    back = e.advance(INTAKE, t.state, e.Back(), ONE)
    assert back.state is not None and back.state.step == "area" and "area" not in back.state.answers
    assert question(back).step == "area"


def test_back_skips_steps_that_were_skipped_or_filled_in() -> None:
    t = to_description()
    t = text(INTAKE, t, "desc")
    t = press(INTAKE, t, "no")  # care_orgs skipped
    assert question(t).step == "resident_knows"
    back = press(INTAKE, t, BACK)
    assert question(back).step == "care_involved"
    first = press(INTAKE, e.start(INTAKE, ONE), "no")
    first = press(INTAKE, first, BACK)
    assert question(first).step == "acute"  # the gemeente was filled in, not asked
    assert first.state is not None and first.state.answers == {}  # filled in again on the way forward
    at_start = e.advance(INTAKE, first.state, e.Back(), ONE)
    assert at_start.replies[0] == e.Notice(Msg(e.FIRST_QUESTION))


def test_back_into_a_multi_choice_keeps_the_earlier_selection() -> None:
    t = press(INTAKE, e.start(INTAKE, ONE), "no")
    t = press(INTAKE, t, "debts")
    t = press(INTAKE, t, DONE)
    back = press(INTAKE, t, BACK)
    assert back.state is not None and back.state.selection == ["debts"]


def test_cancel_anywhere_ends_without_an_outcome_to_store() -> None:
    t = to_description()
    assert t.state is not None
    for cancel in (e.advance(INTAKE, t.state, e.Cancel(), ONE), press(INTAKE, t, CANCEL)):
        assert cancel.state is None and cancel.outcome == e.Aborted()


def test_confirm_shows_every_answer_and_send_completes() -> None:
    t = to_description()
    t = text(INTAKE, t, "Muziek om 22:00")
    t = press(INTAKE, t, "yes")
    t = text(INTAKE, t, "Wijkteam")
    t = press(INTAKE, t, "no")
    assert question(t).step == "elsewhere"
    t = press(INTAKE, t, "unknown")
    assert question(t).step == "match_key"  # samenloop: optional, typed on the form
    t = press(INTAKE, t, SKIP)
    q = question(t)
    assert q.step == "confirm"
    items = q.text.params["summary"]
    assert isinstance(items, tuple) and len(items) == 10
    assert labels(q) == ["Versturen", "« Terug", "Annuleren"]
    done = press(INTAKE, t, SEND)
    assert isinstance(done.outcome, e.Completed)
    assert done.outcome.answers == {
        "gemeente": "assen",
        "acute": "no",
        "categories": ["nuisance"],
        "resident_ref": "AB-1",
        "area": "9401",
        "description": "Muziek om 22:00",
        "care_involved": "yes",
        "care_orgs": "Wijkteam",
        "resident_knows": "no",
        "elsewhere": "unknown",
        "match_key": "",
    }


def test_resume_asks_the_current_question_again() -> None:
    t = to_description()
    assert t.state is not None
    again = e.advance(INTAKE, State.from_dict(t.state.to_dict()), e.Resume(), ONE)
    assert question(again).step == "description" and again.state == t.state


def test_state_survives_a_round_trip_through_json_shapes() -> None:
    t = press(INTAKE, press(INTAKE, e.start(INTAKE, ONE), "no"), "debts")
    assert t.state is not None
    assert State.from_dict(t.state.to_dict()) == t.state


def test_a_flow_with_a_condition_on_a_later_step_is_refused_at_definition() -> None:
    with pytest.raises(ValueError, match="later or unknown"):
        Flow("bad", (Step("a", Kind.TEXT, "A", skip_unless=When("b", "x")), Step("b", Kind.TEXT, "B")))


def test_validators_report_their_message() -> None:
    assert MaxLength(3).check("abcd") == (MaxLength(3).message, {"limit": 3, "length": 4})
    assert Pattern(r"\d+", "digits").check("12") is None
    assert Pattern(r"\d+", "digits").check("1a") == ("digits", {})


def test_a_chosen_place_name_is_echoed_as_written() -> None:
    t = press(INTAKE, press(INTAKE, e.start(INTAKE, TWO), "no", TWO), "emmen", TWO)
    echo = t.replies[0]
    assert isinstance(echo, e.Notice) and echo.in_place
    assert echo.text.params["answer"] == "Emmen"


def _guarded(words: str, choice: str = "", reason: str = "") -> tuple[e.Transition, e.Transition]:
    """The description question, and what the form's text (with the guard's choice) does to it."""
    t = to_description()
    assert t.state is not None
    return t, e.advance(INTAKE, t.state, Filled(t.state.version, words, choice, reason), ONE)


def test_personal_data_on_the_form_is_held_back_with_what_was_found() -> None:
    found = form.review(INTAKE.step("description"), Filled(0, "Zijn BSN is 111222333, bel 06-12345678"))
    assert isinstance(found, form.Found)
    assert [(f.kind, f.masked) for f in found.findings] == [("bsn", "11…33"), ("phone", "06…78")]
    # The engine takes nothing the guard has not settled: the question stays open.
    before, after = _guarded("Zijn BSN is 111222333")
    assert after.state == before.state and after.toast == Msg(e.EXPIRED)


def test_a_date_of_birth_found_twice_is_found_as_dates_of_birth_only() -> None:
    found = form.review(
        INTAKE.step("description"), Filled(0, "Geboren 03-04-1950, ook wel 3 april 1950 genoemd")
    )
    assert isinstance(found, form.Found) and {f.kind for f in found.findings} == {"birthdate"}


def test_verwijderen_stores_the_redacted_text() -> None:
    _, t = _guarded("Zijn BSN is 111222333", "redact")
    assert t.state is not None and t.state.answers["description"] == "Zijn BSN is [BSN]"
    assert question(t).step == "care_involved"


def test_toch_bewaren_needs_a_short_reason_and_keeps_both() -> None:
    for reason in ("", "x" * 201):
        before, t = _guarded("Bel 06-12345678 voor toegang", "keep", reason)
        assert t.state == before.state and t.toast is not None
    _, t = _guarded("Bel 06-12345678 voor toegang", "keep", "de buurvrouw heeft de sleutel")
    assert t.state is not None
    assert t.state.answers["description"] == "Bel 06-12345678 voor toegang"
    assert t.state.answers["description" + e.KEPT] == "de buurvrouw heeft de sleutel"


def test_a_corrected_text_needs_no_choice() -> None:
    _, t = _guarded("Zonder nummer dit keer")
    assert t.state is not None and t.state.answers["description"] == "Zonder nummer dit keer"


def test_a_form_sent_twice_counts_once() -> None:
    before, done = _guarded("Zijn BSN is 111222333", "redact")
    assert before.state is not None and done.state is not None
    again = e.advance(INTAKE, done.state, Filled(before.state.version, "Iets anders"), ONE)
    assert again.toast == Msg(e.EXPIRED) and again.state == done.state


def test_text_about_a_resident_typed_in_the_chat_is_refused_and_not_kept() -> None:
    t = to_description()
    assert t.state is not None
    typed = e.advance(INTAKE, t.state, Text("Zijn BSN is 111222333"), ONE)
    assert typed.state == t.state and "description" not in typed.state.answers
    assert [r.text for r in typed.replies] == [Msg(form.USE_FORM)]
    # The question offers the form instead.
    assert next(b.value for row in question(t).buttons for b in row) == form.FILL


def test_a_flow_without_confirmation_completes_after_its_last_answer_with_its_seed() -> None:
    from flows.info import INFO_ANSWER

    t = e.start(INFO_ANSWER, {}, seed={"signal": "S-ABC123"})
    assert question(t).step == "answer" and t.state is not None
    done = text(INFO_ANSWER, t, "Hij woont er al tien jaar.", {})
    assert done.outcome == e.Completed({"signal": "S-ABC123", "answer": "Hij woont er al tien jaar."})


OPTIONAL = Flow(
    "opt",
    (
        Step("note", Kind.TEXT, "Een notitie?", summary_label="Notitie", optional=True, guard=True),
        Step("confirm", Kind.CONFIRM, "Klopt dit?"),
    ),
)


def test_an_optional_question_has_an_overslaan_button_that_stores_nothing() -> None:
    t = e.start(OPTIONAL, ONE)
    assert ["Overslaan"] in [[str(b.label.msgid) for b in row] for row in question(t).buttons]
    t = press(OPTIONAL, t, e.SKIP)
    assert t.state is not None and t.state.answers["note"] == "" and t.state.step == "confirm"
    echo = t.replies[0]
    assert isinstance(echo, e.Notice) and echo.text.params["answer"] == Msg(keyboard.SKIPPED)
    summary = question(t).text.params["summary"]
    assert isinstance(summary, tuple) and summary[0].params["value"] == Msg(keyboard.SKIPPED)


def test_overslaan_is_refused_where_an_answer_is_needed() -> None:
    t = to_description()
    assert ["Overslaan"] not in [[str(b.label.msgid) for b in row] for row in question(t).buttons]
    after = press(INTAKE, t, e.SKIP)
    assert after.state == t.state and after.toast == Msg(e.EXPIRED)


LONG = (
    "Meneer loopt al weken 's nachts verward over straat en herkent zijn buren niet meer, zegt de buurvrouw."
)


def test_cancel_after_a_long_description_asks_once_before_throwing_it_away() -> None:
    t = text(INTAKE, to_description(), LONG)
    assert t.state is not None and t.state.step == "care_involved"
    for asked in (e.advance(INTAKE, t.state, e.Cancel(), ONE), press(INTAKE, t, CANCEL)):
        assert asked.state is not None and asked.outcome is None
        q = question(asked)
        assert q.text.msgid == leaving.ASK and labels(q) == ["Ja, stoppen en weggooien", "Nee, verder"]
    asked = e.advance(INTAKE, t.state, e.Cancel(), ONE)
    # Nee, verder: back at the open question, the description kept.
    back = press(INTAKE, asked, leaving.CARRY_ON)
    assert back.state is not None and back.state.answers["description"] == LONG
    assert question(back).step == "care_involved" and back.state.pending is None
    # Ja: stopped, nothing to store; a second /cancel while asked stops too.
    assert press(INTAKE, asked, leaving.DISCARD).outcome == e.Aborted()
    assert asked.state is not None
    assert e.advance(INTAKE, asked.state, e.Cancel(), ONE).outcome == e.Aborted()


def test_typing_while_asked_carries_on() -> None:
    t = text(INTAKE, to_description(), LONG)
    assert t.state is not None
    asked = e.advance(INTAKE, t.state, e.Cancel(), ONE)
    assert asked.state is not None
    on = e.advance(INTAKE, asked.state, e.Text("ja"), ONE)
    assert on.state is not None and on.state.pending is None and on.state.step == "care_involved"


def test_closing_asks_what_happened_only_for_anders_and_names_the_signal() -> None:
    from flows.closing import CLOSING

    seed: e.Answers = {"signal": "S-ABC123", "desk": "ggd-mzg"}
    t = e.start(CLOSING, {}, seed)
    first = question(t)
    assert first.text == Msg(CLOSING.steps[0].prompt, {"signal": "S-ABC123"})
    assert question(press(CLOSING, t, "help", {})).step == "note"  # no "how" for a named outcome
    t = press(CLOSING, t, "other", {})
    assert question(t).step == "other"
    t = text(CLOSING, t, "Samen met de buurtcoach langs geweest.", {})
    t = press(CLOSING, t, e.SKIP, {})
    assert question(t).step == "knelpunt"  # one tap: was a system bottleneck in the way?
    t = press(CLOSING, t, "waiting_list", {})
    last = question(t)
    assert last.step == "confirm" and last.text.params["signal"] == "S-ABC123"
    done = press(CLOSING, t, SEND, {})
    assert isinstance(done.outcome, e.Completed)
    assert {k: done.outcome.answers[k] for k in ("outcome", "other", "note", "knelpunt")} == {
        "outcome": "other",
        "other": "Samen met de buurtcoach langs geweest.",
        "note": "",
        "knelpunt": "waiting_list",
    }


PEOPLE = Flow(
    id="people",
    steps=(
        Step("who", Kind.CHOICE, "Wie?", options_from="people", searchable=True),
        Step("why", Kind.TEXT, "Waarom?"),
    ),
)
MANY = {
    "people": (
        *(
            Option(str(i), f"{name} · Buurtwerk", raw=True)
            for i, name in enumerate(
                ["Chantal", "Hanna", "Zoë", "Anouk", "Bram", "Daan", "Esther", "Fleur", "Gijs"]
            )
        ),
        Option("me", "Mijzelf", raw=True, pinned=True),
    )
}


def test_a_long_choice_is_searched_by_typing_and_the_pinned_option_stays() -> None:
    t = e.start(PEOPLE, MANY)
    assert labels(question(t))[:1] == ["Mijzelf"]  # nine people do not fit: none is listed yet
    t = text(PEOPLE, t, "HAN", MANY)
    assert labels(question(t))[:3] == ["Hanna · Buurtwerk", "Chantal · Buurtwerk", "Mijzelf"]
    t = text(PEOPLE, t, "zoe", MANY)  # accents do not matter
    assert labels(question(t))[:2] == ["Zoë · Buurtwerk", "Mijzelf"]
    older = t
    t = press(PEOPLE, t, "2", MANY)
    assert t.state is not None and t.state.answers["who"] == "2" and t.state.pending is None
    assert question(t).text == Msg("Waarom?")  # the search belongs to the step answered, not the next
    assert press(PEOPLE, older, "1", MANY).state is not None  # any option may be chosen, found or not


def test_the_form_button_says_why_when_the_server_has_no_public_address() -> None:
    """Without WAAKVLAM_PUBLIC_URL the ✏️ Invullen button cannot open a page: it calls back, and says so."""
    t = to_description()
    assert t.state is not None
    pressed = e.advance(INTAKE, t.state, Press(t.state.version, form.FILL), ONE)
    assert pressed.state == t.state and pressed.toast == Msg(form.NO_FORMS)
