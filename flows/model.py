"""The building blocks a flow is declared with."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from flows.text import N_


class Kind(StrEnum):
    CHOICE = "choice"
    MULTI = "multi"
    TEXT = "text"
    CONFIRM = "confirm"


@dataclass(frozen=True)
class Option:
    """A choice; `raw` labels (names of places) are shown as they are, others are message ids."""

    value: str
    label: str
    raw: bool = False
    # Always offered, also while searching (flows/search.py): "Mijzelf" is chosen on purpose.
    pinned: bool = False


@dataclass(frozen=True)
class MaxLength:
    """Reject text longer than `limit` characters."""

    limit: int
    message: str = N_(
        "Dat is te lang: maximaal {limit} tekens, u stuurde er {length}. Wilt u het korter maken?"
    )

    def check(self, text: str) -> tuple[str, dict[str, int]] | None:
        """The message and its parameters when the text is too long; None when it fits."""
        if len(text) > self.limit:
            return self.message, {"limit": self.limit, "length": len(text)}
        return None


@dataclass(frozen=True)
class Pattern:
    """Reject text that does not fully match `regex`."""

    regex: str
    message: str

    def check(self, text: str) -> tuple[str, dict[str, int]] | None:
        """The message when the text does not have the asked form; None when it does."""
        if re.fullmatch(self.regex, text, flags=re.IGNORECASE) is None:
            return self.message, {}
        return None


Validator = MaxLength | Pattern


@dataclass(frozen=True)
class When:
    """A condition on an earlier answer: `step`'s answer equals (or, for multi, contains) `value`."""

    step: str
    value: str

    def holds(self, answers: dict[str, str | list[str]]) -> bool:
        """Whether the answer to the step is (or, for several choices, includes) the value."""
        answer = answers.get(self.step)
        if isinstance(answer, list):
            return self.value in answer
        return answer == self.value


@dataclass(frozen=True)
class Step:
    """One question. `options_from` names a context key that supplies options at run time."""

    id: str
    kind: Kind
    prompt: str
    summary_label: str = ""
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    validators: tuple[Validator, ...] = ()
    skip_unless: When | None = None
    prefill_single: bool = False
    ends: dict[str, str] = field(default_factory=dict)
    min_choices: int = 1
    # Buttons per row; 0 puts up to three short answers side by side and long lists one per row.
    columns: int = 0
    # Check typed text for personal data (BSN, IBAN, phone, e-mail, date of birth) before accepting it.
    guard: bool = False
    # Typed text keeps its line breaks (a description); every other answer is kept on one line.
    multiline: bool = False
    # A text question one may leave empty: it gets an Overslaan button and stores "".
    optional: bool = False
    # A choice among many: typing part of a label finds the options to choose from (flows/search.py).
    searchable: bool = False
    # A samenloop match key (flows/matchkey.py): typed on the form, turned into a keyed pseudonym by the
    # server before it becomes the answer; never stored, echoed or checked by the guard as it is meant to
    # be personal data.
    match_key: bool = False
    # Earlier answers (or seeded values, such as a signal's code) the prompt names as {placeholders}.
    prompt_params: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    id: str
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step:
        """The step with this id; KeyError for a step the flow does not have."""
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def index(self, step_id: str) -> int:
        """Where in the flow the step with this id stands."""
        return next(i for i, s in enumerate(self.steps) if s.id == step_id)

    def __post_init__(self) -> None:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError(f"flow {self.id}: duplicate step ids")
        for i, s in enumerate(self.steps):
            if s.skip_unless and s.skip_unless.step not in ids[:i]:
                raise ValueError(f"flow {self.id}: step {s.id} depends on a later or unknown step")
            if s.kind in (Kind.CHOICE, Kind.MULTI) and not (s.options or s.options_from):
                raise ValueError(f"flow {self.id}: step {s.id} has no options")
