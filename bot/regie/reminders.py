"""Herinner mij: a coordinator or desk member sets a reminder on a signal, a regie or a waakvlam (by its
code), for themselves or their desk: tomorrow, in a week, in two weeks, or on a date, at 09:00. It arrives
privately with the code and 📄 Openen (a desk's reminder in its chat, codes only); `/regie` and `/open`
list what is set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from bot.accounts.audit import record
from bot.domain.access import at_a_desk, can_ask_regie, may_read_agreement, may_read_regie, may_set_up
from bot.domain.calendar import working_day_from
from bot.domain.jobs import SendReminder
from bot.domain.regie_commands import OnRegie
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.links import RegieLinks
from bot.regie.named import named_in
from bot.signals.viewing import Viewing
from flows.engine import Answers, Completed, Context, Outcome
from flows.model import Option
from flows.remind import REMIND
from flows.text import N_, Msg, Param
from storage.models import Reminder, User
from storage.ports import Work

MYSELF, MY_DESK = N_("Mijzelf"), N_("Mijn meldpunt ({desk})")
SET = N_("Herinnering gezet: {code}, {when}.")
DUE = N_("⏰ Herinnering: {code}. Gezet door {by} op {set}.")
DUE_DESK = N_("⏰ Herinnering voor het meldpunt: {code}. Gezet door {by}. Bekijk het privé met {look}.")
LOOK = {"S-": "/signaal {code}", "R-": "/regie", "W-": "/waakvlammen"}
NOT_ALLOWED = N_(
    "Een herinnering zetten kunnen coördinatoren en meldpuntmedewerkers, op wat zij mogen inzien."
)
NOT_FOUND = N_("Die code bestaat niet, of u mag haar niet inzien.")
PAST = N_("Die datum bestaat niet; stuur dag en maand, bijvoorbeeld 14-12, met /herinner CODE.")
HEADER = N_("Herinneringen ({n}):")
LINE = N_("{code} · {when}{desk}")
AT = time(9, 0)
DAYS = {"tomorrow": 1, "week": 7, "two_weeks": 14}


@dataclass
class Reminders:
    links: RegieLinks
    runner: ConversationRunner
    viewing: Viewing

    def flows(self) -> list[FlowSpec]:
        """Setting a reminder."""
        return [FlowSpec(REMIND, self.on_set, self.context)]

    async def from_regie(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """⏰ Herinner mij on a regie's card: as `/herinner R-…`."""
        regie = await uow.regies.by_id(command.regie)
        return await self.begin(uow, user, regie.ref if regie is not None else "")

    async def begin(self, uow: Work, user: User, ref: str) -> Msg | str:
        """`/herinner CODE`: who may read it may set one (coordinators and desk staff)."""
        code = ref.strip().upper()
        if not may_set_up(user):
            return Msg(NOT_ALLOWED)
        if not await self._may_read(uow, user, code):
            return Msg(NOT_FOUND)
        return await self.runner.start_private(uow, user, REMIND.id, {"code": code})

    async def context(self, uow: Work, user: User, answers: Answers) -> Context:
        """For whom: oneself, or (desk staff) one's desk."""
        tr, loc = self.links.tr, user.locale
        whom = [Option("me", tr.render(loc, Msg(MYSELF)), raw=True)]
        desk = self.links.region.meldpunten.get(user.meldpunt_id or "") if at_a_desk(user) else None
        if desk is not None:
            whom.append(Option("desk", tr.render(loc, Msg(MY_DESK, {"desk": desk.name})), raw=True))
        return {"whom": tuple(whom)}

    async def on_set(self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None) -> None:
        """Store the reminder and plan it."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        code = str(a.get("code", ""))
        if not may_set_up(user) or not await self._may_read(uow, user, code):
            await self.links.say(uow, user, Msg(NOT_FOUND))
            return
        day = self._day(str(a.get("when", "")), str(a.get("date", "")))
        if day is None:
            await self.links.say(uow, user, Msg(PAST))
            return
        due = self.links.region.hours().at(day, AT)
        desk = user.meldpunt_id if a.get("whom") == "desk" and at_a_desk(user) else None
        now = self.links.clock.now()
        reminder = await uow.regies.add_reminder(
            Reminder(code=code, user_id=user.id, desk=desk, due_at=due, created_at=now)
        )
        await uow.due.plan(SendReminder(reminder.id), due)
        await record(uow, self.links.clock, "reminder_set", actor=user, subject=code, desk=desk)
        await self.links.say(
            uow, user, Msg(SET, {"code": code, "when": self.links.tr.moment(user.locale, due)})
        )

    async def send(self, uow: Work, job: SendReminder) -> None:
        """Due: privately with 📄 Openen, or in the desk's chat with the code only."""
        reminder = await uow.regies.reminder(job.reminder)
        by = await uow.users.by_id(reminder.user_id) if reminder is not None else None
        if reminder is None or reminder.sent_at is not None or by is None:
            return
        reminder.sent_at = self.links.clock.now()
        desk = self.links.region.meldpunten.get(reminder.desk or "")
        if desk is not None:
            look = LOOK.get(reminder.code[:2], "/signaal {code}").format(code=reminder.code)
            text = self.links.tr.render(
                desk.locale, Msg(DUE_DESK, {"code": reminder.code, "by": by.display_name, "look": look})
            )
            await self.links.messenger.send(uow.outbox, desk.chat_id, text)
        elif by.active:
            params: dict[str, Param] = {
                "code": reminder.code,
                "by": by.display_name,
                "set": self.links.tr.when(by.locale, reminder.created_at),
            }
            await self.links.say(uow, by, Msg(DUE, params), self.links.opens(by, reminder.code))

    async def lines(self, uow: Work, user: User) -> list[str]:
        """What is set, for `/regie` and `/open` (a blank line after; nothing when nothing is)."""
        found = await uow.regies.reminders_for(user.id, user.meldpunt_id if at_a_desk(user) else None)
        if not found:
            return []
        tr, loc = self.links.tr, user.locale
        rows = [tr.render(loc, Msg(HEADER, {"n": len(found)}))]
        for r in found:
            desk = self.links.region.meldpunten.get(r.desk or "")
            params: dict[str, Param] = {
                "code": r.code,
                "when": tr.when(loc, r.due_at),
                "desk": f" · {desk.name}" if desk else "",
            }
            rows.append(tr.render(loc, Msg(LINE, params)))
        return [*rows, ""]

    def _day(self, when: str, typed: str) -> date | None:
        """The day it is due: a working day for the quick choices; a typed day-month in the coming year."""
        today = self.links.region.hours().local_day(self.links.clock.now())
        if when in DAYS:
            return working_day_from(today + timedelta(days=DAYS[when]))
        try:
            day_, month_ = (int(x) for x in typed.replace("/", "-").replace(".", "-").split("-"))
            day = date(today.year, month_, day_)
            return day if day > today else date(today.year + 1, month_, day_)  # "14-1" in December: next year
        except ValueError:  # 31-4, or 29-2 outside a leap year
            return None

    async def _may_read(self, uow: Work, user: User, code: str) -> bool:
        if code.startswith("R-"):
            regie = await uow.regies.by_ref(code)
            lines = await uow.regies.lines_of(regie.id) if regie is not None else []
            return regie is not None and may_read_regie(user, regie, named_in(user, regie, lines))
        if code.startswith("W-"):
            agreement = await uow.agreements.by_ref(code)
            return agreement is not None and may_read_agreement(user, agreement)
        seen = await self.viewing.allowed(uow, user, code)
        return seen is not None and can_ask_regie(user, seen[1])
