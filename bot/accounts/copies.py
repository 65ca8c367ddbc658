"""Copies of what a person typed about a resident outside the signal itself: the raw updates in the inbox,
the messages in the outbox and conversations still in progress. An AVG export shows them; an erasure takes
them out, so nothing of the resident stays until the seven-day purge."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from storage.models import Agreement, Signal, SignalEvent
from storage.ports import Work

# History events whose note is words a person typed (the others hold codes the system made).
TYPED_NOTES = frozenset(
    {"info_requested", "info_answered", "handover_note", "handover_refused", "closed_how", "closing_note"}
)
# The personal-data guard replaces what it found by a word in brackets ("[telefoon]"): what was typed
# holds the rest of the words around it.
PLACEHOLDER = re.compile(r"\[[^\[\]]{1,30}\]")
SHORTEST = 4  # shorter pieces ("ja", a house number) would match messages about anyone


def typed_words(
    signals: Sequence[Signal], events: Iterable[SignalEvent], agreements: Sequence[Agreement]
) -> list[tuple[str, ...]]:
    """What was typed about the resident, each as the pieces that must all appear in a copy of it."""
    values: list[str | None] = []
    for s in signals:
        values += [s.resident_ref, s.area, s.description, s.care_orgs]
    values += [e.note for e in events if e.kind in TYPED_NOTES]
    for a in agreements:
        values += [a.resident_ref, a.warning_signs]
    words = {_pieces(v) for v in values if v}
    return sorted(w for w in words if w)


def _pieces(value: str) -> tuple[str, ...]:
    return tuple(p for p in (_fold(x) for x in PLACEHOLDER.split(value)) if len(p) >= SHORTEST)


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def holds(value: Any, words: Sequence[tuple[str, ...]]) -> bool:
    """Whether a stored value (an update, a message, a conversation) holds one of these typed words."""
    text = _fold("\n".join(_strings(value)))
    return any(all(piece in text for piece in pieces) for pieces in words)


@dataclass
class Copies:
    """The rows that hold what was typed about one resident."""

    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    messages: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    conversations: list[tuple[int, int, dict[str, Any]]] = field(default_factory=list)

    def export(self) -> dict[str, list[Any]]:
        """The copies as an export shows them: what was received, sent and is being typed."""
        return {
            "received_updates": [payload for _, payload in self.updates],
            "sent_messages": [payload.get("text", "") for _, payload in self.messages],
            "conversations_in_progress": [state for _, _, state in self.conversations],
        }


async def find_copies(uow: Work, words: Sequence[tuple[str, ...]]) -> Copies:
    """Read the inbox, the outbox and the conversations for rows that hold these words."""
    if not words:
        return Copies()
    return Copies(
        [(u, p) for u, p in await uow.inbox.payloads() if holds(p, words)],
        [(i, p) for i, p in await uow.outbox.payloads() if holds(p, words)],
        [(c, u, s) for c, u, s in await uow.conversations.states() if holds(s, words)],
    )


async def erase_copies(uow: Work, copies: Copies, now: datetime) -> int:
    """Take what was typed out of every copy; how many rows changed."""
    await uow.inbox.redact([u for u, _ in copies.updates], now)
    await uow.outbox.redact([i for i, _ in copies.messages])
    for chat_id, user_id, _ in copies.conversations:
        await uow.conversations.drop(chat_id, user_id)
    return len(copies.updates) + len(copies.messages) + len(copies.conversations)
