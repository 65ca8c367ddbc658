"""Chasing a plan line past its date: on the day at 09:00 the one named is asked "Loopt dit nog?" (done, a
week more, or it does not work out) — an organisation nobody of which accepted it is asked again who takes
it; two working days later, still unanswered, the regisseur and the gemeente's coordinators hear it (and the
organisation's team leads), and the regie goes up the ladder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.domain.access import MANAGER
from bot.domain.calendar import working_days_later
from bot.domain.jobs import ChasePlanLine
from bot.domain.regie import ACTIVE, OPEN_LINE
from bot.domain.regie_commands import RegieAction
from bot.regie.ladder import Climbing
from bot.regie.links import RegieLinks
from bot.regie.named import CHASE_ORG, Named, line_params
from flows.text import N_, Msg
from storage.models import PlanLine, Regie, User
from storage.ports import Work

CHASE = N_("Planregel {seq} van regie {regie} moest klaar zijn vóór {due}. Loopt dit nog?")
DONE, RUNNING, NOT_DONE = N_("✅ Gedaan"), N_("⏳ Loopt nog (een week)"), N_("✖ Lukt niet")
SILENT = N_(
    "Planregel {seq} van regie {regie} ({gemeente}) bij {name} is over de datum ({due}) en de vraag of het "
    "nog loopt is niet beantwoord."
)
CHASE_AT = time(9, 0)


@dataclass
class LineChase:
    links: RegieLinks
    climbing: Climbing  # a chase nobody answers goes up the gemeente's ladder
    named: Named

    async def plan(self, uow: Work, line: PlanLine) -> None:
        """Chase the line on its date at 09:00 (tier 1), and two working days later (tier 2)."""
        hours = self.links.region.hours()
        await uow.due.plan(ChasePlanLine(line.id, line.due_on, 1), hours.at(line.due_on, CHASE_AT))
        later = working_days_later(line.due_on, self.links.region.escalation.idle_answer_days)
        await uow.due.plan(ChasePlanLine(line.id, line.due_on, 2), hours.at(later, CHASE_AT))

    async def run(self, uow: Work, job: ChasePlanLine) -> None:
        """ "Loopt dit nog?" to the one named; unanswered, the regisseur and the coordinators hear it, and the
        regie goes up the ladder (stalled)."""
        line = await uow.regies.line(job.line)
        regie = await uow.regies.by_id(line.regie_id) if line is not None else None
        if line is None or regie is None or regie.status != ACTIVE:
            return
        if line.status not in OPEN_LINE or line.due_on != job.due_on:
            return  # answered, or given a later date, meanwhile
        if line.owner_id is None:
            await self._organisation(uow, job, regie, line)
            return
        owner = await uow.users.by_id(line.owner_id)
        if owner is None:
            return
        if job.tier == 1 and owner.active:
            b = self.links.button
            buttons = [
                [b(owner, DONE, RegieAction.LINE_DONE, line.id, line.version)],
                [
                    b(owner, RUNNING, RegieAction.LINE_RUNNING, line.id, line.version),
                    b(owner, NOT_DONE, RegieAction.LINE_NOT_DONE, line.id, line.version),
                ],
                *self.links.opens(owner, regie.ref),
            ]
            await self.links.say(uow, owner, Msg(CHASE, line_params(self.links, owner, regie, line)), buttons)
            return
        await self._silent(uow, regie, line, owner.display_name, [])

    async def _organisation(self, uow: Work, job: ChasePlanLine, regie: Regie, line: PlanLine) -> None:
        """An organisation's line nobody of it accepted: asked again who takes it; then the organisation's
        team leads in the gemeente hear it with the regisseur and the coordinators."""
        if job.tier == 1:
            regisseur = await uow.users.by_id(regie.regisseur_id or 0)
            if regisseur is not None:
                await self.named.ask(uow, regisseur, regie, line, CHASE_ORG)
            return
        leads = [
            p
            for p in await uow.users.active_with_role(MANAGER)
            if p.org == line.org and regie.gemeente in p.gemeenten
        ]
        await self._silent(uow, regie, line, line.org or "?", leads)

    async def _silent(self, uow: Work, regie: Regie, line: PlanLine, name: str, more: list[User]) -> None:
        """Nobody answered: the regisseur, the coordinators (and `more`) hear it; the regie climbs."""
        people = await uow.users.coordinators_of(regie.gemeente)
        regisseur = await uow.users.by_id(regie.regisseur_id or 0)
        if regisseur is not None and regisseur.active and regisseur.id not in {p.id for p in people}:
            people.insert(0, regisseur)
        for person in [*people, *more]:
            params = line_params(self.links, person, regie, line) | {
                "name": name,
                "gemeente": self.links.region.gemeente_name(regie.gemeente),
            }
            await self.links.say(uow, person, Msg(SILENT, params))
        await self.climbing.stalled(uow, regie.ref)
