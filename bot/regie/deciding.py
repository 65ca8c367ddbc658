"""A rung decides an escalation: Los op (who acts, and a short decision on the form), Schaal verder op, or
Terug (with why). Whoever raised it hears the decision, the one who acts is told, and the filer of the
signal hears that a decision was taken (codes only). The escalation's page on the region's server shows
its steps; what was typed about the resident only to the roles the ladder names."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.accounts.professionals import professionals
from bot.domain.access import may_set_up
from bot.domain.regie import EscalationStatus, Step
from bot.domain.regie_commands import OnEscalation, RegieAction
from bot.domain.tallies import Counted
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.escalation_page import escalation_page, params
from bot.regie.ladder import Climbing
from bot.regie.links import RegieLinks
from bot.views.messenger import Buttons
from bot.waakvlam.setup import AgreementSetup
from flows.closing import BOTTLENECKS
from flows.engine import Answers, Completed, Context, Outcome
from flows.model import Option
from flows.regie import BACK_REASONS, SEND_BACK, SOLVE
from flows.state import number
from flows.text import N_, Msg, Param
from storage.models import Escalation, Signal, User
from storage.ports import Work

SOLVED = N_(
    "Opschaling {ref} ({subject}) is opgelost door {name} ({rung}): {acts} pakt het op. Het besluit: tik op Openen."
)
YOU_ACT = N_(
    "{name} ({rung}) besloot over opschaling {ref} ({subject}): u pakt het op. Het besluit: tik op Openen."
)
FILER = N_("Over uw signaal {signal} is op {rung} een besluit genomen; wie het oppakt, houdt u op de hoogte.")
DECIDED = N_("Uw besluit over {ref} is doorgegeven.")
CLIMBED_BY_YOU = N_("U schaalde {ref} verder op.")
TOP = N_("Dit is de hoogste trede: los op, of stuur terug.")
BACK_TOLD = N_("{name} ({rung}) stuurt opschaling {ref} ({subject}) terug: {why}.")
SENT_BACK = N_("Opschaling {ref} is teruggestuurd.")
WAAKVLAM = N_("🕯 Afschalen met een waakvlam")
RAISER = "raiser"
TO_RAISER = N_("Naar wie opschaalde")
TO_RUNG = N_("Naar trede {n}: {rung}")
LOWERED_BY_YOU = N_("Opschaling {ref} ligt weer bij de lagere trede; die besluit opnieuw.")
GONE = N_("Over deze opschaling is al besloten, of ze ligt nu bij een andere trede.")


@dataclass
class Deciding:
    links: RegieLinks
    runner: ConversationRunner
    climbing: Climbing
    setup: AgreementSetup  # afschalen: a waakvlam for the resident

    def flows(self) -> list[FlowSpec]:
        """Los op and Terug."""
        return [
            FlowSpec(SOLVE, self.on_solved, self.context),
            FlowSpec(SEND_BACK, self.on_sent_back, self.down),
        ]

    async def solve(self, uow: Work, user: User, command: OnEscalation) -> Msg | str:
        """✅ Los op: who acts and the decision, privately."""
        return await self._ask(uow, user, command, SOLVE.id)

    async def send_back(self, uow: Work, user: User, command: OnEscalation) -> Msg | str:
        """↩ Terug: why, privately."""
        return await self._ask(uow, user, command, SEND_BACK.id)

    async def climb(self, uow: Work, user: User, command: OnEscalation) -> Msg | str:
        """⬆ Schaal verder op: the next rung gets its card now."""
        escalation = await self._at_my_rung(uow, user, command.escalation, command.version)
        if escalation is None:
            return Msg(GONE)
        if not await self.climbing.climb(uow, escalation, user):
            return Msg(TOP)
        text = self.links.tr.render(user.locale, Msg(CLIMBED_BY_YOU, {"ref": escalation.ref}))
        await self.links.messenger.edit(uow.outbox, user.telegram_id, command.message_id, text, [])
        return ""

    async def context(self, uow: Work, user: User, answers: Answers) -> Context:
        """Who may be named to act: the professionals of the escalation's gemeente."""
        escalation = await uow.escalations.by_id(number(answers, "escalation_id"))
        places = [escalation.gemeente] if escalation is not None else []
        return {"people": await professionals(self.links.tr, uow, user, places)}

    async def down(self, uow: Work, user: User, answers: Answers) -> Context:
        """Where Terug may go: to whoever raised it, or to a lower rung with anyone on it (afschalen)."""
        escalation = await uow.escalations.by_id(number(answers, "escalation_id"))
        ladder = self.climbing.ladder(escalation.gemeente) if escalation is not None else None
        options = [Option(RAISER, self.links.tr.render(user.locale, Msg(TO_RAISER)), raw=True)]
        if escalation is not None and ladder is not None:
            for n in range(escalation.rung):
                if await self.climbing.deciders(uow, escalation, ladder.rung[n]):
                    label = Msg(TO_RUNG, {"n": n + 1, "rung": ladder.rung[n].name})
                    options.append(Option(f"rung:{n}", self.links.tr.render(user.locale, label), raw=True))
        return {"down": tuple(options)}

    async def on_solved(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Los op decided: stored; whoever raised it, who acts and the filer are told."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        escalation = await self._at_my_rung(uow, user, number(a, "escalation_id"), number(a, "version"))
        acts = await uow.users.by_id(number(a, "acts"))
        if escalation is None or acts is None or not acts.active:
            await self.links.say(uow, user, Msg(GONE))
            return
        now = self.links.clock.now()
        decision = str(a.get("decision", "")).strip()
        await uow.escalations.change(
            escalation,
            status=EscalationStatus.SOLVED,
            decided_by=user.id,
            decided_at=now,
            acts_id=acts.id,
            decision=decision,
        )
        await uow.escalations.step(escalation.id, escalation.rung, now, user.id, Step.SOLVED)
        await record(uow, self.links.clock, "escalation_solved", actor=user, subject=escalation.ref)
        await self.climbing.decided(uow, escalation, Counted.ESCALATION_SOLVED)
        knelpunt = str(a.get("knelpunt", ""))
        if knelpunt in BOTTLENECKS and knelpunt != escalation.reason:  # its reason counted already
            await self.climbing.count(uow, escalation, Counted.BOTTLENECK, knelpunt)
        await self.links.say(uow, user, Msg(DECIDED, {"ref": escalation.ref}))
        params = self._params(escalation) | {"name": user.display_name, "acts": acts.display_name}
        opens = self.links.opens
        for person in await self.climbing.told(uow, escalation):
            if person.id != user.id:
                await self.links.say(uow, person, Msg(SOLVED, params), opens(person, escalation.ref))
        down = await self._scale_down(uow, acts, escalation)
        if acts.id != user.id or down:
            await self.links.say(uow, acts, Msg(YOU_ACT, params), [*down, *opens(acts, escalation.ref)])
        for signal in await self._signals(uow, escalation):
            filer = await uow.users.by_id(signal.filer_id)
            if filer is not None and filer.active and filer.id not in (user.id, acts.id):
                await self.links.say(uow, filer, Msg(FILER, {"signal": signal.ref, "rung": params["rung"]}))

    async def on_sent_back(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Terug: whoever raised it hears why; the escalation is closed as sent back."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        escalation = await self._at_my_rung(uow, user, number(a, "escalation_id"), number(a, "version"))
        why = str(a.get("why", ""))
        if escalation is None or why not in BACK_REASONS:
            await self.links.say(uow, user, Msg(GONE))
            return
        now = self.links.clock.now()
        to = str(a.get("to", RAISER))
        lower = int(to.removeprefix("rung:")) if to.startswith("rung:") and to[5:].isdecimal() else None
        if lower is not None and lower < escalation.rung:
            await self._lower(uow, user, escalation, lower, why)
            return
        await uow.escalations.change(
            escalation, status=EscalationStatus.RETURNED, decided_by=user.id, decided_at=now, back_reason=why
        )
        await uow.escalations.step(escalation.id, escalation.rung, now, user.id, Step.RETURNED)
        await record(
            uow, self.links.clock, "escalation_returned", actor=user, subject=escalation.ref, why=why
        )
        await self.climbing.decided(uow, escalation, Counted.ESCALATION_RETURNED)
        await self.links.say(uow, user, Msg(SENT_BACK, {"ref": escalation.ref}))
        params = self._params(escalation) | {"name": user.display_name, "why": Msg(BACK_REASONS[why])}
        for person in await self.climbing.told(uow, escalation):
            if person.id != user.id:
                await self.links.say(uow, person, Msg(BACK_TOLD, params))

    async def _lower(self, uow: Work, user: User, escalation: Escalation, rung: int, why: str) -> None:
        """Afschalen to a lower rung: it decides again (its card, a new deadline); counted as sent back at
        this rung; whoever raised it hears where it lies now."""
        now = self.links.clock.now()
        await uow.escalations.step(escalation.id, rung, now, user.id, Step.LOWERED)
        await record(
            uow,
            self.links.clock,
            "escalation_lowered",
            actor=user,
            subject=escalation.ref,
            why=why,
            rung=rung,
        )
        await self.climbing.decided(uow, escalation, Counted.ESCALATION_RETURNED)
        await self.climbing.lower(uow, escalation, rung)
        await self.links.say(uow, user, Msg(LOWERED_BY_YOU, {"ref": escalation.ref}))

    async def page(self, uow: Work, user: User, code: str) -> str | None:
        """The escalation's page (bot.regie.escalation_page)."""
        return await escalation_page(self.links, self.climbing, uow, user, code)

    async def _ask(self, uow: Work, user: User, command: OnEscalation, flow_id: str) -> Msg | str:
        escalation = await self._at_my_rung(uow, user, command.escalation, command.version)
        if escalation is None:
            return Msg(GONE)
        seed: Answers = {
            "escalation": escalation.ref,
            "escalation_id": str(escalation.id),
            "version": str(escalation.version),
        }
        return await self.runner.start_private(uow, user, flow_id, seed)

    async def _at_my_rung(self, uow: Work, user: User, escalation_id: int, version: int) -> Escalation | None:
        """The open escalation, as it was shown, if this person decides at the rung it is at now."""
        escalation = await uow.escalations.by_id(escalation_id)
        ladder = self.climbing.ladder(escalation.gemeente) if escalation is not None else None
        if escalation is None or ladder is None or escalation.status != EscalationStatus.OPEN:
            return None
        if escalation.version != version:
            return None
        deciders = await self.climbing.deciders(uow, escalation, ladder.rung[escalation.rung])
        return escalation if user.id in {p.id for p in deciders} else None

    async def _scale_down(self, uow: Work, acts: User, escalation: Escalation) -> Buttons:
        """Afschalen: whoever picks it up, if they may agree a waakvlam, gets 🕯 to do so for the resident."""
        signals = await self._signals(uow, escalation)
        if not signals or not may_set_up(acts):
            return []
        return [
            [self.links.button(acts, WAAKVLAM, RegieAction.SCALE_DOWN, escalation.id, escalation.version)]
        ]

    async def waakvlam(self, uow: Work, user: User, command: OnEscalation) -> Msg | str:
        """🕯 on the decision: the waakvlam set-up, with the resident and gemeente of the escalation's signal."""
        escalation = await uow.escalations.by_id(command.escalation)
        if (
            escalation is None
            or escalation.status != EscalationStatus.SOLVED
            or escalation.acts_id != user.id
        ):
            return Msg(GONE)
        signals = await self._signals(uow, escalation)
        if not signals or not may_set_up(user):
            return Msg(GONE)
        signal = signals[0]
        desk = (
            user.meldpunt_id
            or signal.owner_desk
            or next(iter(r.meldpunt_id for r in await uow.signals.routes_of(signal.id)), "")
        )
        return await self.setup.from_signal(uow, user, desk, signal)

    def _params(self, escalation: Escalation) -> dict[str, Param]:
        return params(self.links, self.climbing, escalation)

    async def _signals(self, uow: Work, escalation: Escalation) -> list[Signal]:
        """The signals it is about: the one named, or the regie's first."""
        if escalation.signal_id:
            signal = await uow.signals.by_id(escalation.signal_id)
            return [signal] if signal else []
        regie = await uow.regies.by_id(escalation.regie_id or 0)
        first = await uow.signals.by_id(regie.signal_id) if regie and regie.signal_id else None
        return [first] if first else []
