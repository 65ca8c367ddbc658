"""Fast re-entry: a worry at a check-in becomes a signal at the agreed desk, linked to the history."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.lifecycle import Status
from bot.domain.tallies import Counted
from bot.signals.desk import DeskService
from bot.signals.escalation import Escalator
from bot.signals.filing import categories_of, count_signal, month_of, new_ref, new_signal
from flows.engine import Answers
from storage.models import Agreement, Signal, SignalEvent, SignalRoute, User
from storage.ports import Work

RULE = "waakvlam"


@dataclass
class ReEntry:
    desk: DeskService
    escalator: Escalator

    async def file(self, uow: Work, filer: User, agreement: Agreement, answers: Answers) -> Signal:
        """Store the signal with the agreement's resident and desk, without a new intake, and announce it."""
        clock, region = self.desk.clock, self.desk.region
        categories = categories_of(answers)
        earlier = await uow.signals.by_id(agreement.signal_id) if agreement.signal_id else None
        now = clock.now()
        signal = new_signal(
            await new_ref(uow),
            filer,
            now,
            gemeente=agreement.gemeente,
            categories=categories,
            resident_ref=agreement.resident_ref,
            resident_key=agreement.resident_key,
            area=earlier.area if earlier else "",
            description=str(answers.get("worry", "")),
            care_involved=earlier.care_involved if earlier else "unknown",
            care_orgs=earlier.care_orgs if earlier else None,
            resident_knows=earlier.resident_knows if earlier else "unknown",
            elsewhere=earlier.elsewhere if earlier else "unknown",
            joint_triage=False,
            agreement_id=agreement.id,
        )
        route = SignalRoute(meldpunt_id=agreement.return_desk, rule_ids=[RULE])
        event = SignalEvent(
            at=now, actor_id=filer.id, kind="relapse", to_status=Status.NEW, note=agreement.ref
        )
        await uow.signals.add(signal, [route], event)
        await record(
            uow,
            clock,
            "signal_filed",
            actor=filer,
            subject=signal.ref,
            desks=[agreement.return_desk],
            relapse=agreement.ref,
        )
        month = month_of(clock, region)
        await count_signal(uow, month, signal, filer)
        await uow.tallies.bump(Counted.RELAPSE, agreement.gemeente, "", month)
        desk = region.meldpunten[agreement.return_desk]
        await self.desk.link_regie(uow, signal)  # a relapse reaches the resident's regisseur at once
        await self.desk.announce_one(uow, signal, desk, route)
        await self.escalator.plan(uow, signal, [desk.id])
        return signal
