"""Regie in one place for the catalogue: asking, answering, the card and its plan, closing, and the list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.domain.jobs import ChasePlanLine, RegieFollowUp
from bot.domain.regie_commands import AskRegie, ListRegie, OnPlanLine, OnRegie
from bot.domain.signal_commands import AskRegieForSignal
from bot.frontdesk.bus import Ctx, Handler, Reply
from bot.frontdesk.registry import FlowSpec
from bot.regie.asking import RegieAsking
from bot.regie.card import RegieCards
from bot.regie.listing import RegieList
from bot.regie.plan import RegiePlan
from flows.text import Msg
from storage.models import User
from storage.ports import Work


@dataclass
class RegieRoutes:
    asking: RegieAsking
    listing: RegieList
    plan: RegiePlan
    cards: RegieCards

    def flows(self) -> list[FlowSpec]:
        """Regie's conversations."""
        return [*self.asking.flows(), *self.plan.flows(), *self.cards.flows()]

    async def from_desk(self, ctx: Ctx, command: AskRegieForSignal) -> Msg | str:
        """🧭 Regie on a desk's summary."""
        return await self.asking.from_desk(ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id)

    async def ask(self, ctx: Ctx, command: AskRegie) -> None:
        """`/regie S-CODE`."""
        said = await self.asking.typed(ctx.uow, ctx.me, command.ref)
        if said:
            await ctx.say(said)

    async def show(self, ctx: Ctx, command: ListRegie) -> None:
        """`/regie`: always privately (it names regies and professionals)."""
        text, buttons = await self.listing.text(ctx.uow, ctx.me)
        await ctx.messenger.send(ctx.uow.outbox, ctx.me.telegram_id, text, buttons)

    @staticmethod
    def on_regie(move: Callable[[Work, User, OnRegie], Awaitable[Msg | str]]) -> Handler[OnRegie]:
        """A button on a regie, run for the person who pressed it."""

        async def run(ctx: Ctx, command: OnRegie) -> Reply:
            return await move(ctx.uow, ctx.me, command)

        return run

    @staticmethod
    def on_line(move: Callable[[Work, User, OnPlanLine], Awaitable[Msg | str]]) -> Handler[OnPlanLine]:
        """A button on a plan line, run for the person who pressed it."""

        async def run(ctx: Ctx, command: OnPlanLine) -> Reply:
            return await move(ctx.uow, ctx.me, command)

        return run

    async def chase(self, uow: Work, job: ChasePlanLine) -> None:
        """Due: a plan line past its date."""
        await self.plan.chasing.run(uow, job)

    async def follow_up(self, uow: Work, job: RegieFollowUp) -> None:
        """Due: four weeks after a regie closed."""
        await self.cards.follow_up(uow, job)
