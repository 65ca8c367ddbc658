"""The regisseur's plan: lines of who does what by when. The one named accepts a line privately; a line past
its date is chased ("Loopt dit nog?"), and when that stays unanswered the regisseur and the coordinators
hear it. The regisseur (or the one named, when chased) says done or not done, with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.accounts.audit import record
from bot.accounts.professionals import people_and_organisations
from bot.domain.access import may_steer_regie
from bot.domain.calendar import working_day_from
from bot.domain.regie import ACTIVE, OPEN_LINE, LineStatus
from bot.domain.regie_commands import OnPlanLine, OnRegie, RegieAction
from bot.domain.tallies import Counted, month
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.chasing import LineChase
from bot.regie.links import RegieLinks
from bot.regie.named import Named, line_params, may_take
from flows.closing import BOTTLENECKS
from flows.engine import Answers, Completed, Context, Outcome
from flows.regie import LINE_NOT_DONE, LINE_REASONS, PLAN_LINE
from flows.state import number
from flows.text import N_, Msg, Param
from storage.models import PlanLine, Regie, User
from storage.ports import Work

LINE_ADDED = N_("Planregel {seq} staat in regie {regie}; {name} wordt gevraagd hem te accepteren.")
LINE_ADDED_SELF = N_("Planregel {seq} staat in regie {regie}, bij u, klaar vóór {due}.")
LINE_ACCEPTED = N_("U heeft planregel {seq} van regie {regie} aangenomen, klaar vóór {due}.")
TOLD_LINE_ACCEPTED = N_("{name} heeft planregel {seq} van regie {regie} aangenomen.")
LINE_DECLINED = N_("U neemt planregel {seq} van regie {regie} niet aan; de regisseur hoort het.")
TOLD_LINE_DECLINED = N_(
    "{name} neemt planregel {seq} van regie {regie} niet aan. Pas het plan aan via /regie."
)
TOLD_ORG_DECLINED = N_(
    "{name} neemt planregel {seq} van regie {regie} niet aan, namens {org}. Pas het plan aan via /regie."
)
MARKED_DONE = N_("Planregel {seq} van regie {regie}: gedaan.")
TOLD_DONE = N_("{name}: planregel {seq} van regie {regie} is gedaan.")
MOVED = N_("Planregel {seq} van regie {regie} loopt nog; nieuwe datum: {due}.")
TOLD_MOVED = N_("{name}: planregel {seq} van regie {regie} loopt nog; nieuwe datum: {due}.")
MARKED_NOT_DONE = N_("Planregel {seq} van regie {regie} lukt niet: {reason}.")
TOLD_NOT_DONE = N_(
    "{name}: planregel {seq} van regie {regie} lukt niet: {reason}. Pas het plan aan via /regie, of schaal op."
)
GONE = N_("Deze planregel staat niet meer open.")
NOT_STEERING = N_("Het plan van een regie stellen de regisseur en de coördinatoren op.")
CARD = N_("📋 {regie}")


@dataclass
class RegiePlan:
    links: RegieLinks
    runner: ConversationRunner
    chasing: LineChase
    named: Named

    def flows(self) -> list[FlowSpec]:
        """A new plan line, and why one did not work out."""
        return [FlowSpec(PLAN_LINE, self.on_line, self.context), FlowSpec(LINE_NOT_DONE, self.on_not_done)]

    async def add(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """➕ Planregel on the regie's card: a short private flow."""
        regie = await uow.regies.by_id(command.regie)
        if regie is None or regie.status != ACTIVE or not may_steer_regie(user, regie):
            return Msg(NOT_STEERING)
        seed: Answers = {"regie": regie.ref, "regie_id": str(regie.id)}
        return await self.runner.start_private(uow, user, PLAN_LINE.id, seed)

    async def context(self, uow: Work, user: User, answers: Answers) -> Context:
        """Whom a line may name: the professionals of the regie's gemeente, and its organisations."""
        regie = await uow.regies.by_id(number(answers, "regie_id"))
        if regie is None:
            return {"people": ()}
        return {"people": await people_and_organisations(self.links.tr, uow, user, regie.gemeente)}

    async def on_line(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Store the line and ask the one named, or the organisation's people (a line for oneself is taken on at
        once)."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        regie = await uow.regies.by_id(number(a, "regie_id"))
        if regie is None or regie.status != ACTIVE or not may_steer_regie(user, regie):
            await self.links.say(uow, user, Msg(NOT_STEERING))
            return
        owner, org = await self.named.resolve(uow, str(a.get("owner", "")), regie.gemeente)
        if owner is None and org is None:
            await self.links.say(uow, user, Msg(GONE))
            return
        now = self.links.clock.now()
        due = working_day_from(self._today() + timedelta(weeks=number(a, "weeks")))
        mine = owner is not None and owner.id == user.id
        line = await uow.regies.add_line(
            PlanLine(
                regie_id=regie.id,
                owner_id=owner.id if owner is not None else None,
                org=org,
                what=str(a.get("what", "")).strip(),
                due_on=due,
                status=LineStatus.ACCEPTED if mine else LineStatus.ASKED,
                version=0,
                created_at=now,
            )
        )
        await uow.regies.event(regie.id, now, user.id, "line_added", str(line.seq))
        await record(uow, self.links.clock, "plan_line_added", actor=user, subject=regie.ref, line=line.seq)
        await self.chasing.plan(uow, line)
        params = line_params(self.links, user, regie, line) | {
            "name": owner.display_name if owner else org or ""
        }
        if mine:
            await self.links.say(uow, user, Msg(LINE_ADDED_SELF, params))
            return
        await self.links.say(uow, user, Msg(LINE_ADDED, params))
        await self.named.ask(uow, user, regie, line)

    async def accept(self, uow: Work, user: User, command: OnPlanLine) -> Msg | str:
        """The one named (or the first of the organisation named) takes the line on; the regisseur hears it."""
        found = await self._named(uow, user, command, {LineStatus.ASKED})
        if found is None:
            return Msg(GONE)
        regie, line = found
        for_org = line.owner_id is None
        await uow.regies.change_line(line, status=LineStatus.ACCEPTED, owner_id=user.id)
        if for_org:
            await self.named.answered(uow, user, regie, line, accepted=True)
        text = self.links.tr.render(
            user.locale, Msg(LINE_ACCEPTED, line_params(self.links, user, regie, line))
        )
        await self.links.messenger.edit(
            uow.outbox, user.telegram_id, command.message_id, text, self.links.opens(user, regie.ref)
        )
        await self._tell_regisseur(uow, user, regie, line, TOLD_LINE_ACCEPTED)
        return ""

    async def decline(self, uow: Work, user: User, command: OnPlanLine) -> Msg | str:
        """The one named does not take the line on (one of an organisation, for it); the regisseur adjusts the
        plan."""
        found = await self._named(uow, user, command, {LineStatus.ASKED})
        if found is None:
            return Msg(GONE)
        regie, line = found
        await uow.regies.change_line(line, status=LineStatus.DECLINED, closed_at=self.links.clock.now())
        if line.owner_id is None:
            await self.named.answered(uow, user, regie, line, accepted=False)
            await self._tell_regisseur(uow, user, regie, line, TOLD_ORG_DECLINED, org=line.org or "")
        text = self.links.tr.render(
            user.locale, Msg(LINE_DECLINED, line_params(self.links, user, regie, line))
        )
        await self.links.messenger.edit(uow.outbox, user.telegram_id, command.message_id, text, [])
        if line.owner_id is not None:
            await self._tell_regisseur(uow, user, regie, line, TOLD_LINE_DECLINED)
        return ""

    async def done(self, uow: Work, user: User, command: OnPlanLine) -> Msg | str:
        """✅ Gedaan, by the one named or the regisseur."""
        found = await self._named(uow, user, command, OPEN_LINE, steer=True)
        if found is None:
            return Msg(GONE)
        regie, line = found
        await uow.regies.change_line(line, status=LineStatus.DONE, closed_at=self.links.clock.now())
        await uow.regies.event(regie.id, self.links.clock.now(), user.id, "line_done", str(line.seq))
        await self._count(uow, regie, "on_time" if self._today() <= line.due_on else "late")
        await self._settled(
            uow, user, command, regie, Msg(MARKED_DONE, line_params(self.links, user, regie, line))
        )
        await self._tell_regisseur(uow, user, regie, line, TOLD_DONE)
        return ""

    async def running(self, uow: Work, user: User, command: OnPlanLine) -> Msg | str:
        """⏳ Loopt nog: a week more, chased again then."""
        found = await self._named(uow, user, command, OPEN_LINE)
        if found is None:
            return Msg(GONE)
        regie, line = found
        await uow.regies.change_line(
            line, due_on=working_day_from(max(line.due_on, self._today()) + timedelta(weeks=1))
        )
        await self.chasing.plan(uow, line)
        await self._settled(uow, user, command, regie, Msg(MOVED, line_params(self.links, user, regie, line)))
        await self._tell_regisseur(uow, user, regie, line, TOLD_MOVED)
        return ""

    async def not_done(self, uow: Work, user: User, command: OnPlanLine) -> Msg | str:
        """✖ Lukt niet: the reason is chosen next, privately."""
        found = await self._named(uow, user, command, OPEN_LINE, steer=True)
        if found is None:
            return Msg(GONE)
        _, line = found
        seed: Answers = {"line": str(line.id), "version": str(line.version), "seq": str(line.seq)}
        return await self.runner.start_private(uow, user, LINE_NOT_DONE.id, seed)

    async def on_not_done(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The reason chosen: the line is closed as not done; the regisseur hears why."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        reason = str(a.get("reason", ""))
        line = await uow.regies.line(number(a, "line"))
        regie = await uow.regies.by_id(line.regie_id) if line is not None else None
        allowed = line is not None and regie is not None and self._may(user, regie, line, steer=True)
        if not allowed or line is None or regie is None or line.version != number(a, "version"):
            await self.links.say(uow, user, Msg(GONE))
            return
        now = self.links.clock.now()
        await uow.regies.change_line(line, status=LineStatus.NOT_DONE, reason=reason, closed_at=now)
        await uow.regies.event(regie.id, now, user.id, "line_not_done", reason)
        await self._count(uow, regie, "not_done")
        if reason in BOTTLENECKS:  # a waiting list, no fitting care, funding: counted for the bestuurders
            await self._count(uow, regie, reason, Counted.BOTTLENECK)
        params = line_params(self.links, user, regie, line) | {
            "reason": Msg(LINE_REASONS.get(reason, reason))
        }
        await self.links.say(uow, user, Msg(MARKED_NOT_DONE, params))
        await self._tell_regisseur(uow, user, regie, line, TOLD_NOT_DONE, reason=Msg(LINE_REASONS[reason]))

    async def _named(
        self,
        uow: Work,
        user: User,
        command: OnPlanLine,
        statuses: frozenset[LineStatus] | set[LineStatus],
        steer: bool = False,
    ) -> tuple[Regie, PlanLine] | None:
        """The line a button is about, as it was shown, if this person may act on it now."""
        line = await uow.regies.line(command.line)
        regie = await uow.regies.by_id(line.regie_id) if line is not None else None
        if line is None or regie is None or regie.status != ACTIVE or line.status not in statuses:
            return None
        if line.version != command.version or not self._may(user, regie, line, steer):
            return None
        return regie, line

    @staticmethod
    def _may(user: User, regie: Regie, line: PlanLine, steer: bool) -> bool:
        mine = user.active and user.id == line.owner_id
        return mine or may_take(user, regie, line) or (steer and may_steer_regie(user, regie))

    async def _settled(self, uow: Work, user: User, command: OnPlanLine, regie: Regie, msg: Msg) -> None:
        """The message the button was on now says what was decided, with a button back to the card."""
        text = self.links.tr.render(user.locale, msg)
        card = self.links.button(
            user, Msg(CARD, {"regie": regie.ref}), RegieAction.CARD, regie.id, regie.version
        )
        await self.links.messenger.edit(uow.outbox, user.telegram_id, command.message_id, text, [[card]])

    async def _tell_regisseur(
        self, uow: Work, by: User, regie: Regie, line: PlanLine, msgid: str, **extra: Param
    ) -> None:
        regisseur = await uow.users.by_id(regie.regisseur_id or 0)
        if regisseur is not None and regisseur.active and regisseur.id != by.id:
            params = line_params(self.links, regisseur, regie, line) | {"name": by.display_name, **extra}
            await self.links.say(uow, regisseur, Msg(msgid, params))

    async def _count(self, uow: Work, regie: Regie, category: str, kind: Counted = Counted.PLAN_LINE) -> None:
        """An anonymous count for the regiobeeld, per gemeente and month."""
        when = month(self.links.clock.now(), self.links.region.info.timezone)
        await uow.tallies.bump(kind, regie.gemeente, category, when)

    def _today(self) -> date:
        return self.links.region.hours().local_day(self.links.clock.now())
