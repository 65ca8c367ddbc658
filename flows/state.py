"""The engine's values: a conversation's state, what a person puts in, and what the engine answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flows.model import MaxLength, Option
from flows.text import Msg

BACK, CANCEL, DONE, SEND = "<back", "<cancel", "<done", "<send"
SKIP = "<skip"  # Overslaan: an optional text question left empty
# answers[step + KEPT] holds the reason a professional gave for keeping personal data in a text.
KEPT = ".pii_kept"
REASON_LIMIT = MaxLength(200)
Answers = dict[str, str | list[str]]
Context = dict[str, tuple[Option, ...]]


def number(answers: Answers, key: str) -> int:
    """An answer that holds a whole number (a row a flow was started for, a chosen count of days);
    ValueError when it does not."""
    value = answers[key]
    if not isinstance(value, str) or not value.strip().lstrip("-").isdecimal():
        raise ValueError(f"answer {key!r} is no number")
    return int(value)


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
        """The state as JSON, as a conversation row keeps it (encrypted)."""
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
        """The state a conversation row kept."""
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
class Filled:
    """Text sent from the form on the region's server for the question shown at `version`; `choice` is the
    answer to the personal-data guard on the form ("redact", "keep" or ""), `reason` why it is kept."""

    version: int
    text: str
    choice: str = ""
    reason: str = ""


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


Input = Text | Filled | Press | Back | Cancel | Resume


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
