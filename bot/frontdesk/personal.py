"""What a person asks by typing: register, file, look something up, answer, list, switch language; and the
conversation's own inputs (text, a chosen button, /terug, /cancel). The catalogue has checked who may ask
and where before any of these runs."""

from __future__ import annotations

from dataclasses import dataclass

import structlog

from bot.accounts.audit import record
from bot.accounts.registration import Registration
from bot.domain.clock import Clock
from bot.domain.commands import (
    AnswerLater,
    Back,
    Cancel,
    Choose,
    Deactivate,
    FileSignal,
    Fill,
    ForgedButton,
    Help,
    ListMine,
    ListOpen,
    ListWaakvlammen,
    OpenRegiobeeld,
    Reply,
    SetLanguage,
    SetUpWaakvlam,
    ShowSignal,
    Start,
    Unsupported,
)
from bot.domain.incoming import chat_kind
from bot.domain.signal_commands import ReadSignal
from bot.forms.links import FormLinks
from bot.frontdesk import replies
from bot.frontdesk.bus import Ctx
from bot.frontdesk.conversation import ChatOf, ConversationRunner
from bot.regiobeeld.access import OPEN_REGIOBEELD, Links
from bot.signals.info_requests import InfoRequests
from bot.signals.intake import IntakeService
from bot.signals.viewing import OPEN, Viewing
from bot.signals.werkvoorraad import Werkvoorraad
from bot.waakvlam.setup import AgreementSetup
from bot.waakvlam.stewardship import Stewardship
from flows import engine
from flows.intake import INTAKE
from flows.text import N_, Msg

log = structlog.get_logger(__name__)
READ_PRIVATELY = N_("Lees het in uw privégesprek met de bot: tik daar op 📄 Openen.")


