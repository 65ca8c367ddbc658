"""Stopping a conversation: after a long typed text, /cancel (or Annuleren) asks once before it throws
the text away; a short conversation stops at once, as before."""

from __future__ import annotations

from flows.state import Aborted, Button, Notice, Question, State, Transition
from flows.text import N_, Msg

# A text this long (all typed answers together) is worth a question before it is thrown away.
LONG_TYPED = 80
DISCARD, CARRY_ON = "<discard", "<carry-on"
CANCELLED = N_("Geannuleerd. Er is niets opgeslagen.")
ASK = N_("U heeft al een tekst getypt. Wilt u stoppen en die weggooien?")
DISCARD_LABEL = N_("Ja, stoppen en weggooien")
CARRY_ON_LABEL = N_("Nee, verder")
PHASE = "leave"


def typed_much(state: State) -> bool:
    """Whether so much was typed that stopping should be confirmed first."""
    return sum(len(v) for v in state.answers.values() if isinstance(v, str)) >= LONG_TYPED


def asking(state: State) -> bool:
    """Whether the flow is asking "really stop?" now."""
    return state.pending is not None and state.pending.get("phase") == PHASE


def stop(state: State, in_place: bool = False) -> Transition:
    """Stop now, or first ask whether the typed text may go (a second /cancel while asked stops)."""
    if asking(state) or not typed_much(state) or state.pending is not None:
        return Transition(None, (Notice(Msg(CANCELLED), in_place=in_place),), Aborted())
    new = State.from_dict(state.to_dict())
    new.version += 1
    new.pending = {"phase": PHASE, "text": ""}
    buttons = ((Button(Msg(DISCARD_LABEL), DISCARD),), (Button(Msg(CARRY_ON_LABEL), CARRY_ON),))
    return Transition(new, (Question(state.step, Msg(ASK), buttons, new.version, in_place),))


def carry_on(state: State) -> State:
    """Back to the question that was open, with nothing lost."""
    new = State.from_dict(state.to_dict())
    new.version += 1
    new.pending = None
    return new
