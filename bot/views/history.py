"""A signal's history in plain words, with who and when: "3 dec 2026 09:12 — Gerda (GGD) heeft het opgepakt".

Shown only in `/signaal REF`, privately, to someone the access table allows; never an event id. The
filer appears as "de melder", desk staff by name and desk, coordinators by name and role.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.domain.lifecycle import OUTCOMES
from bot.domain.overleg import TRIAGE
from bot.domain.region import Region
from bot.views.i18n import Translator
from bot.views.summaries import ROLE_NAMES
from flows.text import N_, Msg, Param
from storage.models import SignalEvent, User

LINE = N_("{when} — {what}")
# What happened, per kind of event. {who} is the person who did it, {desk} the desk it names, {note}
# the words that belong to the event (a question, an answer, a reason), {outcome} how it was closed.
WHAT = {
    "filed": N_("de melder heeft het ingediend"),
    "pii_kept": N_("de melder heeft persoonsgegevens bewust bewaard"),
    "picked_up": N_("{who} heeft het opgepakt"),
    "closed": N_("{who} heeft het afgesloten: {outcome}"),
    "info_requested": N_("{who} vroeg de melder: {note}"),
    "info_answered": N_("de melder antwoordde: {note}"),
    "escalated_1": N_("herinnering aan {desk}: nog niet opgepakt"),
    "escalated_2": N_("opgeschaald naar de coördinatoren van de gemeente (AVE stap 2)"),
    "escalated_3": N_("opgeschaald naar het regionale meldpunt (AVE stap 3)"),
    "relapse": N_("terugval gemeld bij een check-in van waakvlam {note}"),
    "handover_requested": N_("{who} vroeg overdracht aan {desk}"),
    "handover_accepted": N_("{who} accepteerde de overdracht van {desk}"),
    "handover_refused": N_("{who} weigerde de overdracht: {note}"),
    "marked_urgent": N_("gemarkeerd als urgent"),
    "help_asked": N_("gevraagd of de hulp echt is gestart"),
    "help_confirmed": N_("{who}: de hulp is gestart"),
    "help_unknown": N_("{who}: nog niet bekend of de hulp is gestart"),
    "reopened": N_("{who} heeft het opnieuw geopend: de hulp is niet gestart"),
    "unmarked_urgent": N_("niet meer urgent"),
    "handover_chased_1": N_("herinnering aan {desk}: de overdracht is nog niet beantwoord"),
    "handover_chased_2": N_(
        "overdracht blijft liggen bij {desk}: het meldpunt en de coördinatoren ingelicht"
    ),
    "handover_note": N_("notitie van {who} bij de overdracht: {note}"),
    "closed_how": N_("zo is het afgehandeld: {note}"),
    "closing_note": N_("notitie van {who} bij het afsluiten: {note}"),
    "idle_asked": N_("geen activiteit: gevraagd of het nog loopt ({desk})"),
    "still_running": N_("{who}: het loopt nog"),
    "idle_escalated": N_("ligt stil bij {desk}: de coördinatoren ingelicht"),
    "overleg_started": N_("routeeroverleg geopend: de meldpunten besluiten samen wie aan zet is"),
    "overleg_decided": N_("routeeroverleg besloten: {desk} is aan zet"),
    "triaged": N_("{who}: triage {note}"),
    "queued": N_("{who} zette het op de werkvoorraad, prioriteit {note}"),
    "started": N_("{who} is ermee gestart"),
}
SOMETHING = N_("gebeurtenis: {kind}")
SOMEONE = N_("iemand")
PERSON_AT = N_("{name} ({at})")
# Events whose note names a desk (its id); the others' notes are words shown as they are.
DESK_NOTES = frozenset(
    {
        "escalated_1",
        "handover_requested",
        "handover_accepted",
        "handover_chased_1",
        "handover_chased_2",
        "idle_asked",
        "idle_escalated",
        "overleg_decided",
    }
)
HIDDEN_NOTES = frozenset({"pii_kept"})  # the filer's reason stays in the record, not in the history
# What the desks wrote for each other (hand-over and closing notes, how it was handled, why a hand-over was
# refused): read by the desks and coordinators only. The filer hears the outcome, never these words.
DESK_ONLY = frozenset({"handover_note", "closed_how", "closing_note"})
REFUSED_WITHOUT_NOTE = N_("{who} weigerde de overdracht")


def history(
    tr: Translator,
    loc: str,
    region: Region,
    events: Sequence[SignalEvent],
    people: Mapping[int, User],
    *,
    notes: bool,
) -> list[str]:
    """Write one line per event, oldest first; the desks' notes only for a reader of notes."""
    return [
        tr.render(loc, Msg(LINE, {"when": tr.when(loc, e.at), "what": _what(region, e, people, notes)}))
        for e in events
        if notes or e.kind not in DESK_ONLY
    ]


def _what(region: Region, event: SignalEvent, people: Mapping[int, User], notes: bool) -> Msg:
    template = WHAT.get(event.kind)
    if template is None:
        return Msg(SOMETHING, {"kind": event.kind})
    note = event.note or ""
    params: dict[str, Param] = {"who": _who(region, people.get(event.actor_id or 0))}
    if event.kind == "handover_refused" and not notes:
        return Msg(REFUSED_WITHOUT_NOTE, params)
    if event.kind in DESK_NOTES:
        desk = region.meldpunten.get(note)
        params["desk"] = desk.name if desk else note
    elif event.kind == "closed":
        params["outcome"] = Msg(OUTCOMES[note]) if note in OUTCOMES else note
    elif event.kind == "triaged":
        params["note"] = Msg(TRIAGE[note]) if note in TRIAGE else note
    elif event.kind not in HIDDEN_NOTES:
        params["note"] = note
    return Msg(template, params)


def _who(region: Region, person: User | None) -> Param:
    if person is None:
        return Msg(SOMEONE)
    desk = region.meldpunten.get(person.meldpunt_id or "")
    at: Param = desk.name if desk else Msg(ROLE_NAMES.get(person.role, person.role))
    return Msg(PERSON_AT, {"name": person.display_name, "at": at})
