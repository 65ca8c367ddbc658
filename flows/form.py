"""Text about a resident is typed on a form on the region's own server, never in the chat: what the form
checks before its text becomes a step's answer. Pure: the web page (bot/forms) and the engine ask the same.

A step asks its text on the form when it is a text question with the personal-data guard on (the
reference, the area, a description, a question or an answer, a note, a reason): everything a person may
type about a resident. A number of days or a search for a name is still typed in the chat."""

from __future__ import annotations

from dataclasses import dataclass

from flows import pii, typed
from flows.model import Kind, Step
from flows.state import REASON_LIMIT, Filled
from flows.text import N_, Msg

FILL = "<form"  # the value of the Invullen button: opens the form instead of calling back
FILL_LABEL = N_("✏️ Invullen")
FILLED = N_("✓ ingevuld")
USE_FORM = N_(
    "Typ dit niet in de chat: tik op ✏️ Invullen bij de vraag. Uw bericht is verwijderd; "
    "alleen het formulier bewaart tekst, op de server van de regio."
)
NO_FORMS = N_(
    "Het formulier is op deze installatie niet ingesteld (WAAKVLAM_PUBLIC_URL). Vraag de beheerder."
)
EMPTY = N_("Vul een korte tekst in.")
REASON_NEEDED = N_("Geef een korte reden (één regel) waarom het meldpunt deze gegevens nodig heeft.")


def on_form(step: Step) -> bool:
    """Whether the step's text is typed on the form (about a resident), not in the chat."""
    return step.kind is Kind.TEXT and (step.guard or step.match_key)


@dataclass(frozen=True)
class Problem:
    """The text cannot be taken as it is: say why, on the form."""

    message: Msg


@dataclass(frozen=True)
class Found:
    """The guard found personal data: the form asks Verwijderen or Toch bewaren (with a reason)."""

    findings: tuple[pii.Finding, ...]
    text: str


@dataclass(frozen=True)
class Ready:
    """What becomes the answer: the cleaned (or redacted) text, and the reason for keeping personal data."""

    text: str
    kept: str | None = None


def review(step: Step, filled: Filled) -> Problem | Found | Ready:
    """What the form's text amounts to for this step: a problem to show, personal data to decide on, or an
    answer. `filled.choice` is the person's answer to the guard: "redact", "keep" (with a reason) or ""."""
    text = typed.clean(filled.text, multiline=step.multiline)
    if not text:
        return Ready("") if step.optional else Problem(Msg(EMPTY))
    for validator in step.validators:
        problem = validator.check(text)
        if problem is not None:
            return Problem(Msg(problem[0], dict(problem[1])))
    if step.match_key:  # personal data by design: the server makes it a pseudonym at once (bot/samenloop)
        return Ready(text)
    findings = tuple(pii.find(text))
    if not findings:
        return Ready(text)
    if filled.choice == "redact":
        return Ready(pii.redact(text, list(findings)))
    if filled.choice == "keep":
        reason = typed.one_line(filled.reason)
        if not reason:
            return Problem(Msg(REASON_NEEDED))
        problem = REASON_LIMIT.check(reason)
        if problem is not None:
            return Problem(Msg(problem[0], dict(problem[1])))
        return Ready(text, reason)
    return Found(findings, text)
