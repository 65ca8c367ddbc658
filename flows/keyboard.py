"""What a question looks like: its text and its keyboard, and the summary of the answers given."""

from __future__ import annotations

from flows import form, search
from flows.model import Flow, Kind, Option, Step
from flows.state import BACK, CANCEL, DONE, SEND, SKIP, Button, Context, Question, State
from flows.text import N_, Msg, Param

SUMMARY_ITEM = N_("{label}: {value}")
SEARCHED = N_("{question}\n{found}")


def options_of(step: Step, ctx: Context) -> tuple[Option, ...]:
    """The options a step offers: its own, or those the context gives it."""
    return ctx.get(step.options_from, ()) if step.options_from else step.options


def option_of(step: Step, value: str, ctx: Context) -> Option | None:
    """The option with this value, if the step offers it."""
    return next((o for o in options_of(step, ctx) if o.value == value), None)


def label_of(option: Option) -> Msg | str:
    """An option's label: to translate, or shown as it is (a person's or a desk's name)."""
    return option.label if option.raw else Msg(option.label)


PII_FOUND = N_(
    "Let op: uw tekst lijkt persoonsgegevens te bevatten die het meldpunt niet nodig heeft: {found}.\n"
    "Verwijderen vervangt die door {placeholders}. U kunt ook een nieuwe tekst sturen."
)
FOUND_ITEM = N_("{kind} ({value})")
REDACT_LABEL = N_("Verwijderen")
KEEP_LABEL = N_("Toch bewaren")
NEXT_ROW_BACK = N_("« Terug")
CANCEL_LABEL = N_("Annuleren")
DONE_LABEL = N_("Klaar")
SEND_LABEL = N_("Versturen")
SKIP_LABEL = N_("Overslaan")
SKIPPED = N_("(overgeslagen)")


def ask(flow: Flow, step: Step, state: State, ctx: Context, in_place: bool = False) -> Question:
    """The question for a step: its prompt and buttons, as new message or in place of the last."""
    rows: list[tuple[Button, ...]] = []
    options, search_line = search.visible(step, state, options_of(step, ctx))
    if step.kind in (Kind.CHOICE, Kind.MULTI):
        buttons = [
            Button(o.label if o.raw else Msg(o.label), o.value, checked=o.value in state.selection)
            for o in options
        ]
        width = step.columns or (len(buttons) if len(buttons) <= 3 else 1)
        rows += [tuple(buttons[i : i + width]) for i in range(0, len(buttons), width)]
    if step.kind is Kind.MULTI:
        rows.append((Button(Msg(DONE_LABEL), DONE),))
    text = prompt_of(step, state)
    if search_line is not None:
        text = Msg(SEARCHED, {"question": text, "found": search_line})
    if form.on_form(step) and state.pending is None:
        rows.append((Button(Msg(form.FILL_LABEL), form.FILL),))
    if step.kind is Kind.TEXT and step.optional and state.pending is None:
        rows.append((Button(Msg(SKIP_LABEL), SKIP),))
    if step.kind is Kind.CONFIRM:
        rows.append((Button(Msg(SEND_LABEL), SEND),))
        text = summary(flow, state, ctx, prompt=step)
    controls = [Button(Msg(CANCEL_LABEL), CANCEL)]
    if state.trail:
        controls.insert(0, Button(Msg(NEXT_ROW_BACK), BACK))
    rows.append(tuple(controls))
    return Question(step.id, text, tuple(rows), state.version, in_place)


def prompt_of(step: Step, state: State, **more: Param) -> Msg:
    """A step's question, with the earlier answers it names filled in."""
    named = {k: str(state.answers[k]) for k in step.prompt_params if isinstance(state.answers.get(k), str)}
    return Msg(step.prompt, {**named, **more})


def summary(flow: Flow, state: State, ctx: Context, prompt: Step | None = None) -> Msg:
    """List every answer with its label, for the confirmation step (`prompt`) and the final echo."""
    items: list[Msg] = []
    for step in flow.steps:
        if step.id not in state.answers or not step.summary_label:
            continue
        value = state.answers[step.id]
        values = value if isinstance(value, list) else [value]
        shown: list[Msg | str] = []
        for v in values:
            option = option_of(step, v, ctx) if step.kind in (Kind.CHOICE, Kind.MULTI) else None
            if form.on_form(step):  # what was typed on the form stays there: never echoed to the chat
                shown.append(Msg(form.FILLED) if v else Msg(SKIPPED))
            else:
                shown.append(label_of(option) if option else v or Msg(SKIPPED))
        rendered: Msg | str | tuple[Msg, ...]
        if len(shown) == 1:
            rendered = shown[0]
        elif all(isinstance(x, Msg) for x in shown):
            rendered = tuple(x for x in shown if isinstance(x, Msg))
        else:
            rendered = ", ".join(x if isinstance(x, str) else x.msgid for x in shown)
        items.append(Msg(SUMMARY_ITEM, {"label": Msg(step.summary_label), "value": rendered}))
    if prompt is not None:
        return prompt_of(prompt, state, summary=tuple(items))
    return Msg(SUMMARY_DONE, {"summary": tuple(items)})


SUMMARY_DONE = N_("Verstuurd:\n\n{summary}")
