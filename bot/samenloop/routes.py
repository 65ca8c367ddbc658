"""Samenloop and the routeeroverleg in one place for the catalogue: the card's buttons, a desk asking others
in, a samenloop notice's button, and the deadline's due work."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.jobs import OverlegDue
from bot.domain.overleg_commands import AskAdvice, OnAdvice, OnOverleg, OverlegFromMatch
from bot.domain.signal_commands import StartOverleg
from bot.frontdesk.bus import Ctx, Handler, Reply
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.ladder import Climbing
from bot.samenloop.advice import Advice
from bot.samenloop.card import OverlegCards
from bot.samenloop.keys import MatchKeys
from bot.samenloop.overleg import Overleggen
from bot.samenloop.voting import Voting
from bot.signals.desk import DeskService
from bot.views.private import Private
from flows.text import Msg
from storage.models import User
from storage.ports import Work

T = TypeVar("T", bound=OnOverleg | OnAdvice)


@dataclass
class SamenloopRoutes:
    keys: MatchKeys
    overleggen: Overleggen
    voting: Voting
    advice: Advice

    @classmethod
    def build(
        cls, links: Private, runner: ConversationRunner, desk: DeskService, climbing: Climbing
    ) -> SamenloopRoutes:
        """Samenloop's parts, wired together."""
        keys = MatchKeys(links)
        overleggen = Overleggen(links, desk, climbing, OverlegCards(links))
        return cls(keys, overleggen, Voting(overleggen, runner, keys), Advice(links, runner))

    def flows(self) -> list[FlowSpec]:
        """The routeeroverleg's conversations."""
        return [*self.voting.flows(), *self.advice.flows()]

    @staticmethod
    def pressed(move: Callable[[Work, User, int, T], Awaitable[Msg | str]]) -> Handler[T]:
        """A button on an overleg card or an advice question, run for the person who pressed it, in the chat
        it was pressed in."""

        async def run(ctx: Ctx, command: T) -> Reply:
            return await move(ctx.uow, ctx.me, ctx.sender.chat_id, command)

        return run

    async def from_desk(self, ctx: Ctx, command: StartOverleg) -> Msg | str:
        """🤝 Overleg on a desk's summary."""
        return await self.voting.from_desk(ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id)

    async def from_match(self, ctx: Ctx, command: OverlegFromMatch) -> Msg:
        """🤝 Routeeroverleg on a samenloop notice."""
        return await self.voting.from_match(ctx.uow, ctx.me, command)

    async def ask_advice(self, ctx: Ctx, command: AskAdvice) -> None:
        """`/advies`."""
        said = await self.advice.begin(ctx.uow, ctx.me)
        if said:
            await ctx.say(said)

    async def due(self, uow: Work, job: OverlegDue) -> None:
        """Due: an overleg's time to decide ran out."""
        await self.overleggen.due(uow, job)
