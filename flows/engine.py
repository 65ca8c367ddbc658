"""A pure conversation engine: (state, input) → transition. No I/O, no clock, no Telegram.

Its values live in flows/state.py and a question's look in flows/keyboard.py; they are named here too."""

from __future__ import annotations

from flows import form, leaving, search, typed
from flows.keyboard import SKIPPED, ask, label_of, option_of, options_of, prompt_of, summary
from flows.model import Flow, Kind, Step
from flows.state import (
    BACK,
    CANCEL,
    DONE,
    KEPT,
    REASON_LIMIT,
    SEND,
    SKIP,
    Aborted,
    Answers,
    Back,
    Button,
    Cancel,
    Completed,
    Context,
    Ended,
    Filled,
    Input,
    Notice,
    Outcome,
    Press,
    Question,
    Reply,
    Resume,
    State,
    Text,
    Transition,
)
from flows.text import N_, Msg

__all__ = [
    "BACK",
    "CANCEL",
    "DONE",
    "KEPT",
    "REASON_LIMIT",
    "SEND",
    "SKIP",
    "Aborted",
    "Answers",
    "Back",
    "Button",
    "Cancel",
    "Completed",
    "Context",
    "Ended",
    "Filled",
    "Input",
    "Notice",
    "Outcome",
    "Press",
    "Question",
    "Reply",
    "Resume",
    "State",
    "Text",
    "Transition",
    "advance",
    "start",
]

ALREADY = N_("Al verwerkt.")
EXPIRED = N_("Deze vraag is verlopen.")
CANCELLED = leaving.CANCELLED
USE_BUTTONS = N_("Kies een van de knoppen hieronder, of typ /terug of /cancel.")
PICK_AT_LEAST = N_("Kies minstens één mogelijkheid en tik dan op Klaar.")
FIRST_QUESTION = N_("Dit is de eerste vraag.")
EMPTY_TEXT = N_("Stuur een korte tekst als antwoord.")
CHOSEN = N_("{question}\n→ {answer}")


def start(flow: Flow, ctx: Context, seed: Answers | None = None) -> Transition:
    """Begin a flow at its first applicable step; `seed` holds what is known beforehand (not asked)."""
    state = State(flow=flow.id, step=flow.steps[0].id, answers=dict(seed or {}))
    return _enter(flow, state, 0, ctx)


def advance(flow: Flow, state: State, inp: Input, ctx: Context) -> Transition:
    """Apply one input to a conversation and say what to show next."""
    if isinstance(inp, Cancel):
        return leaving.stop(state)
    if isinstance(inp, Resume):
        return Transition(state, (ask(flow, flow.step(state.step), state, ctx),))
    if isinstance(inp, Back):
        return _back(flow, state, ctx)
    if isinstance(inp, Press):
        return _press(flow, state, inp, ctx)
    if isinstance(inp, Filled):
        return _filled(flow, state, inp, ctx)
    return _text(flow, state, inp, ctx)


def _filled(flow: Flow, state: State, filled: Filled, ctx: Context) -> Transition:
    """Text from the form: the answer to the question on screen, once (a replay finds the flow moved on)."""
    step = flow.step(state.step)
    if filled.version != state.version or not form.on_form(step) or state.pending is not None:
        return Transition(state, toast=Msg(EXPIRED))
    checked = form.review(step, filled)
    if not isinstance(checked, form.Ready):
        return Transition(state, toast=checked.message if isinstance(checked, form.Problem) else Msg(EXPIRED))
    new = _bump(state, None)
    if checked.kept is not None:
        new.answers[step.id + KEPT] = checked.kept
    echo = Msg(form.FILLED) if checked.text else Msg(SKIPPED)
    return _answer(flow, new, step, checked.text, ctx, echo=echo)


def _press(flow: Flow, state: State, press: Press, ctx: Context) -> Transition:
    step = flow.step(state.step)
    tap = (press.version, press.value)
    if step.kind is Kind.MULTI and state.shown_at <= press.version < state.version:
        if tap in state.taps:
            return Transition(state, toast=Msg(ALREADY))
        press = Press(state.version, press.value)  # a quick tap on the keyboard as it was: still this step
    if press.version != state.version:
        toast = ALREADY if state.last_press == (press.version, press.value) else EXPIRED
        return Transition(state, toast=Msg(toast))
    if press.value == CANCEL or leaving.asking(state):
        return _leave_choice(flow, state, press, ctx)
    if press.value == BACK:
        return _back(flow, state, ctx, pressed=press)
    if step.kind is Kind.MULTI:
        return _toggle(flow, state, step, press, ctx, tap)
    if step.kind is Kind.TEXT:
        return _text_press(flow, state, step, press, ctx)
    if step.kind is Kind.CONFIRM:
        return _confirm(flow, state, press, ctx)
    option = option_of(step, press.value, ctx)
    if option is None:
        return Transition(state, toast=Msg(EXPIRED))
    return _answer(flow, _bump(state, press), step, press.value, ctx, echo=label_of(option))


def _leave_choice(flow: Flow, state: State, press: Press, ctx: Context) -> Transition:
    """Annuleren, or the answer to "stoppen en weggooien?"."""
    if press.value == CANCEL:
        return leaving.stop(state, in_place=True)
    if press.value == leaving.DISCARD:
        return Transition(None, (Notice(Msg(CANCELLED), in_place=True),), Aborted())
    if press.value == leaving.CARRY_ON:
        new = leaving.carry_on(state)
        return Transition(new, (ask(flow, flow.step(new.step), new, ctx, in_place=True),))
    return Transition(state, toast=Msg(EXPIRED))


