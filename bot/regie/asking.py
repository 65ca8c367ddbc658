"""Beleggen van regie: a desk or a coordinator asks a professional to direct a resident; the one asked accepts
or declines with a reason; until someone accepts, whoever asked (or the regisseur so far) keeps it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.accounts.invites import fresh_code
from bot.accounts.professionals import professionals
from bot.domain.access import can_ask_regie, may_direct
from bot.domain.lifecycle import Status
from bot.domain.regie import ACTIVE, ASKED, LIVE
from bot.domain.regie_commands import OnRegie, RegieAction
from bot.domain.region import Meldpunt
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.links import RegieLinks
from bot.samenloop.keys import MatchKeys
from bot.signals.asked_privately import AskPrivately
from bot.signals.desk import DeskService
from bot.signals.viewing import NOT_FOUND, Viewing
from bot.views.messenger import Buttons
from flows.engine import Answers, Completed, Context, Outcome
from flows.regie import ASK, DECLINE, DECLINE_REASONS
from flows.state import number
from flows.text import N_, Msg, Param
from storage.models import Regie, Signal, User
from storage.ports import Work

ASKED_TOLD = N_("Regie {regie} gevraagd aan {name}. Tot {name} accepteert blijft de regie bij {keeper}.")
YOU = N_("u")
REQUEST = N_(
    "{by} vraagt u regisseur te zijn voor de bewoner van signaal {signal} ({gemeente}): één huishouden, "
    "één plan, één regisseur. Tot u accepteert blijft de regie bij {keeper}. Lees het signaal: tik op Openen."
)
ACCEPT, DECLINE_LABEL = N_("Accepteren"), N_("Weigeren")
ACCEPTED = N_(
    "U bent regisseur voor de bewoner van signaal {signal} ({regie}). Nieuwe signalen en terugval over deze "
    "bewoner krijgt u privé. Overzicht: /regie"
)
TOLD_ACCEPTED = N_("{name} ({org}) is nu regisseur voor de bewoner van signaal {signal} ({regie}).")
DECLINED = N_("U neemt de regie {regie} niet. Wie het vroeg hoort het, met uw reden.")
TOLD_DECLINED = N_(
    "{name} neemt de regie voor de bewoner van signaal {signal} niet: {reason}. De regie blijft bij {keeper}; "
    "vraag een ander met /regie {signal}."
)
ALREADY = N_("{name} is al regisseur voor deze bewoner ({regie}).")
NOT_YOURS = N_("Regie vragen voor dit signaal kunnen de meldpunten waar het heen ging en de coördinatoren.")
GONE = N_("Dit verzoek staat niet meer open.")
NOBODY = N_("niemand")


@dataclass
class RegieAsking:
    runner: ConversationRunner
    ask: AskPrivately
    desk: DeskService
    viewing: Viewing
    links: RegieLinks
    keys: MatchKeys | None = None  # samenloop's match keys (bot/samenloop)

    def flows(self) -> list[FlowSpec]:
        """Asking a regisseur, and the reason for declining."""
        return [FlowSpec(ASK, self.on_asked, self.context), FlowSpec(DECLINE, self.on_declined)]

    async def from_desk(
        self, uow: Work, user: User, desk: Meldpunt, signal: Signal, chat_id: int
    ) -> Msg | str:
        """🧭 Regie on a desk's summary: ask privately whom, as a hand-over is asked."""
        return await self.ask.start(uow, user, ASK.id, desk, signal, chat_id)

    async def typed(self, uow: Work, user: User, ref: str) -> Msg | str:
        """`/regie S-CODE`: the same, for whoever may ask it for that signal."""
        seen = await self.viewing.allowed(uow, user, ref)
        if seen is None:
            return Msg(NOT_FOUND)
        signal, scope = seen
        if not can_ask_regie(user, scope):
            return Msg(NOT_YOURS)
        return await self.runner.start_private(uow, user, ASK.id, {"signal": signal.ref})

    async def context(self, uow: Work, user: User, answers: Answers) -> Context:
        """Whom to ask: the professionals of the signal's gemeente (oneself last, where one works there)."""
        signal = await uow.signals.by_ref(str(answers.get("signal", "")))
        if signal is None:
            return {"regisseurs": ()}
        found = await professionals(self.links.tr, uow, user, [signal.gemeente])
        mine = may_direct(user, signal.gemeente)
        return {"regisseurs": tuple(o for o in found if mine or o.value != str(user.id))}

    async def on_asked(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Someone was chosen: the regie is asked of them (a new regie, or a change on the one there is)."""
        if not isinstance(outcome, Completed):
            return
        signal = await uow.signals.by_ref(str(outcome.answers.get("signal", "")))
        seen = await self.viewing.allowed(uow, user, signal.ref) if signal is not None else None
        chosen = await uow.users.by_id(number(outcome.answers, "regisseur"))
        if (
            signal is None
            or seen is None
            or not can_ask_regie(user, seen[1])
            or chosen is None
            or not may_direct(chosen, signal.gemeente)
        ):
            await self._say(uow, user, Msg(GONE))
            return
        regie = await uow.regies.live_of(signal.resident_key)
        if regie is not None and regie.regisseur_id == chosen.id:
            await self._say(uow, user, Msg(ALREADY, {"name": chosen.display_name, "regie": regie.ref}))
            return
        regie = await self._asked(uow, user, chosen, signal, regie)
        await record(uow, self.links.clock, "regie_asked", actor=user, subject=regie.ref, signal=signal.ref)
        if self.keys is not None:  # a samenloop match key, as its pseudonyms (bot/samenloop)
            await self.keys.given(
                uow,
                user,
                outcome.answers.get("match_key"),
                signal.gemeente,
                code=regie.ref,
                regie_id=regie.id,
            )
        if chosen.id == user.id:
            await self._accepted(uow, user, regie, signal, None)
            return
        told: dict[str, Param] = {
            "regie": regie.ref,
            "name": chosen.display_name,
            "keeper": await self._keeper(uow, user, regie),
        }
        await self._say(uow, user, Msg(ASKED_TOLD, told))
        await self._request(uow, user, chosen, regie, signal, await self._keeper(uow, chosen, regie))
        await self.refresh(uow, regie)

    async def _asked(self, uow: Work, user: User, chosen: User, signal: Signal, regie: Regie | None) -> Regie:
        """Store the ask: a new regie ties together every signal about the resident; on a live one, the one
        asked changes and the regisseur (if any) keeps it meanwhile."""
        now = self.links.clock.now()
        if regie is None:
            regie = await uow.regies.add(
                Regie(
                    ref=await fresh_code("R-", uow.regies.by_ref),
                    resident_key=signal.resident_key,
                    gemeente=signal.gemeente,
                    signal_id=signal.id,
                    status=ASKED,
                    version=0,
                    asked_id=chosen.id,
                    asked_by=user.id,
                    created_at=now,
                ),
                user.id,
            )
            about = await uow.signals.by_resident(signal.resident_key)
            await uow.regies.link(regie.id, [s.id for s in about])
            return regie
        await uow.regies.change(regie, asked_id=chosen.id, asked_by=user.id)
        await uow.regies.event(regie.id, now, user.id, "asked")
        if signal.regie_id != regie.id:
            await uow.regies.link(regie.id, [signal.id])
        return regie

    async def _request(
        self, uow: Work, by: User, chosen: User, regie: Regie, signal: Signal, keeper: str
    ) -> None:
        """The private request, with Accepteren, Weigeren and Openen (the signal's text, on the server)."""
        tr, loc = self.links.tr, chosen.locale
        params: dict[str, Param] = {
            "by": f"{by.display_name} ({by.org})",
            "signal": signal.ref,
            "gemeente": self.links.region.gemeente_name(signal.gemeente),
            "keeper": keeper,
        }
        buttons: Buttons = [
            [
                self.links.button(chosen, ACCEPT, RegieAction.ACCEPT, regie.id, regie.version),
                self.links.button(chosen, DECLINE_LABEL, RegieAction.DECLINE, regie.id, regie.version),
            ]
        ]
        buttons += self.links.opens(chosen, signal.ref)
        await self.links.messenger.send(
            uow.outbox, chosen.telegram_id, tr.render(loc, Msg(REQUEST, params)), buttons
        )

    async def accept(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """Accepteren: the one asked directs from now on; whoever asked and the regisseur before hear it."""
        regie = await self._open_to(uow, user, command)
        if regie is None:
            return Msg(GONE)
        signal = await uow.signals.by_id(regie.signal_id) if regie.signal_id else None
        await self._accepted(uow, user, regie, signal, command.message_id)
        return ""

    async def _accepted(
        self, uow: Work, user: User, regie: Regie, signal: Signal | None, message_id: int | None
    ) -> None:
        before, asked_by = regie.regisseur_id, regie.asked_by
        now = self.links.clock.now()
        await uow.regies.change(regie, status=ACTIVE, regisseur_id=user.id, asked_id=None, accepted_at=now)
        await uow.regies.event(regie.id, now, user.id, "accepted")
        await record(uow, self.links.clock, "regie_accepted", actor=user, subject=regie.ref)
        ref = signal.ref if signal is not None else "-"
        tr, loc = self.links.tr, user.locale
        text = tr.render(loc, Msg(ACCEPTED, {"signal": ref, "regie": regie.ref}))
        opens = self.links.opens(user, ref) if signal is not None else []
        if message_id is not None:
            await self.links.messenger.edit(uow.outbox, user.telegram_id, message_id, text, opens)
        else:
            await self.links.messenger.send(uow.outbox, user.telegram_id, text, opens)
        params: dict[str, Param] = {
            "name": user.display_name,
            "org": user.org,
            "signal": ref,
            "regie": regie.ref,
        }
        for person in (
            await uow.users.by_ids({p for p in (asked_by, before) if p and p != user.id})
        ).values():
            if person.active:
                await self._say(uow, person, Msg(TOLD_ACCEPTED, params))
        await self.refresh(uow, regie)

    async def decline(self, uow: Work, user: User, command: OnRegie) -> Msg | str:
        """Weigeren: the reason is asked next (chosen from a short list), privately."""
        regie = await self._open_to(uow, user, command)
        if regie is None:
            return Msg(GONE)
        seed: Answers = {"regie": str(regie.id), "version": str(regie.version)}
        return await self.runner.start_private(uow, user, DECLINE.id, seed)

    async def on_declined(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The reason chosen: the ask is withdrawn; whoever asked and the gemeente's coordinators hear why."""
        if not isinstance(outcome, Completed):
            return
        answers = outcome.answers
        regie = await uow.regies.by_id(number(answers, "regie"))
        reason = str(answers.get("reason", ""))
        if (
            regie is None
            or regie.asked_id != user.id
            or regie.version != number(answers, "version")
            or reason not in DECLINE_REASONS
        ):
            await self._say(uow, user, Msg(GONE))
            return
        await uow.regies.change(regie, asked_id=None)
        await uow.regies.event(regie.id, self.links.clock.now(), user.id, "declined", reason)
        await record(uow, self.links.clock, "regie_declined", actor=user, subject=regie.ref, reason=reason)
        await self._say(uow, user, Msg(DECLINED, {"regie": regie.ref}))
        signal = await uow.signals.by_id(regie.signal_id) if regie.signal_id else None
        people = await uow.users.coordinators_of(regie.gemeente)
        asker = await uow.users.by_id(regie.asked_by or 0)
        if asker is not None and asker.active and asker.id not in {p.id for p in people}:
            people.insert(0, asker)
        for person in people:
            params: dict[str, Param] = {
                "name": user.display_name,
                "signal": signal.ref if signal else "-",
                "reason": Msg(DECLINE_REASONS[reason]),
                "keeper": await self._keeper(uow, person, regie),
            }
            await self._say(uow, person, Msg(TOLD_DECLINED, params))
        await self.refresh(uow, regie)

    async def _open_to(self, uow: Work, user: User, command: OnRegie) -> Regie | None:
        """The regie a button is about, if it still asks this person, as it was when asked."""
        regie = await uow.regies.by_id(command.regie)
        if regie is None or regie.asked_id != user.id or regie.status not in LIVE:
            return None
        return regie if regie.version == command.version else None

    async def _keeper(self, uow: Work, viewer: User, regie: Regie) -> str:
        """Who holds the regie until someone accepts: the regisseur so far, else whoever asked."""
        who = regie.regisseur_id or regie.asked_by
        if who == viewer.id:
            return self.links.tr.render(viewer.locale, Msg(YOU))
        person = await uow.users.by_id(who) if who else None
        return person.display_name if person else self.links.tr.render(viewer.locale, Msg(NOBODY))

    async def refresh(self, uow: Work, regie: Regie) -> None:
        """The desks' summaries of the resident's open signals name the regie as it is now."""
        for signal in await uow.signals.by_resident(regie.resident_key):
            if signal.regie_id == regie.id and signal.status != Status.CLOSED:
                await self.desk.refresh(uow, signal)

    async def _say(self, uow: Work, user: User, msg: Msg) -> None:
        await self.links.say(uow, user, msg)
