"""Chasing a plan line past its date: on the day at 09:00 the one named is asked "Loopt dit nog?" (done, a
week more, or it does not work out); two working days later, still unanswered, the regisseur and the
gemeente's coordinators hear it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from bot.domain.calendar import working_days_later
from bot.domain.jobs import ChasePlanLine
from bot.domain.regie import ACTIVE, OPEN_LINE
from bot.domain.regie_commands import RegieAction
from bot.regie.ladder import Climbing
from bot.regie.links import RegieLinks
from flows.text import N_, Msg, Param
from storage.models import PlanLine, Regie, User
from storage.ports import Work

CHASE = N_("Planregel {seq} van regie {regie} moest klaar zijn vóór {due}. Loopt dit nog?")
DONE, RUNNING, NOT_DONE = N_("✅ Gedaan"), N_("⏳ Loopt nog (een week)"), N_("✖ Lukt niet")
SILENT = N_(
    "Planregel {seq} van regie {regie} ({gemeente}) bij {name} is over de datum ({due}) en de vraag of het "
    "nog loopt is niet beantwoord."
)
CHASE_AT = time(9, 0)


def line_params(links: RegieLinks, user: User, regie: Regie, line: PlanLine) -> dict[str, Param]:
    """What every message about a plan line names: its number, its regie and its date."""
    return {"seq": line.seq, "regie": regie.ref, "due": links.tr.day(user.locale, line.due_on)}


@dataclass
class LineChase:
    links: RegieLinks
    climbing: Climbing  # a chase nobody answers goes up the gemeente's ladder

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
        people = await uow.users.coordinators_of(regie.gemeente)
        regisseur = await uow.users.by_id(regie.regisseur_id or 0)
        if regisseur is not None and regisseur.active and regisseur.id not in {p.id for p in people}:
            people.insert(0, regisseur)
        for person in people:
            params = line_params(self.links, person, regie, line) | {
                "name": owner.display_name,
                "gemeente": self.links.region.gemeente_name(regie.gemeente),
            }
            await self.links.say(uow, person, Msg(SILENT, params))
        await self.climbing.stalled(uow, regie.ref)