@dataclass
class Personal:
    clock: Clock
    conversations: ConversationRunner
    intake: IntakeService
    viewing: Viewing
    registration: Registration
    regiobeeld: Links
    werkvoorraad: Werkvoorraad
    info: InfoRequests
    setup: AgreementSetup
    stewardship: Stewardship
    forms: FormLinks

    async def start(self, ctx: Ctx, cmd: Start) -> None:
        """Register with an invite code, or greet someone who is already registered."""
        if not cmd.code:
            await ctx.say(replies.help_for(ctx.user) if ctx.user else replies.NOT_REGISTERED)
            return
        await ctx.say(await self.registration.redeem(ctx.uow, ctx.sender, cmd.code, ctx.locale))

    async def show_signal(self, ctx: Ctx, cmd: ShowSignal) -> None:
        """Show one signal to whoever may see it: in the chat its code and status, and a button to the page on
        the region's server where its text is read."""
        await self._headline(ctx, cmd.ref, ctx.sender.chat_id)

    async def read_signal(self, ctx: Ctx, cmd: ReadSignal) -> Msg:
        """📄 Lezen in a desk's group: the same as `/signaal REF`, in the presser's private chat."""
        await self._headline(ctx, ctx.at_desk[1].ref, ctx.me.telegram_id)
        return Msg(READ_PRIVATELY)

    async def _headline(self, ctx: Ctx, ref: str, chat_id: int) -> None:
        text, shown, contact = await self.viewing.headline(ctx.uow, ctx.me, ref)
        label = ctx.tr.render(ctx.me.locale, Msg(OPEN))
        opens = self.forms.opens(label, ref.strip().upper()) if shown is not None else []
        for row_id in await ctx.messenger.send_parts(ctx.uow.outbox, chat_id, text, opens + contact):
            if shown is not None:
                await ctx.uow.signals.shown(shown, chat_id, row_id)

    async def file_signal(self, ctx: Ctx, cmd: FileSignal) -> None:
        """Start or resume the intake, unless another short flow (an answer to a desk) is open."""
        where = ChatOf(ctx.me, ctx.sender.chat_id)
        loaded = await self.conversations.current(ctx.uow, where)
        if loaded is not None and loaded.state.flow != INTAKE.id:
            await ctx.say(replies.BUSY_ELSEWHERE)
            await self.conversations.feed(ctx.uow, where, loaded, engine.Resume())
            return
        await self.intake.begin(ctx.uow, where)

    async def list_open(self, ctx: Ctx, cmd: ListOpen) -> None:
        """The open signals of the person's desk, privately or in that desk's own group."""
        listing = await self.werkvoorraad.open_list(ctx.uow, ctx.me, ctx.locale)
        await ctx.messenger.send(ctx.uow.outbox, ctx.sender.chat_id, listing)

    async def answer_later(self, ctx: Ctx, cmd: AnswerLater) -> None:
        """Answer a desk's open question about one's own signal."""
        await self.info.answer_later(ctx.uow, ctx.me, cmd.ref)

    async def list_mine(self, ctx: Ctx, cmd: ListMine) -> None:
        """The signals this person filed, always in their private chat."""
        listing = await self.viewing.mine(ctx.uow, ctx.me)
        await ctx.messenger.send(ctx.uow.outbox, ctx.me.telegram_id, listing)

    async def set_up_waakvlam(self, ctx: Ctx, cmd: SetUpWaakvlam) -> None:
        """Start setting up a waakvlam agreement."""
        await self.setup.begin(ctx.uow, ctx.me, ctx.sender.chat_id)

    async def list_waakvlammen(self, ctx: Ctx, cmd: ListWaakvlammen) -> None:
        """A coordinator's agreements, privately (the list names residents' references)."""
        text, buttons = await self.stewardship.overview(ctx.uow, ctx.me)
        await ctx.messenger.send(ctx.uow.outbox, ctx.me.telegram_id, text, buttons)

    async def deactivate(self, ctx: Ctx, cmd: Deactivate) -> None:
        """Switch a professional off: by Telegram id at once, or chosen by name."""
        said = await self.registration.command(ctx.uow, ctx.me, cmd.name, ctx.sender.chat_id)
        if said is not None:
            await ctx.say(said)

    async def open_regiobeeld(self, ctx: Ctx, cmd: OpenRegiobeeld) -> None:
        """A personal link to the regional page, privately."""
        msg, url = await self.regiobeeld.ask(ctx.uow, ctx.me, ctx.sender.private)
        await ctx.say(msg, opens=(OPEN_REGIOBEELD, url) if url else None)

    async def help(self, ctx: Ctx, cmd: Help) -> None:
        """What this person may do, and nothing they may not."""
        await ctx.say(replies.help_for(ctx.me))

    async def set_language(self, ctx: Ctx, cmd: SetLanguage) -> None:
        """Switch the person's language for everything the bot says from now on."""
        await ctx.say(self.registration.set_language(ctx.me, cmd.choice))

    async def unsupported(self, ctx: Ctx, cmd: Unsupported) -> None:
        """Answer photos, stickers and voice notes kindly; the conversation stays as it is."""
        await ctx.say(replies.UNSUPPORTED)

    async def reply(self, ctx: Ctx, cmd: Reply) -> None:
        """Typed text, privately: the answer to a question the chat may carry (a number of days, part of a
        name to find); anything else may be about a resident, so it is deleted unread and stored as the
        update's id alone, and the person is pointed to the form. In a group, text is left alone."""
        if not ctx.sender.private:
            return
        where = ChatOf(ctx.me, ctx.sender.chat_id)
        state = await self.conversations.current(ctx.uow, where)
        if state is not None and self.conversations.takes_text(state.state):
            await self.conversations.feed(ctx.uow, where, state, engine.Text(cmd.text), ctx.sender.message_id)
            return
        ctx.uow.forget_input = True
        if ctx.sender.message_id is not None:
            await ctx.messenger.erase(
                ctx.uow.outbox, ctx.sender.chat_id, "", message_id=ctx.sender.message_id
            )
        if state is None:
            await ctx.say(replies.TEXT_REMOVED)
        else:  # the flow says where the answer goes: the form, or a button
            await self.conversations.feed(ctx.uow, where, state, engine.Text(""))

    async def fill(self, ctx: Ctx, cmd: Fill) -> str:
        """A form on the region's server was sent: its text answers the question on screen, once; "" when it
        was taken, else why not (the form page shows it)."""
        where = ChatOf(ctx.me, ctx.sender.chat_id)
        state = await self.conversations.current(ctx.uow, where)
        if state is None:
            return ctx.tr.render(ctx.me.locale, Msg(replies.EXPIRED))
        filled = engine.Filled(cmd.version, cmd.text, cmd.choice, cmd.reason)
        return await self.conversations.feed(ctx.uow, where, state, filled) or ""

    async def cancel(self, ctx: Ctx, cmd: Cancel) -> None:
        """Stop the current conversation."""
        await self._flow(ctx, engine.Cancel(), replies.NOTHING_TO_CANCEL)

    async def back(self, ctx: Ctx, cmd: Back) -> None:
        """Go one question back."""
        await self._flow(ctx, engine.Back(), replies.NOTHING_TO_GO_BACK)

    async def choose(self, ctx: Ctx, cmd: Choose) -> str:
        """A conversation's button; the short answer on screen."""
        where = ChatOf(ctx.me, ctx.sender.chat_id, cmd.message_id)
        state = await self.conversations.current(ctx.uow, where)
        if state is None:
            return ctx.tr.render(ctx.me.locale, Msg(replies.EXPIRED))
        pressed = engine.Press(cmd.version, cmd.value)
        return await self.conversations.feed(ctx.uow, where, state, pressed) or ""

    async def forged(self, ctx: Ctx, cmd: ForgedButton) -> str:
        """Button data that is not ours or not for this chat: refused, noted, never raised."""
        log.warning("callback_refused", chat_kind=chat_kind(ctx.sender.chat_id))
        await record(ctx.uow, self.clock, "callback_refused", actor=ctx.me)
        return ctx.tr.render(ctx.me.locale, Msg(replies.BUTTON_INVALID))

    async def _flow(self, ctx: Ctx, inp: engine.Input, idle: str) -> None:
        where = ChatOf(ctx.me, ctx.sender.chat_id)
        state = await self.conversations.current(ctx.uow, where)
        if state is None:
            await ctx.say(idle)
            return
        await self.conversations.feed(ctx.uow, where, state, inp)
