"""Los op of schaal op: a regie or a signal goes up the gemeente's ladder. Whoever raises it chooses a reason
(and may add a note on the form); each rung gets a private card with Los op, Schaal verder op and Terug, and
a deadline in working hours; unanswered by then, it climbs by itself. A chase nobody answered (a plan line
past its date) raises one too, so that it no longer stops at the coordinators."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.accounts.invites import fresh_code
from bot.domain.access import DESK_STAFF, may_steer_regie, reads_notes
from bot.domain.jobs import EscalationDue
from bot.domain.ladder import Ladder, Rung, ladder_for
from bot.domain.pickup import bucket
from bot.domain.regie import ACTIVE, ARRIVED, EscalationStatus, Step
from bot.domain.regie_commands import OnRegie, RegieAction
from bot.domain.tallies import Counted, month
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.links import RegieLinks
from bot.signals.viewing import NOT_FOUND, Viewing
from flows.closing import BOTTLENECKS
from flows.engine import Answers, Completed, Outcome
from flows.regie import ESCALATION_REASONS, RAISE
from flows.text import N_, Msg, Param
from storage.models import Escalation, User
from storage.ports import Work

CARD = N_(
    "⬆ Opschaling {ref} · {gemeente}\nTrede {n}: {rung}\nOver: {subject} · reden: {reason}\n"
    "Opgeschaald door {by}\nBesluit graag vóór {deadline}. Daarna gaat het vanzelf een trede hoger."
)
BY_BOT = N_("de bot (een vraag die niemand beantwoordde)")
SOLVE, CLIMB, BACK = N_("✅ Los op"), N_("⬆ Schaal verder op"), N_("↩ Terug")
RAISED = N_("Opgeschaald: {ref} ({subject}) ligt bij {rung} ({names}), besluit vóór {deadline}.")
CLIMBED = N_("Opschaling {ref} ({subject}) ligt nu bij {rung} ({names}), besluit vóór {deadline}.")
LOWERED = N_("Opschaling {ref} ({subject}) is teruggelegd bij {rung} ({names}), besluit vóór {deadline}.")
AT_TOP = N_(
    "Opschaling {ref} ({gemeente}) ligt bij de hoogste trede, {rung}, en is na de termijn nog niet besloten."
)
ALREADY = N_("Voor {subject} loopt al opschaling {ref}, bij {rung}.")
NO_LADDER = N_("Voor deze gemeente staat geen ladder in het regiobestand.")
NOT_YOURS = N_("Opschalen kunnen de regisseur, de meldpunten waar het signaal heen ging en de coördinatoren.")
NOBODY = N_("niemand gevonden")
RAISE_AT = "raise"


@dataclass
class Climbing:
    links: RegieLinks
    runner: ConversationRunner
    viewing: Viewing

    def flows(self) -> list[FlowSpec]:
        """Raising an escalation."""
        return [FlowSpec(RAISE, self.on_raised)]

    def ladder(self, gemeente: str) -> Ladder | None:
        """The gemeente's ladder."""
        return ladder_for(self.links.region.ladders, gemeente)

    async def from_regie(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """⬆ Opschalen on the regie's card."""
        regie = await uow.regies.by_id(command.regie)
        return await self.typed(uow, user, regie.ref if regie is not None else "")

    async def typed(self, uow: Work, user: User, ref: str) -> Msg | str:
        """`/opschalen S-…` or `/opschalen R-…`: the reason is asked privately."""
        found = await self._check(uow, user, ref)
        if isinstance(found, Msg):
            return found
        subject, ladder = found
        seed: Answers = {"subject": subject, "rung": ladder.rung[0].name}
        return await self.runner.start_private(uow, user, RAISE.id, seed)

    async def _check(self, uow: Work, user: User, ref: str) -> tuple[str, Ladder] | Msg:
        """The subject's code and its gemeente's ladder, when this person may raise it and none is open."""
        code = ref.strip().upper()
        if code.startswith("R-"):
            regie = await uow.regies.by_ref(code)
            if regie is None or regie.status != ACTIVE or not may_steer_regie(user, regie):
                return Msg(NOT_YOURS)
            gemeente = regie.gemeente
        else:
            seen = await self.viewing.allowed(uow, user, code)
            if seen is None:
                return Msg(NOT_FOUND)
            if not reads_notes(user, seen[1]):
                return Msg(NOT_YOURS)
            code, gemeente = seen[0].ref, seen[0].gemeente
        ladder = self.ladder(gemeente)
        if ladder is None:
            return Msg(NO_LADDER)
        open_ = await uow.escalations.open_about(code)
        if open_ is not None:
            return Msg(ALREADY, {"subject": code, "ref": open_.ref, "rung": ladder.rung[open_.rung].name})
        return code, ladder

    async def on_raised(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The reason chosen: store the escalation and send the first rung its card."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        found = await self._check(uow, user, str(a.get("subject", "")))  # still allowed, and none open
        if isinstance(found, Msg):
            await self.links.say(uow, user, found)
            return
        await self.raise_(uow, user, found[0], str(a.get("reason", "other")), str(a.get("note", "")))

    async def stalled(self, uow: Work, subject: str) -> None:
        """A chase nobody answered: up the ladder (reason: it is stuck), unless an escalation is open."""
        if await uow.escalations.open_about(subject) is None:
            await self.raise_(uow, None, subject, "stalled")

    async def raise_(self, uow: Work, user: User | None, subject: str, reason: str, note: str = "") -> None:
        """Raise an escalation about a regie or signal (by its code): at the first rung that has anyone."""
        regie = await uow.regies.by_ref(subject) if subject.startswith("R-") else None
        signal = None if regie is not None else await uow.signals.by_ref(subject)
        gemeente = regie.gemeente if regie else signal.gemeente if signal else ""
        ladder = self.ladder(gemeente)
        if ladder is None or (regie is None and signal is None):
            return
        now = self.links.clock.now()
        escalation = await uow.escalations.add(
            Escalation(
                ref=await fresh_code("E-", uow.escalations.by_ref),
                gemeente=gemeente,
                subject=subject,
                regie_id=regie.id if regie else None,
                signal_id=signal.id if signal else None,
                reason=reason if reason in ESCALATION_REASONS else "other",
                note=note.strip(),
                rung=0,
                status=EscalationStatus.OPEN,
                version=0,
                raised_by=user.id if user else None,
                raised_at=now,
                deadline=now,
            )
        )
        await record(
            uow, self.links.clock, "escalation_raised", actor=user, subject=escalation.ref, about=subject
        )
        await self.count(uow, escalation, Counted.ESCALATED, escalation.reason)
        await self._at(uow, escalation, 0, RAISED)

    async def count(self, uow: Work, escalation: Escalation, kind: Counted, category: str) -> None:
        """An anonymous count for the regiobeeld, per gemeente and month."""
        when = month(self.links.clock.now(), self.links.region.info.timezone)
        await uow.tallies.bump(kind, escalation.gemeente, category, when)

    async def decided(self, uow: Work, escalation: Escalation, kind: Counted) -> None:
        """Counted per rung, with the working hours the rung took; a waiting list or funding it was about
        counts as a system bottleneck too."""
        await self.count(uow, escalation, kind, str(escalation.rung + 1))
        steps = await uow.escalations.steps_of(escalation.id)
        reached = max(s.at for s in steps if s.rung == escalation.rung and s.kind in ARRIVED)
        took = self.links.region.hours().hours_between(reached, self.links.clock.now())
        await self.count(uow, escalation, Counted.DECISION_HOURS, f"{escalation.rung + 1}:{bucket(took)}")
        if escalation.reason in BOTTLENECKS:
            await self.count(uow, escalation, Counted.BOTTLENECK, escalation.reason)

    async def climb(self, uow: Work, escalation: Escalation, actor: User | None) -> bool:
        """One rung up (by hand, or by itself); False at the top rung."""
        ladder = self.ladder(escalation.gemeente)
        if ladder is None or escalation.rung + 1 >= len(ladder.rung):
            return False
        await uow.escalations.step(
            escalation.id,
            escalation.rung + 1,
            self.links.clock.now(),
            actor.id if actor else None,
            Step.CLIMBED,
        )
        await self._at(uow, escalation, escalation.rung + 1, CLIMBED)
        return True

    async def lower(self, uow: Work, escalation: Escalation, rung: int) -> None:
        """Back to a lower rung (afschalen), which decides again: its cards, a new deadline."""
        await self._at(uow, escalation, rung, LOWERED)

    async def due(self, uow: Work, job: EscalationDue) -> None:
        """A rung's time ran out: climb by itself, or (at the top) tell whoever raised it and the coordinators."""
        escalation = await uow.escalations.by_id(job.escalation)
        if escalation is None or escalation.status != EscalationStatus.OPEN or escalation.rung != job.rung:
            return
        if self.links.clock.now() < escalation.deadline:
            return  # an earlier arrival's job: this arrival has a later deadline, and a job of its own
        if await self.climb(uow, escalation, None):
            return
        ladder = self.ladder(escalation.gemeente)
        rung = ladder.rung[escalation.rung].name if ladder else "-"
        params: dict[str, Param] = {
            "ref": escalation.ref,
            "gemeente": self.links.region.gemeente_name(escalation.gemeente),
            "rung": rung,
        }
        for person in await self.told(uow, escalation):
            await self.links.say(uow, person, Msg(AT_TOP, params))

    async def deciders(self, uow: Work, escalation: Escalation, rung: Rung) -> list[User]:
        """Who decides at a rung: the staff of its desk, or everyone with its role in the gemeente (managers of
        the raiser's own organisation when there are any)."""
        if rung.role is None:  # a desk's rung (a rung names a role or a desk)
            return [u for u in await uow.users.active_with_role(DESK_STAFF) if u.meldpunt_id == rung.desk]
        found = [u for u in await uow.users.active_with_role(rung.role) if escalation.gemeente in u.gemeenten]
        raiser = await uow.users.by_id(escalation.raised_by or 0)
        own = [u for u in found if raiser is not None and u.org == raiser.org]
        return own or found

    async def told(self, uow: Work, escalation: Escalation) -> list[User]:
        """Who hears how an escalation goes: whoever raised it, else the regisseur, else the coordinators."""
        raiser = await uow.users.by_id(escalation.raised_by or 0)
        regie = await uow.regies.by_id(escalation.regie_id) if escalation.regie_id else None
        regisseur = await uow.users.by_id(regie.regisseur_id or 0) if regie else None
        person = raiser if raiser is not None and raiser.active else regisseur
        if person is not None and person.active:
            return [person]
        return await uow.users.coordinators_of(escalation.gemeente)

    async def _at(self, uow: Work, escalation: Escalation, rung_no: int, msgid: str) -> None:
        """Put the escalation at a rung (skipping rungs with nobody), send its cards, plan its deadline."""
        ladder = self.ladder(escalation.gemeente)
        if ladder is None:
            return
        while True:
            rung = ladder.rung[rung_no]
            people = await self.deciders(uow, escalation, rung)
            if people or rung_no + 1 >= len(ladder.rung):
                break
            rung_no += 1
        hours = self.links.region.hours()
        deadline = hours.add_hours(self.links.clock.now(), rung.hours)
        await uow.escalations.change(escalation, rung=rung_no, deadline=deadline)
        # One job per arrival at a rung: afschalen may bring it back to a rung whose job has run.
        await uow.due.plan(EscalationDue(escalation.id, rung_no), deadline, suffix=f"v{escalation.version}")
        raiser = await uow.users.by_id(escalation.raised_by or 0)
        for person in people:
            await self._card(uow, person, escalation, rung, rung_no, raiser)
        names = ", ".join(p.display_name for p in people)
        for person in await self.told(uow, escalation):
            params: dict[str, Param] = {
                "ref": escalation.ref,
                "subject": escalation.subject,
                "rung": rung.name,
                "names": names or self.links.tr.render(person.locale, Msg(NOBODY)),
                "deadline": self.links.tr.when(person.locale, deadline),
            }
            await self.links.say(uow, person, Msg(msgid, params), self.links.opens(person, escalation.ref))

    async def _card(
        self, uow: Work, person: User, escalation: Escalation, rung: Rung, rung_no: int, raiser: User | None
    ) -> None:
        tr, loc = self.links.tr, person.locale
        params: dict[str, Param] = {
            "ref": escalation.ref,
            "gemeente": self.links.region.gemeente_name(escalation.gemeente),
            "n": rung_no + 1,
            "rung": rung.name,
            "subject": escalation.subject,
            "reason": Msg(ESCALATION_REASONS[escalation.reason]),
            "by": f"{raiser.display_name} ({raiser.org})" if raiser else tr.render(loc, Msg(BY_BOT)),
            "deadline": tr.when(loc, escalation.deadline),
        }
        b = self.links.button
        v = escalation.version
        buttons = [
            [
                b(person, SOLVE, RegieAction.SOLVE, escalation.id, v),
                b(person, CLIMB, RegieAction.CLIMB, escalation.id, v),
            ],
            [b(person, BACK, RegieAction.SEND_BACK, escalation.id, v)],
            *self.links.opens(person, escalation.ref),
        ]
        await self.links.say(uow, person, Msg(CARD, params), buttons)
