"""A choice among many (the people in a gemeente) is found by typing part of a name, not read from a long list.

With more options than fit on a phone's screen, the question shows none of them and asks for part of a name;
each typed text shows the options whose label contains it (case and accents ignored), those with a word that
begins with it first. An option that is
`pinned` (such as "Mijzelf") is always there, so choosing it is always on purpose, never an accident of order.
"""

from __future__ import annotations

import unicodedata

from flows.model import Option, Step
from flows.state import State
from flows.text import N_, Msg

SHOWN = 8  # buttons a search shows at most
QUERY_LIMIT = 60
SEARCH = "search"
ASK = N_("Typ een deel van de naam om te zoeken ({n} mogelijk).")
FOUND = N_('Gevonden met "{query}". Kies, of typ opnieuw om verder te zoeken.')
MORE = N_('{n} gevonden met "{query}"; hier de eerste {shown}. Typ meer van de naam om te zoeken.')
NOTHING = N_('Niets gevonden met "{query}". Typ een ander deel van de naam.')


def fold(text: str) -> str:
    """Lower case without accents: "Zoë" is found with "zoe"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def query(state: State) -> str | None:
    """The search typed on a long list of options, while one is going on."""
    return state.pending["query"] if state.pending and state.pending.get("phase") == SEARCH else None


def visible(step: Step, state: State, options: tuple[Option, ...]) -> tuple[tuple[Option, ...], Msg | None]:
    """The options to show as buttons now, and the line that says why these: all of them when they fit,
    else those the typed text finds."""
    q = query(state)
    if not step.searchable or (q is None and sum(not o.pinned for o in options) <= SHOWN):
        return options, None
    pinned = tuple(o for o in options if o.pinned)
    if q is None:
        return pinned, Msg(ASK, {"n": len(options) - len(pinned)})
    wanted = fold(q)
    found = [o for o in options if not o.pinned and wanted in fold(o.label)]
    # Names that begin with what was typed come first: "han" is Hanna before Chantal.
    found.sort(key=lambda o: not any(w.startswith(wanted) for w in fold(o.label).replace("(", " ").split()))
    if not found:
        return pinned, Msg(NOTHING, {"query": q})
    line = Msg(FOUND, {"query": q})
    if len(found) > SHOWN:
        line = Msg(MORE, {"n": len(found), "query": q, "shown": SHOWN})
    return (*found[:SHOWN], *pinned), line


def with_query(state: State, text: str) -> State:
    """The state with this search typed (the caller bumps its version, so older buttons expire)."""
    state.pending = {"phase": SEARCH, "query": text[:QUERY_LIMIT]}
    return state
