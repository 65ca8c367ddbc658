"""File a confirmed intake as a signal: store it, route it, count it anonymously."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from bot.accounts.audit import record
from bot.accounts.invites import fresh_code
from bot.accounts.persons import resident_key
from bot.domain.clock import Clock
from bot.domain.lifecycle import Status
from bot.domain.region import Region
from bot.domain.routing import Decision, Facts, route
from bot.domain.tallies import Counted, month
from flows.engine import KEPT, Answers
from storage.models import Signal, SignalEvent, SignalRoute, User
from storage.ports import Work

NEW = Status.NEW
# Tell the desks of a new signal (bot.signals.desk.DeskService.announce): sets each route's summary.
Announce = Callable[[Work, Signal, Decision, list[SignalRoute]], Awaitable[None]]


@dataclass(frozen=True)
class Filed:
    signal: Signal
    decision: Decision


def _text(answers: Answers, key: str) -> str:
    value = answers.get(key, "")
    return value if isinstance(value, str) else ", ".join(value)


def categories_of(answers: Answers) -> list[str]:
    """The categories a person chose (one, or several)."""
    chosen = answers.get("categories", [])
    return [chosen] if isinstance(chosen, str) else list(chosen)


def new_signal(
    ref: str,
    filer: User,
    now: datetime,
    *,
    gemeente: str,
    categories: list[str],
    resident_ref: str,
    resident_key: str,
    area: str,
    description: str,
    care_involved: str,
    care_orgs: str | None,
    resident_knows: str,
    elsewhere: str,
    joint_triage: bool,
    agreement_id: int | None = None,
) -> Signal:
    """A new signal, not yet picked up: the one way a signal comes into being (filed or a relapse)."""
    return Signal(
        ref=ref,
        filer_id=filer.id,
        gemeente=gemeente,
        categories=categories,
        resident_ref=resident_ref,
        resident_key=resident_key,
        area=area,
        description=description,
        care_involved=care_involved,
        care_orgs=care_orgs,
        resident_knows=resident_knows,
        elsewhere=elsewhere,
        joint_triage=joint_triage,
        agreement_id=agreement_id,
        status=Status.NEW,
        version=0,
        created_at=now,
    )


def month_of(clock: Clock, region: Region) -> str:
    """The month a count made now falls in."""
    return month(clock.now(), region.info.timezone)


async def file_signal(
    uow: Work,
    region: Region,
    clock: Clock,
    filer: User,
    answers: Answers,
    index_key: bytes,
    announce: Announce,
) -> Filed:
    """Store the signal with a first history event, announce it to its desks, store its routes (each
    with the summary it points at, so written once); audit it and bump the regional counts."""
    categories = categories_of(answers)
    gemeente = _text(answers, "gemeente")
    decision = route(region, Facts(gemeente, frozenset(categories), _text(answers, "care_involved") or None))
    ref = await new_ref(uow)
    now = clock.now()
    signal = new_signal(
        ref,
        filer,
        now,
        gemeente=gemeente,
        categories=categories,
        resident_ref=_text(answers, "resident_ref"),
        resident_key=resident_key(index_key, _text(answers, "resident_ref")),
        area=_text(answers, "area"),
        description=_text(answers, "description"),
        care_involved=_text(answers, "care_involved"),
        care_orgs=_text(answers, "care_orgs") or None,
        resident_knows=_text(answers, "resident_knows"),
        elsewhere=_text(answers, "elsewhere") or "unknown",
        joint_triage=decision.joint_triage,
    )
    event = SignalEvent(at=now, actor_id=filer.id, kind="filed", to_status=NEW, note=None)
    await uow.signals.add(signal, [], event)
    routes = [
        SignalRoute(signal_id=signal.id, meldpunt_id=d.meldpunt.id, rule_ids=[r.id for r in d.rules])
        for d in decision.desks
    ]
    await announce(uow, signal, decision, routes)
    await uow.signals.add_routes(routes)
    await record(uow, clock, "signal_filed", actor=filer, subject=ref, desks=[r.meldpunt_id for r in routes])
    kept = {key.removesuffix(KEPT): reason for key, reason in answers.items() if key.endswith(KEPT)}
    for field, reason in kept.items():
        # The reason is the filer's own words, so it goes in the (encrypted) history, not the audit detail.
        note = f"{field}: {reason}"
        await uow.signals.add_event(
            SignalEvent(signal_id=signal.id, at=now, actor_id=filer.id, kind="pii_kept", note=note)
        )
        await record(uow, clock, "pii_kept", actor=filer, subject=ref, field=field)
    await count_signal(uow, month_of(clock, region), signal, filer)
    return Filed(signal, decision)


async def count_signal(uow: Work, month: str, signal: Signal, filer: User) -> None:
    """Count a new signal, filed or a relapse, for the regiobeeld: one definition for every table."""
    for category in signal.categories:
        await uow.tallies.bump(Counted.SIGNAL, signal.gemeente, category, month)
    # Who files, by kind of organisation only (the regiobeeld's "Wie meldt"): once per signal.
    await uow.tallies.bump(Counted.FILED_BY, signal.gemeente, filer.org_kind or "anders", month)
    if signal.elsewhere == "yes":  # the regiobeeld's signals about more than one gemeente
        await uow.tallies.bump(Counted.ELSEWHERE, signal.gemeente, "", month)


async def count_acute(uow: Work, region: Region, clock: Clock, gemeente: str) -> None:
    """Count an acute situation for the regional picture; nothing about the resident is kept."""
    await uow.tallies.bump(Counted.ACUTE, gemeente, "", month_of(clock, region))


async def new_ref(uow: Work) -> str:
    """A new signal reference nobody has: S- and six characters that read aloud well."""
    return await fresh_code("S-", uow.signals.by_ref)
