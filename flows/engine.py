"""A pure conversation engine: (state, input) → transition. No I/O, no clock, no Telegram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flows import pii, typed
from flows.model import Flow, Kind, MaxLength, Option, Step
from flows.text import N_, Msg

BACK, CANCEL, DONE, SEND = "<back", "<cancel", "<done", "<send"
REDACT, KEEP = "<redact", "<keep"
# answers[step + KEPT] holds the reason a professional gave for keeping personal data in a text.
KEPT = ".pii_kept"
REASON_LIMIT = MaxLength(200)
Answers = dict[str, str | list[str]]
Context = dict[str, tuple[Option, ...]]


@dataclass
class State:
    flow: str
    step: str
    answers: Answers = field(default_factory=dict)
    trail: list[str] = field(default_factory=list)
    selection: list[str] = field(default_factory=list)
    version: int = 0
    last_press: tuple[int, str] | None = None
    # Version at which the current step was shown, and the presses it took: a multi-select accepts
    # quick taps made on the keyboard before the bot's edit arrived, but each tap only once.
    shown_at: int = 0
    taps: list[tuple[int, str]] = field(default_factory=list)
    # Text held back by the personal-data guard: {"text": …, "phase": "choose" | "reason"}.
    pending: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "flow": self.flow,
            "step": self.step,
            "answers": self.answers,
            "trail": self.trail,
            "selection": self.selection,
            "version": self.version,
            "last_press": list(self.last_press) if self.last_press else None,
            "shown_at": self.shown_at,
            "taps": [list(t) for t in self.taps],
            "pending": dict(self.pending) if self.pending else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        last = data.get("last_press")
        return cls(
            flow=data["flow"],
            step=data["step"],
            answers=dict(data.get("answers", {})),
            trail=list(data.get("trail", [])),
            selection=list(data.get("selection", [])),
            version=int(data.get("version", 0)),
            last_press=(int(last[0]), str(last[1])) if last else None,
            shown_at=int(data.get("shown_at", 0)),
            taps=[(int(v), str(x)) for v, x in data.get("taps", [])],
            pending=dict(data["pending"]) if data.get("pending") else None,
        )


# Inputs -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Press:
    version: int
    value: str


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class Cancel:
    pass


@dataclass(frozen=True)
class Resume:
    pass


Input = Text | Press | Back | Cancel | Resume


# Replies ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Button:
    label: Msg | str
    value: str
    checked: bool = False


@dataclass(frozen=True)
class Question:
    """Ask a step; `in_place` replaces the message whose button was pressed."""

    step: str
    text: Msg
    buttons: tuple[tuple[Button, ...], ...]
    version: int
    in_place: bool = False


@dataclass(frozen=True)
class Notice:
    text: Msg
    in_place: bool = False


Reply = Question | Notice


# Outcomes -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Completed:
    answers: Answers


@dataclass(frozen=True)
class Ended:
    """The flow stopped early on purpose (e.g. acute danger); `reason` names the branch."""

    reason: str
    answers: Answers


@dataclass(frozen=True)
class Aborted:
    pass


Outcome = Completed | Ended | Aborted


@dataclass(frozen=True)
class Transition:
    state: State | None
    replies: tuple[Reply, ...] = ()
    outcome: Outcome | None = None
    toast: Msg | None = None


ALREADY = N_("Al verwerkt.")
EXPIRED = N_("Deze vraag is verlopen.")
CANCELLED = N_("Geannuleerd. Er is niets opgeslagen.")
USE_BUTTONS = N_("Kies een van de knoppen hieronder, of typ /terug of /cancel.")
PICK_AT_LEAST = N_("Kies minstens één mogelijkheid en tik dan op Klaar.")
FIRST_QUESTION = N_("Dit is de eerste vraag.")
EMPTY_TEXT = N_("Stuur een korte tekst als antwoord.")
SUMMARY_ITEM = N_("{label}: {value}")
CHOSEN = N_("{question}\n→ {answer}")


def start(flow: Flow, ctx: Context, seed: Answers | None = None) -> Transition:
    """Begin a flow at its first applicable step; `seed` holds what is known beforehand (not asked)."""
    state = State(flow=flow.id, step=flow.steps[0].id, answers=dict(seed or {}))
    return _enter(flow, state, 0, ctx)


def advance(flow: Flow, state: State, inp: Input, ctx: Context) -> Transition:
    """Apply one input to a conversation and say what to show next."""
    if isinstance(inp, Cancel):
        return Transition(None, (Notice(Msg(CANCELLED)),), Aborted())
    if isinstance(inp, Resume):
        return Transition(state, (_ask(flow, flow.step(state.step), state, ctx),))
    if isinstance(inp, Back):
        return _back(flow, state, ctx)
    if isinstance(inp, Press):
        return _press(flow, state, inp, ctx)
    return _text(flow, state, inp, ctx)


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
    if press.value == CANCEL:
        return Transition(None, (Notice(Msg(CANCELLED), in_place=True),), Aborted())
    if press.value == BACK:
        return _back(flow, state, ctx, pressed=press)
    if step.kind is Kind.MULTI:
        return _toggle(flow, state, step, press, ctx, tap)
    if step.kind is Kind.TEXT and state.pending is not None and press.value in (REDACT, KEEP):
        return _guard_choice(flow, state, step, press, ctx)
    if step.kind is Kind.CONFIRM:
        return _confirm(flow, state, press, ctx)
    option = _option(step, press.value, ctx)
    if option is None:
        return Transition(state, toast=Msg(EXPIRED))
    return _answer(flow, _bump(state, press), step, press.value, ctx, echo=_label(option))


def _confirm(flow: Flow, state: State, press: Press, ctx: Context) -> Transition:
    """The last screen: Versturen completes the flow with its answers."""
    if press.value != SEND:
        return Transition(state, toast=Msg(EXPIRED))
    done = _bump(state, press)
    return Transition(
        done, (Notice(_summary(flow, state, ctx), in_place=True),), Completed(dict(state.answers))
    )


def _toggle(
    flow: Flow, state: State, step: Step, press: Press, ctx: Context, tap: tuple[int, str]
) -> Transition:
    new = _bump(state, press)
    if press.value == DONE:
        if len(state.selection) < step.min_choices:
            return Transition(state, toast=Msg(PICK_AT_LEAST))
        chosen = [o for o in _options(step, ctx) if o.value in state.selection]
        new.selection = []
        return _answer(
            flow,
            new,
            step,
            [o.value for o in chosen],
            ctx,
            echo=tuple(Msg(o.label) for o in chosen if not o.raw),
        )
    if _option(step, press.value, ctx) is None:
        return Transition(state, toast=Msg(EXPIRED))
    picked = set(state.selection) ^ {press.value}
    new.selection = [o.value for o in _options(step, ctx) if o.value in picked]
    new.taps = [*state.taps, tap]
    return Transition(new, (_ask(flow, step, new, ctx, in_place=True),))


def _text(flow: Flow, state: State, inp: Text, ctx: Context) -> Transition:
    step = flow.step(state.step)
    if step.kind is not Kind.TEXT:
        return Transition(state, (Notice(Msg(USE_BUTTONS)), _ask(flow, step, state, ctx)))
    text = typed.clean(inp.text, multiline=step.multiline)
    if not text:
        return Transition(state, (Notice(Msg(EMPTY_TEXT)),))
    reason = state.pending is not None and state.pending["phase"] == "reason"
    for validator in (REASON_LIMIT,) if reason else step.validators:
        problem = validator.check(text)
        if problem is not None:
            msgid, params = problem
            return Transition(state, (Notice(Msg(msgid, dict(params))),))
    new = _bump(state, None)
    if reason and state.pending is not None:
        new.pending = None
        new.answers[step.id + KEPT] = text
        return _answer(flow, new, step, state.pending["text"], ctx, echo=None)
    findings = pii.find(text) if step.guard else []
    if findings:
        new.pending = {"text": text, "phase": "choose"}
        return Transition(new, (_ask(flow, step, new, ctx),))
    new.pending = None
    return _answer(flow, new, step, text, ctx, echo=None)


def _guard_choice(flow: Flow, state: State, step: Step, press: Press, ctx: Context) -> Transition:
    """Redact what the guard found, or keep it and ask why."""
    if state.pending is None:
        raise ValueError("a guard choice without a pending answer")
    new = _bump(state, press)
    if press.value == KEEP:
        new.pending = {"text": state.pending["text"], "phase": "reason"}
        return Transition(new, (_ask(flow, step, new, ctx, in_place=True),))
    text = state.pending["text"]
    redacted = pii.redact(text, pii.find(text))
    new.pending = None
    return _answer(flow, new, step, redacted, ctx, echo=redacted)


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
    shown: tuple[Reply, ...] = ()
    if echo is not None:
        shown = (Notice(Msg(CHOSEN, {"question": Msg(step.prompt), "answer": echo}), in_place=True),)
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
        options = _options(step, ctx)
        if step.prefill_single and len(options) == 1:
            state.answers[step.id] = options[0].value
            continue
        state.step, state.shown_at, state.taps = step.id, state.version, []
        return Transition(state, (_ask(flow, step, state, ctx),))
    # A flow without a confirmation step is complete after its last answer.
    return Transition(state, (), Completed(dict(state.answers)))


def _back(flow: Flow, state: State, ctx: Context, pressed: Press | None = None) -> Transition:
    if state.pending is not None:
        # Back from the guard's question: type the text again.
        new = _bump(state, pressed)
        new.pending = None
        return Transition(new, (_ask(flow, flow.step(state.step), new, ctx),))
    if not state.trail:
        return Transition(state, (Notice(Msg(FIRST_QUESTION)), _ask(flow, flow.step(state.step), state, ctx)))
    new = _bump(state, pressed)
    target = new.trail.pop()
    for later in flow.steps[flow.index(target) :]:
        new.answers.pop(later.id, None)
    new.selection = []
    new.step, new.shown_at, new.taps = target, new.version, []
    step = flow.step(target)
    if step.kind is Kind.MULTI:
        new.selection = list(state.answers.get(target, []))
    return Transition(new, (_ask(flow, step, new, ctx),))


def _bump(state: State, press: Press | None) -> State:
    new = State.from_dict(state.to_dict())
    new.version += 1
    new.last_press = (press.version, press.value) if press else None
    return new


def _options(step: Step, ctx: Context) -> tuple[Option, ...]:
    return ctx.get(step.options_from, ()) if step.options_from else step.options


def _option(step: Step, value: str, ctx: Context) -> Option | None:
    return next((o for o in _options(step, ctx) if o.value == value), None)


def _label(option: Option) -> Msg | str:
    return option.label if option.raw else Msg(option.label)


PII_FOUND = N_(
    "Let op: uw tekst lijkt persoonsgegevens te bevatten die het meldpunt niet nodig heeft: {found}.\n"
    "Verwijderen vervangt ze door bijvoorbeeld [BSN]. U kunt ook een nieuwe tekst sturen."
)
FOUND_ITEM = N_("{kind} ({value})")
PII_REASON = N_("Waarom heeft het meldpunt deze gegevens nodig? Geef een korte reden (één regel).")
REDACT_LABEL = N_("Verwijderen")
KEEP_LABEL = N_("Toch bewaren")
NEXT_ROW_BACK = N_("« Terug")
CANCEL_LABEL = N_("Annuleren")
DONE_LABEL = N_("Klaar")
SEND_LABEL = N_("Versturen")


def _ask(flow: Flow, step: Step, state: State, ctx: Context, in_place: bool = False) -> Question:
    rows: list[tuple[Button, ...]] = []
    options = _options(step, ctx)
    if step.kind in (Kind.CHOICE, Kind.MULTI):
        buttons = [
            Button(o.label if o.raw else Msg(o.label), o.value, checked=o.value in state.selection)
            for o in options
        ]
        width = step.columns or (len(buttons) if len(buttons) <= 3 else 1)
        rows += [tuple(buttons[i : i + width]) for i in range(0, len(buttons), width)]
    if step.kind is Kind.MULTI:
        rows.append((Button(Msg(DONE_LABEL), DONE),))
    text = Msg(step.prompt)
    if step.kind is Kind.TEXT and state.pending is not None:
        if state.pending["phase"] == "choose":
            found = tuple(
                Msg(FOUND_ITEM, {"kind": Msg(pii.LABELS[f.kind]), "value": f.masked})
                for f in pii.find(state.pending["text"])
            )
            text = Msg(PII_FOUND, {"found": found})
            rows.append((Button(Msg(REDACT_LABEL), REDACT), Button(Msg(KEEP_LABEL), KEEP)))
        else:
            text = Msg(PII_REASON)
    if step.kind is Kind.CONFIRM:
        rows.append((Button(Msg(SEND_LABEL), SEND),))
        text = _summary(flow, state, ctx, prompt=step.prompt)
    controls = [Button(Msg(CANCEL_LABEL), CANCEL)]
    if state.trail:
        controls.insert(0, Button(Msg(NEXT_ROW_BACK), BACK))
    rows.append(tuple(controls))
    return Question(step.id, text, tuple(rows), state.version, in_place)


def _summary(flow: Flow, state: State, ctx: Context, prompt: str | None = None) -> Msg:
    """List every answer with its label, for the confirmation step and the final echo."""
    items: list[Msg] = []
    for step in flow.steps:
        if step.id not in state.answers or not step.summary_label:
            continue
        value = state.answers[step.id]
        values = value if isinstance(value, list) else [value]
        shown: list[Msg | str] = []
        for v in values:
            option = _option(step, v, ctx) if step.kind in (Kind.CHOICE, Kind.MULTI) else None
            shown.append(_label(option) if option else v)
        rendered: Msg | str | tuple[Msg, ...]
        if len(shown) == 1:
            rendered = shown[0]
        elif all(isinstance(x, Msg) for x in shown):
            rendered = tuple(x for x in shown if isinstance(x, Msg))
        else:
            rendered = ", ".join(x if isinstance(x, str) else x.msgid for x in shown)
        items.append(Msg(SUMMARY_ITEM, {"label": Msg(step.summary_label), "value": rendered}))
    return Msg(prompt or SUMMARY_DONE, {"summary": tuple(items)})


SUMMARY_DONE = N_("Verstuurd:\n\n{summary}")
