"""Setting up a waakvlam agreement and handing it to a contact person, who must accept it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.accounts.invites import fresh_code
from bot.accounts.persons import resident_key
from bot.domain import rhythm
from bot.domain.agreements import ACTIVE, LIVE, PROPOSED
from bot.domain.lifecycle import Status
from bot.domain.waakvlam_commands import AgreementAction
from bot.frontdesk.conversation import BUSY, ChatOf, ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.samenloop.keys import MatchKeys
from bot.signals.viewing import OPEN
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import WaakvlamBasis
from bot.waakvlam.options import agreement_options
from flows.engine import Answers, Completed, Context, Outcome
from flows.state import number
from flows.text import N_, Msg, Param
from flows.waakvlam import AGREEMENT, CHANGE_OWNER, NO_CATEGORY, NOTHING, rhythm_of
from storage.changes import AgreementChange
from storage.models import Agreement, Signal, User
from storage.ports import Work

SET_UP = N_("Waakvlam {ref} is vastgelegd. {owner} wordt gevraagd de waakvlam te houden.")
SET_UP_SELF = N_("Waakvlam {ref} is vastgelegd en loopt. De eerste vraag komt {first}.")
ASK_OWNER = N_("{by} vraagt u de waakvlam te houden:\n\n{agreement}")
ACCEPT, DECLINE = N_("Accepteren"), N_("Weigeren")
ACCEPTED = N_("U houdt nu waakvlam {ref}. De eerste vraag komt {first}.")
ACCEPTED_CHANGE = N_("U houdt nu waakvlam {ref}.")
TOLD_ACCEPTED = N_("{name} heeft waakvlam {ref} geaccepteerd.")
DECLINED = N_("U heeft waakvlam {ref} geweigerd. De aanvrager hoort het.")
TOLD_DECLINED = N_("{name} houdt waakvlam {ref} niet. Kies een andere contactpersoon via /waakvlammen.")
GONE = N_("Dit verzoek staat niet meer open.")
NOT_ALLOWED = N_("Een waakvlam vastleggen kunnen coördinatoren en meldpuntmedewerkers.")
PRIVATE_ONLY = N_("Een waakvlam vastleggen kan alleen in een privégesprek met de bot.")
GO_PRIVATE = N_("Leg de waakvlam vast in uw privégesprek met de bot.")
ALREADY = N_("Voor dit signaal loopt al waakvlam {ref}.")
OWNER_LEFT = N_(
    "{name} is gedeactiveerd. Waakvlam {ref} ({gemeente}) heeft een nieuwe contactpersoon nodig; "
    "tot dan krijgt u de check-ins."
)
CHOOSE_OWNER = N_("Contactpersoon kiezen")
NO_FIRST = N_("niet: de waakvlam is al afgelopen")


@dataclass
class AgreementSetup:
    basis: WaakvlamBasis
    runner: ConversationRunner
    checkins: CheckIns
    index_key: bytes
    keys: MatchKeys | None = None  # samenloop's match keys (bot/samenloop); none in some tests

    def flows(self) -> list[FlowSpec]:
        """The set-up and change-of-contact-person conversations."""
        return [
            FlowSpec(AGREEMENT, self.on_outcome, self.context),
            FlowSpec(CHANGE_OWNER, self.on_owner_chosen, self.context),
        ]

    async def begin(self, uow: Work, user: User, chat_id: int) -> None:
        """`/waakvlam` privately: start the set-up flow for a resident (linked to an earlier signal, if any)."""
        where = ChatOf(user, user.telegram_id)
        if await self.runner.current(uow, where) is not None:
            await self.basis.messenger.send(uow.outbox, chat_id, self.basis.tr.render(user.locale, Msg(BUSY)))
            return
        await self.runner.start(uow, where, AGREEMENT.id)

    async def from_signal(self, uow: Work, user: User, desk_id: str, signal: Signal) -> Msg:
        """The closing desk's "Waakvlam starten": the same flow, with the signal's resident and desk filled in."""
        existing = await uow.agreements.of_signal(signal.id)
        if existing is not None and existing.status in LIVE:
            return Msg(ALREADY, {"ref": existing.ref})
        seed: Answers = {
            "resident_ref": signal.resident_ref,
            "gemeente": signal.gemeente,
            "signal": str(signal.id),
            "default_desk": desk_id,
        }
        where = ChatOf(user, user.telegram_id)
        if await self.runner.current(uow, where) is not None:
            return Msg(BUSY)
        await self.runner.start(uow, where, AGREEMENT.id, seed)
        return Msg(GO_PRIVATE)

    async def context(self, uow: Work, user: User, answers: Answers) -> Context:
        """The options the set-up asks from: this person's gemeenten, colleagues and desks."""
        return await agreement_options(self.basis, uow, user, answers)

    async def on_outcome(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The set-up confirmed: store the agreement and ask the chosen contact person to accept."""
        if not isinstance(outcome, Completed):
            return
        a = outcome.answers
        owner = await uow.users.by_id(number(a, "owner"))
        now = self.basis.clock.now()
        resident = str(a["resident_ref"])
        key = resident_key(self.index_key, resident)
        gemeente = str(a["gemeente"])
        signal_id = number(a, "signal") if "signal" in a else await self._earlier_signal(uow, key, gemeente)
        cats = [c for c in a.get("sign_categories", []) if c != NO_CATEGORY]
        signs = str(a.get("signs", "")).strip()
        end = rhythm.add_months(self.basis.today(), number(a, "months"))
        agreement = await uow.agreements.add(
            Agreement(
                ref=await fresh_code("W-", uow.agreements.by_ref),
                signal_id=signal_id,
                resident_ref=resident,
                resident_key=key,
                gemeente=gemeente,
                status=PROPOSED,
                version=0,
                proposed_owner_id=owner.id if owner else None,
                proposed_by=user.id,
                rhythm=rhythm.Rhythm.read(rhythm_of(a)),
                end_on=end,
                warning_categories=cats,
                warning_signs="" if signs == NOTHING else signs,
                return_desk=str(a["return_desk"]),
                no_contact_streak=0,
                at_risk=False,
                created_by=user.id,
                created_at=now,
            ),
            user.id,
            now,
        )
        await record(uow, self.basis.clock, "waakvlam_set_up", actor=user, subject=agreement.ref)
        if self.keys is not None:  # a samenloop match key, as its pseudonyms (bot/samenloop)
            await self.keys.given(
                uow, user, a.get("match_key"), gemeente, code=agreement.ref, agreement_id=agreement.id
            )
        if owner is None or not owner.active:
            await self.basis.send(uow, user, Msg(GONE))
            return
        if owner.id == user.id:
            await self.accept(uow, user, agreement, quiet=True)
            return
        await self.basis.send(uow, user, Msg(SET_UP, {"ref": agreement.ref, "owner": owner.display_name}))
        await self.ask_owner(uow, user, owner, agreement)

    async def ask_owner(self, uow: Work, by: User, owner: User, agreement: Agreement) -> None:
        """Ask the proposed contact person to take the agreement on (with Accepteren and Weigeren)."""
        text = await self.basis.describe(uow, owner.locale, agreement)
        b = self.basis.button
        buttons = [
            [
                b(owner, ACCEPT, AgreementAction.ACCEPT, agreement.id, agreement.version),
                b(owner, DECLINE, AgreementAction.DECLINE, agreement.id, agreement.version),
            ]
        ]
        buttons += self.runner.forms.opens(self.basis.tr.render(owner.locale, Msg(OPEN)), agreement.ref)
        await self.basis.send(
            uow, owner, Msg(ASK_OWNER, {"by": f"{by.display_name} ({by.org})", "agreement": text}), buttons
        )

    async def accept(
        self,
        uow: Work,
        user: User,
        agreement: Agreement,
        quiet: bool = False,
        message_id: int | None = None,
    ) -> Msg | str:
        """The proposed contact person takes it on; a first acceptance starts the check-ins."""
        if agreement.proposed_owner_id != user.id or agreement.status not in LIVE:
            return Msg(GONE)
        before = await uow.users.by_id(agreement.owner_id) if agreement.owner_id else None
        starting = agreement.status == PROPOSED
        now = self.basis.clock.now()
        await uow.agreements.change(
            agreement,
            owner_id=user.id,
            proposed_owner_id=None,
            status=ACTIVE if starting else agreement.status,
        )
        await uow.agreements.event(agreement.id, now, user.id, "accepted")
        await record(uow, self.basis.clock, "waakvlam_accepted", actor=user, subject=agreement.ref)
        first = None
        if starting:
            checkin = await self.checkins.plan_next(uow, agreement, self.basis.today())
            first = checkin.due_at if checkin else None
            await self.checkins.plan_end(uow, agreement)
        elif agreement.status == ACTIVE and await self.checkins.next_due(uow, agreement) is None:
            await self.checkins.plan_next(uow, agreement, self.basis.today())
        shown = (
            self.basis.tr.moment(user.locale, first)
            if first
            else self.basis.tr.render(user.locale, Msg(NO_FIRST))
        )
        msg = Msg(
            SET_UP_SELF if quiet else ACCEPTED if starting else ACCEPTED_CHANGE,
            {"ref": agreement.ref, "first": shown},
        )
        # The holder keeps the request's context: who, where, the signs, the desk and the linked signal.
        context = await self.basis.describe(uow, user.locale, agreement)
        text = f"{self.basis.tr.render(user.locale, msg)}\n\n{context}"
        opens = self.runner.forms.opens(self.basis.tr.render(user.locale, Msg(OPEN)), agreement.ref)
        if message_id is not None:
            await self.basis.messenger.edit(uow.outbox, user.telegram_id, message_id, text, opens)
        else:
            await self.basis.messenger.send(uow.outbox, user.telegram_id, text, opens)
        told = {user.id}
        for person in [await uow.users.by_id(agreement.proposed_by or 0), before]:
            if person is not None and person.active and person.id not in told:
                told.add(person.id)
                await self.basis.send(
                    uow, person, Msg(TOLD_ACCEPTED, {"name": user.display_name, "ref": agreement.ref})
                )
        return ""

    async def decline(self, uow: Work, user: User, agreement: Agreement, message_id: int) -> Msg | str:
        """The proposed contact person declines; whoever proposed hears it."""
        if agreement.proposed_owner_id != user.id or agreement.status not in LIVE:
            return Msg(GONE)
        await uow.agreements.change(agreement, proposed_owner_id=None)
        await uow.agreements.event(agreement.id, self.basis.clock.now(), user.id, "declined")
        await record(uow, self.basis.clock, "waakvlam_declined", actor=user, subject=agreement.ref)
        text = self.basis.tr.render(user.locale, Msg(DECLINED, {"ref": agreement.ref}))
        await self.basis.messenger.edit(uow.outbox, user.telegram_id, message_id, text, [])
        people = await uow.users.coordinators_of(agreement.gemeente)
        by = await uow.users.by_id(agreement.proposed_by or 0)
        if by is not None and by.active and by.id not in {p.id for p in people}:
            people.insert(0, by)
        for person in people:
            await self.basis.send(
                uow, person, Msg(TOLD_DECLINED, {"name": user.display_name, "ref": agreement.ref})
            )
        return ""

    async def change_owner(self, uow: Work, user: User, agreement: Agreement) -> Msg | str:
        """A coordinator picks a new contact person (a short flow); the old one keeps it until acceptance."""
        where = ChatOf(user, user.telegram_id)
        seed: Answers = {"agreement": str(agreement.id), "gemeente": agreement.gemeente}
        if await self.runner.current(uow, where) is not None:
            return Msg(BUSY)
        await self.runner.start(uow, where, CHANGE_OWNER.id, seed)
        return ""

    async def on_owner_chosen(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A coordinator chose a new contact person: propose it to them."""
        if not isinstance(outcome, Completed):
            return
        agreement = await uow.agreements.by_id(number(outcome.answers, "agreement"))
        owner = await uow.users.by_id(number(outcome.answers, "owner"))
        if agreement is None or owner is None or not owner.active or agreement.status not in LIVE:
            await self.basis.send(uow, user, Msg(GONE))
            return
        await uow.agreements.change(agreement, proposed_owner_id=owner.id, proposed_by=user.id)
        await uow.agreements.event(agreement.id, self.basis.clock.now(), user.id, "owner_proposed")
        if owner.id == user.id:
            await self.accept(uow, user, agreement)
            return
        await self.basis.send(uow, user, Msg(SET_UP, {"ref": agreement.ref, "owner": owner.display_name}))
        await self.ask_owner(uow, user, owner, agreement)

    async def owner_left(self, uow: Work, person: User) -> int:
        """A deactivated professional's agreements go to the coordinators for re-assignment."""
        held = await uow.agreements.held_by(person.id, LIVE)
        for agreement in held:
            values: AgreementChange = {}
            if agreement.owner_id == person.id:
                values["owner_id"] = None
            if agreement.proposed_owner_id == person.id:
                values["proposed_owner_id"] = None
            await uow.agreements.change(agreement, **values)
            await uow.agreements.event(agreement.id, self.basis.clock.now(), None, "owner_left")
            for c in await uow.users.coordinators_of(agreement.gemeente):
                if c.id == person.id:
                    continue
                params: dict[str, Param] = {
                    "name": person.display_name,
                    "ref": agreement.ref,
                    "gemeente": self.basis.gemeente(agreement),
                }
                buttons = [
                    [
                        self.basis.button(
                            c, CHOOSE_OWNER, AgreementAction.CHANGE_OWNER, agreement.id, agreement.version
                        )
                    ]
                ]
                await self.basis.send(uow, c, Msg(OWNER_LEFT, params), buttons)
        return len(held)

    async def _earlier_signal(self, uow: Work, key: str, gemeente: str) -> int | None:
        """Link a coordinator's new agreement to the resident's latest signal in that gemeente, if any."""
        signals = [s for s in await uow.signals.by_resident(key) if s.gemeente == gemeente]
        closed = [s for s in signals if s.status == Status.CLOSED] or signals
        return max(closed, key=lambda s: s.created_at).id if closed else None
