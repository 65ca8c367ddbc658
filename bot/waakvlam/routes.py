"""The waakvlam side of the bot in one place for the catalogue: its buttons and its flows."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.waakvlam_commands import AnswerCheckIn, OnAgreement
from bot.frontdesk.bus import Ctx, Handler, Reply
from bot.frontdesk.registry import FlowSpec
from bot.waakvlam.answers import CheckInAnswers
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import WaakvlamBasis
from bot.waakvlam.setup import GONE, AgreementSetup
from bot.waakvlam.stewardship import Stewardship
from flows.text import N_, Msg
from storage.models import Agreement, User
from storage.ports import Work

INVALID = N_("Deze knop is niet (meer) geldig.")
# What a button does to an agreement once it is found and allowed: None when it no longer applies.
Move = Callable[[Work, User, Agreement, int], Awaitable[Reply]]


@dataclass
class WaakvlamRoutes:
    basis: WaakvlamBasis
    checkins: CheckIns
    setup: AgreementSetup
    answers: CheckInAnswers
    stewardship: Stewardship

    def flows(self) -> list[FlowSpec]:
        """The waakvlam's conversations: set-up, a worried answer, and the coordinators' changes."""
        return [*self.setup.flows(), *self.answers.flows(), *self.stewardship.flows()]

    async def answer_checkin(self, ctx: Ctx, command: AnswerCheckIn) -> Msg | str:
        """A contact person's tap on a check-in question."""
        return await self.answers.press(ctx.uow, ctx.me, command.answer, command.checkin, command.message_id)

    def proposal(self, move: Move) -> Handler[OnAgreement]:
        """The proposed contact person's yes or no, on the agreement as it was proposed."""

        async def run(ctx: Ctx, command: OnAgreement) -> Reply:
            agreement = await self._agreement(ctx, command)
            if isinstance(agreement, Msg):
                return agreement
            if command.version != agreement.version:
                return Msg(GONE)
            return await move(ctx.uow, ctx.me, agreement, command.message_id)

        return run

    def steward(self, move: Move) -> Handler[OnAgreement]:
        """A coordinator's button on an agreement (or, for extend and stop, its contact person's)."""

        async def run(ctx: Ctx, command: OnAgreement) -> Reply:
            agreement = await self._agreement(ctx, command)
            if isinstance(agreement, Msg):
                return agreement
            refused = await self.stewardship.may(ctx.uow, ctx.me, command, agreement)
            if refused is not None:
                return refused
            answer = await move(ctx.uow, ctx.me, agreement, command.message_id)
            return answer if answer is not None else Msg(GONE)

        return run

    async def _agreement(self, ctx: Ctx, command: OnAgreement) -> Agreement | Msg:
        agreement = await ctx.uow.agreements.by_id(command.agreement)
        if agreement is None:
            await record(ctx.uow, self.basis.clock, "callback_refused", actor=ctx.me)
            return Msg(INVALID)
        return agreement
