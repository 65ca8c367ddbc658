"""The right to know and to be forgotten: everything stored about one resident reference, and erasing it."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.accounts.audit import record
from bot.accounts.copies import Copies, erase_copies, find_copies, typed_words
from bot.domain.clock import Clock
from storage.models import Agreement, Regie, Signal, SignalEvent
from storage.ports import Work

# Queue the removal of the messages that show these signals (bot.accounts.takedown.TakeDown).
TakeDownPort = Callable[[Work, list[int]], Awaitable[int]]


def resident_key(index_key: bytes, ref: str) -> str:
    """A keyed hash of a resident reference, the same however it was typed (case, spaces, dashes)."""
    normalised = re.sub(r"[\s\-_./]+", "", ref).upper()
    return hmac.new(index_key, normalised.encode(), hashlib.sha256).hexdigest()


def _subject(key: str) -> str:
    # The audit log names a resident by a short prefix of the hash, never by the reference itself.
    return f"resident:{key[:12]}"


@dataclass(frozen=True)
class Stored:
    """What is stored under one resident reference: its signals with their history, its agreements and
    regies, and the copies of what was typed still in the bot's own records (until their purge)."""

    key: str
    signals: list[Signal]
    events: dict[int, list[SignalEvent]]  # per signal id
    agreements: list[Agreement]
    regies: list[Regie]
    copies: Copies


async def stored(uow: Work, index_key: bytes, ref: str) -> Stored:
    """Gather what is stored under this reference, once, for an export or an erasure."""
    key = resident_key(index_key, ref)
    signals = await uow.signals.by_resident(key)
    events = {s.id: await uow.signals.events_of(s.id) for s in signals}
    held = await uow.agreements.by_resident(key)
    flat = [e for es in events.values() for e in es]
    copies = await find_copies(uow, typed_words(signals, flat, held))
    return Stored(key, signals, events, held, await uow.regies.by_resident(key), copies)


async def export_person(uow: Work, clock: Clock, index_key: bytes, ref: str, actor: str) -> dict[str, Any]:
    """Collect every signal, route and history event stored under this reference."""
    found = await stored(uow, index_key, ref)
    out: list[dict[str, Any]] = []
    for s in found.signals:
        routes = await uow.signals.routes_of(s.id)
        events = found.events[s.id]
        out.append(
            {
                "ref": s.ref,
                "created_at": s.created_at.isoformat(),
                "status": s.status,
                "closed_at": s.closed_at.isoformat() if s.closed_at else None,
                "gemeente": s.gemeente,
                "categories": s.categories,
                "resident_ref": s.resident_ref,
                "area": s.area,
                "description": s.description,
                "care_involved": s.care_involved,
                "care_orgs": s.care_orgs,
                "resident_knows": s.resident_knows,
                "elsewhere": s.elsewhere,
                "desks": [r.meldpunt_id for r in routes],
                "history": [{"at": e.at.isoformat(), "kind": e.kind, "note": e.note} for e in events],
                "overleggen": await _overleggen(uow, s.id),
            }
        )
    agreements = [await _agreement(uow, a) for a in found.agreements]
    regies = [await _regie(uow, r) for r in found.regies]
    await record(
        uow,
        clock,
        "person_exported",
        subject=_subject(found.key),
        by=actor,
        signals=len(out),
        agreements=len(agreements),
    )
    return {
        "resident_ref": ref,
        "exported_at": clock.now().isoformat(),
        "signals": out,
        "agreements": agreements,
        "regies": regies,
        # What still travels with the bot's own records until their seven-day purge.
        "copies": found.copies.export(),
    }


async def _agreement(uow: Work, a: Agreement) -> dict[str, Any]:
    checkins = await uow.agreements.checkins_of(a.id)
    events = await uow.agreements.events_of(a.id)
    return {
        "ref": a.ref,
        "status": a.status,
        "gemeente": a.gemeente,
        "resident_ref": a.resident_ref,
        "rhythm": a.rhythm.code(),
        "end_on": a.end_on,
        "warning_categories": a.warning_categories,
        "warning_signs": a.warning_signs,
        "return_desk": a.return_desk,
        "checkins": [
            {"due_at": c.due_at.isoformat(), "status": c.status, "answer": c.answer} for c in checkins
        ],
        "history": [{"at": e.at.isoformat(), "kind": e.kind, "note": e.note} for e in events],
    }


async def _regie(uow: Work, r: Regie) -> dict[str, Any]:
    events = await uow.regies.events_of(r.id)
    return {
        "ref": r.ref,
        "status": r.status,
        "gemeente": r.gemeente,
        "regisseur_id": r.regisseur_id,
        "created_at": r.created_at.isoformat(),
        "history": [{"at": e.at.isoformat(), "kind": e.kind, "note": e.note} for e in events],
    }


async def erase_person(
    uow: Work, clock: Clock, index_key: bytes, ref: str, actor: str, take_down: TakeDownPort
) -> tuple[int, int]:
    """Delete every signal, agreement and regie stored under this reference, with their history, and take the
    messages that showed them out of the chats; the anonymous counts stay."""
    found = await stored(uow, index_key, ref)
    signals, held, regies = found.signals, found.agreements, found.regies
    await take_down(uow, [s.id for s in signals])
    codes = [*(s.ref for s in signals), *(a.ref for a in held), *(r.ref for r in regies)]
    await uow.regies.forget_reminders(codes)  # reminders set on what goes
    await uow.regies.delete([r.id for r in regies])
    erased = await uow.signals.delete([s.id for s in signals])
    agreements = await uow.agreements.delete([a.id for a in held])
    rows = await erase_copies(uow, found.copies, clock.now())
    await record(
        uow,
        clock,
        "person_erased",
        subject=_subject(found.key),
        by=actor,
        signals=erased,
        agreements=agreements,
        copies=rows,
    )
    return erased, agreements


async def _overleggen(uow: Work, signal_id: int) -> list[dict[str, Any]]:
    """A signal's routeeroverleggen: who took part, what each said and when (an objection's reason too)."""
    out = []
    for o in await uow.samenloop.of_signal(signal_id):
        parts = [
            {
                "desk": p.meldpunt_id,
                "in_view": p.in_view,
                "vote": p.vote,
                "note": p.note,
                "at": p.at and p.at.isoformat(),
            }
            for p in await uow.samenloop.parts(o.id)
        ]
        out.append({"ref": o.ref, "status": o.status, "route": o.route, "lead": o.lead, "parts": parts})
    return out