def _text_press(flow: Flow, state: State, step: Step, press: Press, ctx: Context) -> Transition:
    """The buttons of a text question: Overslaan on an optional one (its form button opens a page)."""
    if press.value == form.FILL:  # a form button without an address: the server has no public one
        return Transition(state, toast=Msg(form.NO_FORMS))
    if step.optional and press.value == SKIP and state.pending is None:
        return _answer(flow, _bump(state, press), step, "", ctx, echo=Msg(SKIPPED))
    return Transition(state, toast=Msg(EXPIRED))


def _confirm(flow: Flow, state: State, press: Press, ctx: Context) -> Transition:
    """The last screen: Versturen completes the flow with its answers."""
    if press.value != SEND:
        return Transition(state, toast=Msg(EXPIRED))
    done = _bump(state, press)
    return Transition(
        done, (Notice(summary(flow, state, ctx), in_place=True),), Completed(dict(state.answers))
    )


def _toggle(
    flow: Flow, state: State, step: Step, press: Press, ctx: Context, tap: tuple[int, str]
) -> Transition:
    new = _bump(state, press)
    if press.value == DONE:
        if len(state.selection) < step.min_choices:
            return Transition(state, toast=Msg(PICK_AT_LEAST))
        chosen = [o for o in options_of(step, ctx) if o.value in state.selection]
        new.selection = []
        return _answer(
            flow,
            new,
            step,
            [o.value for o in chosen],
            ctx,
            echo=tuple(Msg(o.label) for o in chosen if not o.raw),
        )
    if option_of(step, press.value, ctx) is None:
        return Transition(state, toast=Msg(EXPIRED))
    picked = set(state.selection) ^ {press.value}
    new.selection = [o.value for o in options_of(step, ctx) if o.value in picked]
    new.taps = [*state.taps, tap]
    return Transition(new, (ask(flow, step, new, ctx, in_place=True),))


def _text(flow: Flow, state: State, inp: Text, ctx: Context) -> Transition:
    step = flow.step(state.step)
    if leaving.asking(state):  # typing on means carrying on
        state = leaving.carry_on(state)
    if step.kind is Kind.CHOICE and step.searchable and (found := typed.clean(inp.text, multiline=False)):
        searched = search.with_query(_bump(state, None), found)
        return Transition(searched, (ask(flow, step, searched, ctx),))
    if step.kind is not Kind.TEXT:
        return Transition(state, (Notice(Msg(USE_BUTTONS)), ask(flow, step, state, ctx)))
    if form.on_form(step):  # about a resident: only on the form, never through the chat
        return Transition(state, (Notice(Msg(form.USE_FORM)),))
    text = typed.clean(inp.text, multiline=step.multiline)
    if not text:
        return Transition(state, (Notice(Msg(EMPTY_TEXT)),))
    for validator in step.validators:
        problem = validator.check(text)
        if problem is not None:
            msgid, params = problem
            return Transition(state, (Notice(Msg(msgid, dict(params))),))
    return _answer(flow, _bump(state, None), step, text, ctx, echo=None)


def _answer(
    flow: Flow,
    state: State,
    step: Step,
    value: str | list[str],
    ctx: Context,
    echo: Msg | str | tuple[Msg, ...] | None,
) -> Transition:
    state.answers[step.id] = value
    state.trail.append(step.id)
    state.pending = None  # a search or the guard's question belongs to the step just answered
    shown: tuple[Reply, ...] = ()
    if echo is not None:
        shown = (Notice(Msg(CHOSEN, {"question": prompt_of(step, state), "answer": echo}), in_place=True),)
    if isinstance(value, str) and value in step.ends:
        return Transition(None, (*shown,), Ended(step.ends[value], dict(state.answers)))
    nxt = _enter(flow, state, flow.index(step.id) + 1, ctx)
    return Transition(nxt.state, (*shown, *nxt.replies), nxt.outcome)


def _enter(flow: Flow, state: State, index: int, ctx: Context) -> Transition:
    """Move to the first step from `index` that applies, answering single-option steps itself."""
    for step in flow.steps[index:]:
        if step.id in state.answers:
            continue  # known beforehand (seeded), so not asked
        if step.skip_unless and not step.skip_unless.holds(state.answers):
            state.answers.pop(step.id, None)
            continue
        options = options_of(step, ctx)
        if step.prefill_single and len(options) == 1:
            state.answers[step.id] = options[0].value
            continue
        state.step, state.shown_at, state.taps = step.id, state.version, []
        return Transition(state, (ask(flow, step, state, ctx),))
    # A flow without a confirmation step is complete after its last answer.
    return Transition(state, (), Completed(dict(state.answers)))


def _back(flow: Flow, state: State, ctx: Context, pressed: Press | None = None) -> Transition:
    if state.pending is not None:
        # Back from the guard's question: type the text again.
        new = _bump(state, pressed)
        new.pending = None
        return Transition(new, (ask(flow, flow.step(state.step), new, ctx),))
    if not state.trail:
        return Transition(state, (Notice(Msg(FIRST_QUESTION)), ask(flow, flow.step(state.step), state, ctx)))
    new = _bump(state, pressed)
    target = new.trail.pop()
    for later in flow.steps[flow.index(target) :]:
        new.answers.pop(later.id, None)
    new.selection = []
    new.step, new.shown_at, new.taps = target, new.version, []
    step = flow.step(target)
    if step.kind is Kind.MULTI:
        new.selection = list(state.answers.get(target, []))
    return Transition(new, (ask(flow, step, new, ctx),))


def _bump(state: State, press: Press | None) -> State:
    new = State.from_dict(state.to_dict())
    new.version += 1
    new.last_press = (press.version, press.value) if press else None
    return new
