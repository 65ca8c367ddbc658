"""Regie in one place for the catalogue: asking, answering, the card and its plan, closing, the list, and the
escalation ladder."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from bot.domain.jobs import ChasePlanLine, EscalationDue, RegieFollowUp, SendReminder
from bot.domain.regie_commands import (
    AskRegie,
    ListRegie,
    OnEscalation,
    OnPlanLine,
    OnRegie,
    RemindMe,
    ScaleUp,
)
from bot.domain.signal_commands import AskRegieForSignal
from bot.frontdesk.bus import Ctx, Handler, Reply
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.regie.asking import RegieAsking
from bot.regie.card import RegieCards
from bot.regie.chasing import LineChase
from bot.regie.deciding import Deciding
from bot.regie.ladder import Climbing
from bot.regie.links import RegieLinks
from bot.regie.listing import RegieList
from bot.regie.named import Named
from bot.regie.plan import RegiePlan
from bot.regie.reminders import Reminders
from bot.samenloop.keys import MatchKeys
from bot.signals.asked_privately import AskPrivately
from bot.signals.desk import DeskService
from bot.signals.viewing import Viewing
from bot.waakvlam.setup import AgreementSetup
from flows.text import Msg
from storage.models import User
from storage.ports import Work

T = TypeVar("T", OnRegie, OnPlanLine, OnEscalation)


@dataclass
class RegieRoutes:
    asking: RegieAsking
    listing: RegieList
    plan: RegiePlan
    cards: RegieCards
    climbing: Climbing
    deciding: Deciding
    reminders: Reminders

    @classmethod
    def build(
        cls,
        links: RegieLinks,
        runner: ConversationRunner,
        ask: AskPrivately,
        desk: DeskService,
        viewing: Viewing,
        climbing: Climbing,
        reminders: Reminders,
        setup: AgreementSetup,
        keys: MatchKeys | None = None,
    ) -> RegieRoutes:
        """Regie's parts, wired together (the ladder is built first: the signals' chases climb it too)."""
        asking = RegieAsking(runner, ask, desk, viewing, links, keys)
        named = Named(links)
        return cls(
            asking,
            RegieList(links, reminders),
            RegiePlan(links, runner, LineChase(links, climbing, named), named),
            RegieCards(links, runner, asking.refresh),
            climbing,
            Deciding(links, runner, climbing, setup),
            reminders,
        )

    def flows(self) -> list[FlowSpec]:
        """Regie's conversations."""
        parts = (self.asking, self.plan, self.cards, self.climbing, self.deciding, self.reminders)
        return [spec for part in parts for spec in part.flows()]

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
    def pressed(move: Callable[[Work, User, T], Awaitable[Msg | str]]) -> Handler[T]:
        """A regie, plan-line or escalation button, run for the person who pressed it."""

        async def run(ctx: Ctx, command: T) -> Reply:
            return await move(ctx.uow, ctx.me, command)

        return run

    async def scale_up(self, ctx: Ctx, command: ScaleUp) -> None:
        """`/opschalen CODE`."""
        said = await self.climbing.typed(ctx.uow, ctx.me, command.ref)
        if said:
            await ctx.say(said)

    async def remind(self, ctx: Ctx, command: RemindMe) -> None:
        """`/herinner CODE`."""
        said = await self.reminders.begin(ctx.uow, ctx.me, command.ref)
        if said:
            await ctx.say(said)

    async def reminder_due(self, uow: Work, job: SendReminder) -> None:
        """Due: a reminder someone set."""
        await self.reminders.send(uow, job)

    async def escalation_due(self, uow: Work, job: EscalationDue) -> None:
        """Due: an escalation's rung ran out of time."""
        await self.climbing.due(uow, job)

    async def chase(self, uow: Work, job: ChasePlanLine) -> None:
        """Due: a plan line past its date."""
        await self.plan.chasing.run(uow, job)

    async def follow_up(self, uow: Work, job: RegieFollowUp) -> None:
        """Due: four weeks after a regie closed."""
        await self.cards.follow_up(uow, job)
