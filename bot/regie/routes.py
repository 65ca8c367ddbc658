"""Regie in one place for the catalogue: asking, answering and the list."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.regie_commands import AskRegie, ListRegie, OnRegie
from bot.domain.signal_commands import AskRegieForSignal
from bot.frontdesk.bus import Ctx
from bot.frontdesk.registry import FlowSpec
from bot.regie.asking import RegieAsking
from bot.regie.listing import RegieList
from flows.text import Msg


@dataclass
class RegieRoutes:
    asking: RegieAsking
    listing: RegieList

    def flows(self) -> list[FlowSpec]:
        """Regie's conversations."""
        return self.asking.flows()

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
        text = await self.listing.text(ctx.uow, ctx.me)
        await ctx.messenger.send(ctx.uow.outbox, ctx.me.telegram_id, text)

    async def accept(self, ctx: Ctx, command: OnRegie) -> Msg | str:
        """Accepteren on a request."""
        return await self.asking.accept(ctx.uow, ctx.me, command)

    async def decline(self, ctx: Ctx, command: OnRegie) -> Msg | str:
        """Weigeren on a request."""
        return await self.asking.decline(ctx.uow, ctx.me, command)
