"""What a desk does on its overleg card, and the ways into an overleg: In beeld?, Voorstel doen (asked
privately), Akkoord, Bezwaar (why, on the form); 🤝 Overleg on a desk's summary; 🤝 Routeeroverleg on a
samenloop notice. Every press is checked: the presser works at a desk taking part, the card is current."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.access import works_at
from bot.domain.overleg import IN_VIEW, OverlegStatus
from bot.domain.overleg_commands import OnOverleg, OverlegFromMatch, SayInView
from bot.domain.region import Meldpunt
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.samenloop.keys import MatchKeys
from bot.samenloop.overleg import Overleggen
from bot.signals.asked_privately import went_private
from flows.engine import Answers, Completed, Context, Outcome
from flows.model import Option
from flows.overleg import INVITE, OBJECT, PROPOSE
from flows.text import N_, Msg
from storage.models import Overleg, OverlegPart, Signal, User
from storage.ports import Work

NOT_YOURS = N_("Alleen de meldpunten in dit routeeroverleg kunnen dit doen.")
CHANGED = N_("Het routeeroverleg is intussen veranderd; de kaart is bijgewerkt.")
NOTED = N_("Genoteerd.")
AGREED = N_("Akkoord genoteerd.")
OVERTAKEN = N_("Intussen ligt er een ander voorstel of is het besloten; kijk op de kaart.")
OBJECTED = N_(
    "Bezwaar van {desk} tegen het voorstel in routeeroverleg {ref} ({signal}). Lees waarom op de server; "
    "doe daarna een nieuw voorstel op de kaart."
)
OPENED = N_("Routeeroverleg {ref} staat open: elk meldpunt heeft een kaart in zijn chat.")
NO_MATCH = N_("Deze samenloop is niet meer open.")


@dataclass
class Voting:
    overleggen: Overleggen
    runner: ConversationRunner
    keys: MatchKeys

    def flows(self) -> list[FlowSpec]:
        """Proposing, objecting and asking desks in."""
        return [
            FlowSpec(PROPOSE, self.on_proposed, self.taking_part),
            FlowSpec(OBJECT, self.on_objected),
            FlowSpec(INVITE, self.on_invited, self.invitable),
        ]

    async def _at(
        self, uow: Work, user: User, chat_id: int, command: OnOverleg
    ) -> tuple[Overleg, OverlegPart, Meldpunt, Signal] | Msg:
        """The overleg, this desk's part in it, the desk and the signal; or why the press does nothing."""
        region = self.overleggen.links.region
        desk = region.desk_for_chat(chat_id)
        if desk is None and chat_id == user.telegram_id:
            desk = region.meldpunten.get(user.meldpunt_id or "")
        overleg = await uow.samenloop.overleg(command.overleg)
        parts = await uow.samenloop.parts(overleg.id) if overleg is not None else []
        part = next((p for p in parts if desk is not None and p.meldpunt_id == desk.id), None)
        signal = await uow.signals.by_id(overleg.signal_id) if overleg is not None else None
        if overleg is None or desk is None or part is None or signal is None or not works_at(user, desk.id):
            await record(uow, self.overleggen.links.clock, "overleg_refused", actor=user)
            return Msg(NOT_YOURS)
        if overleg.status != OverlegStatus.OPEN or command.version != overleg.version:
            await self.overleggen.refresh(uow, overleg, signal)
            return Msg(CHANGED)
        return overleg, part, desk, signal

    async def in_view(self, uow: Work, user: User, chat_id: int, command: SayInView) -> Msg:
        """In beeld? yes, no or earlier, for this desk."""
        found = await self._at(uow, user, chat_id, command)
        if isinstance(found, Msg):
            return found
        overleg, part, _, signal = found
        if command.choice in IN_VIEW:
            await uow.samenloop.change_part(
                part, in_view=command.choice, by_id=user.id, at=self.overleggen.links.clock.now()
            )
            await self.overleggen.refresh(uow, overleg, signal)
        return Msg(NOTED)

    async def propose(self, uow: Work, user: User, chat_id: int, command: OnOverleg) -> Msg | str:
        """Voorstel doen: the route and the lead desk, asked privately."""
        return await self._ask(uow, user, chat_id, command, PROPOSE.id)

    async def object(self, uow: Work, user: User, chat_id: int, command: OnOverleg) -> Msg | str:
        """Bezwaar: why, on the form."""
        return await self._ask(uow, user, chat_id, command, OBJECT.id)

    async def _ask(self, uow: Work, user: User, chat_id: int, command: OnOverleg, flow: str) -> Msg | str:
        found = await self._at(uow, user, chat_id, command)
        if isinstance(found, Msg):
            return found
        overleg, _, desk, signal = found
        seed: Answers = {
            "overleg": overleg.ref,
            "signal": signal.ref,
            "desk": desk.id,
            "version": str(overleg.version),
        }
        said = await self.runner.start_private(uow, user, flow, seed)
        return went_private(said, user, chat_id)

    async def agree(self, uow: Work, user: User, chat_id: int, command: OnOverleg) -> Msg:
        """Akkoord with the proposal on the table; the last one decides it."""
        found = await self._at(uow, user, chat_id, command)
        if isinstance(found, Msg):
            return found
        overleg, part, _, signal = found
        await uow.samenloop.change_part(
            part, vote="agree", by_id=user.id, at=self.overleggen.links.clock.now()
        )
        await self._settle(uow, overleg, signal)
        return Msg(AGREED)

    async def _settle(self, uow: Work, overleg: Overleg, signal: Signal) -> None:
        """Decided when every desk agreed; otherwise the cards show who still has to."""
        parts = await uow.samenloop.parts(overleg.id)
        if overleg.route is not None and all(p.vote == "agree" for p in parts):
            await self.overleggen.decide(uow, overleg, signal)
        else:
            await self.overleggen.refresh(uow, overleg, signal)

    async def _back(
        self, uow: Work, user: User, outcome: Outcome
    ) -> tuple[Overleg, OverlegPart, Signal] | None:
        """What a finished private conversation was about, if its proposal is still the one on the table and
        this person still works at a desk taking part (if not, they are told so)."""
        if not isinstance(outcome, Completed):
            return None
        found = await self._about(uow, user, outcome.answers)
        if found is None:
            await self.overleggen.links.say(uow, user, Msg(OVERTAKEN))
        return found

    async def _about(
        self, uow: Work, user: User, answers: Answers
    ) -> tuple[Overleg, OverlegPart, Signal] | None:
        overleg = await uow.samenloop.overleg_by_ref(str(answers.get("overleg", "")))
        if (
            overleg is None
            or overleg.status != OverlegStatus.OPEN
            or str(overleg.version) != answers.get("version")
        ):
            return None
        desk = str(answers.get("desk", ""))
        part = next((p for p in await uow.samenloop.parts(overleg.id) if p.meldpunt_id == desk), None)
        signal = await uow.signals.by_id(overleg.signal_id)
        if part is None or signal is None or not works_at(user, desk):
            return None
        return overleg, part, signal

    async def taking_part(self, uow: Work, user: User, answers: Answers) -> Context:
        """The desks taking part, to choose who leads."""
        overleg = await uow.samenloop.overleg_by_ref(str(answers.get("overleg", "")))
        parts = await uow.samenloop.parts(overleg.id) if overleg is not None else []
        return {
            "desks": tuple(
                Option(p.meldpunt_id, self.overleggen.cards.name(p.meldpunt_id), raw=True) for p in parts
            )
        }

    async def on_proposed(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A proposal: on the table for the others; the proposing desk agrees with it."""
        back = await self._back(uow, user, outcome)
        if back is None or not isinstance(outcome, Completed):
            return
        links = self.overleggen.links
        overleg, part, signal = back
        lead, route = str(outcome.answers.get("lead", "")), str(outcome.answers.get("route", ""))
        parts = await uow.samenloop.parts(overleg.id)
        if lead not in {p.meldpunt_id for p in parts}:
            return
        now = links.clock.now()
        await uow.samenloop.change(
            overleg,
            route=route,
            lead=lead,
            proposer_desk=part.meldpunt_id,
            proposed_by=user.id,
            proposed_at=now,
        )
        await uow.samenloop.reset_votes(overleg.id)
        await uow.samenloop.change_part(part, vote="agree", by_id=user.id, at=now)
        await record(
            uow, links.clock, "overleg_proposed", actor=user, subject=overleg.ref, route=route, lead=lead
        )
        await self.overleggen.tell_others(uow, overleg, parts, part.meldpunt_id, signal)
        await self._settle(uow, overleg, signal)

    async def on_objected(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Bezwaar: the proposal is off the table; the proposing desk's staff read why, privately."""
        back = await self._back(uow, user, outcome)
        if back is None or not isinstance(outcome, Completed):
            return
        links = self.overleggen.links
        overleg, part, signal = back
        proposer = overleg.proposer_desk
        now = links.clock.now()
        await uow.samenloop.reset_votes(overleg.id)  # the proposal is off the table; only the objection shows
        await uow.samenloop.change_part(
            part, vote="object", note=str(outcome.answers.get("note", "")), by_id=user.id, at=now
        )
        await uow.samenloop.change(
            overleg, route=None, lead=None, proposer_desk=None, proposed_by=None, proposed_at=None
        )
        await record(uow, links.clock, "overleg_objected", actor=user, subject=overleg.ref)
        words = Msg(
            OBJECTED,
            {"desk": self.overleggen.cards.name(part.meldpunt_id), "ref": overleg.ref, "signal": signal.ref},
        )
        for person in await uow.samenloop.staff_of([proposer] if proposer else []):
            await links.say(uow, person, words, links.opens(person, overleg.ref))
        await self.overleggen.refresh(uow, overleg, signal)

    async def from_desk(
        self, uow: Work, user: User, desk: Meldpunt, signal: Signal, chat_id: int
    ) -> Msg | str:
        """🤝 Overleg on a desk's summary: which desks to ask in, privately."""
        seed: Answers = {"signal": signal.ref, "desk": desk.id}
        said = await self.runner.start_private(uow, user, INVITE.id, seed)
        return went_private(said, user, chat_id)

    async def invitable(self, uow: Work, user: User, answers: Answers) -> Context:
        """The desks that serve the signal's gemeente (its own and the regional ones), not yet on it."""
        signal = await uow.signals.by_ref(str(answers.get("signal", "")))
        if signal is None:
            return {"desks": ()}
        routed = {r.meldpunt_id for r in await uow.signals.routes_of(signal.id)}
        desks = [
            d
            for d in self.overleggen.links.region.meldpunten.values()
            if d.id not in routed and (d.scope != "gemeente" or d.gemeente == signal.gemeente)
        ]
        return {"desks": tuple(Option(d.id, d.name, raw=True) for d in desks)}

    async def on_invited(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The chosen desks join an overleg on the signal, with the desks it went to."""
        if not isinstance(outcome, Completed):
            return
        signal = await uow.signals.by_ref(str(outcome.answers.get("signal", "")))
        desk = str(outcome.answers.get("desk", ""))
        routes = [r.meldpunt_id for r in await uow.signals.routes_of(signal.id)] if signal is not None else []
        if signal is None or desk not in routes or not works_at(user, desk):
            return
        chosen = outcome.answers.get("desks", [])
        chosen = [chosen] if isinstance(chosen, str) else list(chosen)
        overleg = await self.overleggen.start(uow, signal, [*routes, *chosen], "desk", user)
        await self.overleggen.links.say(uow, user, Msg(OPENED, {"ref": overleg.ref}))

    async def from_match(self, uow: Work, user: User, command: OverlegFromMatch) -> Msg:
        """🤝 Routeeroverleg on a samenloop notice: an overleg on the newer signal, with the desks of both."""
        keys = [await uow.samenloop.key(command.key), await uow.samenloop.key(command.other)]
        sides = [await self.keys.side(uow, k) if k is not None else None for k in keys]
        mine = sides[0]
        if (
            mine is None
            or sides[1] is None
            or user.id not in {p.id for p in mine.owners}
            or None
            in (
                mine.signal_id,
                sides[1].signal_id,
            )
        ):
            return Msg(NO_MATCH)
        newer = max((k for k in keys if k is not None), key=lambda k: k.id)
        signal = await uow.signals.by_id(newer.signal_id or 0)
        if signal is None:
            return Msg(NO_MATCH)
        desks = {d for side in sides if side for d in side.desks}
        routed = [r.meldpunt_id for r in await uow.signals.routes_of(signal.id)]
        overleg = await self.overleggen.start(uow, signal, [*routed, *sorted(desks)], "samenloop", user)
        await self.overleggen.links.say(uow, user, Msg(OPENED, {"ref": overleg.ref}))
        return Msg(NOTED)
