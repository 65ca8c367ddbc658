"""One way in for every command: read the update, check what the catalogue says the command needs (a
registered person, a role, a private chat, a desk that may act on the signal), once, here; then run it.

The catalogue itself, the one table of what the bot can do, is in bot/app/catalogue.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Generic, Protocol, TypeVar

import structlog

from bot.domain.access import Person
from bot.domain.clock import Clock
from bot.domain.commands import Command, Tap
from bot.domain.incoming import Incoming, Sender
from bot.domain.outgoing import Opens, link
from bot.domain.region import Meldpunt, Region
from bot.domain.signal_commands import OnSignal
from bot.frontdesk import replies
from bot.frontdesk.reading import Reader
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.text import Msg
from storage.models import Signal, User
from storage.ports import Work

log = structlog.get_logger(__name__)
C = TypeVar("C", bound=Command)


class Chat(Enum):
    """ChatOf a command may be given."""

    ANY = "any"
    PRIVATE = "private"  # only in a private chat with the bot
    OWN_DESK = "own_desk"  # privately, or in the group of the desk the person works at


@dataclass(frozen=True)
class Needs:
    """What must hold before a command runs, and what a person hears when it does not."""

    registered: bool = True
    may: Callable[[Person], bool] | None = None
    refused: str = ""  # said when `may` does not hold
    chat: Chat = Chat.ANY
    elsewhere: str = replies.PRIVATE_ONLY_COMMAND  # said when the chat is not the right one
    desk: bool = False  # a desk's button on a signal: see DeskGate


@dataclass
class Ctx:
    """A command's circumstances: the unit of work, who sent it from where, and (for a desk's button) the
    desk and the signal it acts on. `user` is set for every command that needs a registered person."""

    uow: Work
    sender: Sender
    user: User | None
    tr: Translator
    messenger: Messenger
    language: Callable[[Sender, User | None], str]
    desk: Meldpunt | None = None
    signal: Signal | None = None

    @property
    def locale(self) -> str:
        """The chat's language, as it is now (a person may have just switched theirs)."""
        return self.language(self.sender, self.user)

    @property
    def me(self) -> User:
        """The registered person (the catalogue only runs such a command for one)."""
        if self.user is None:
            raise RuntimeError("a command that needs a registered person ran without one")
        return self.user

    @property
    def at_desk(self) -> tuple[Meldpunt, Signal]:
        """The desk and the signal a desk's button acts on (checked by the desk gate)."""
        if self.desk is None or self.signal is None:
            raise RuntimeError("a desk's command ran without its desk and signal")
        return self.desk, self.signal

    async def say(self, msg: Msg | str, opens: Opens = None, chat: int | None = None) -> None:
        """Answer in the chat the command came from (or in `chat`), in that chat's language."""
        text = self.tr.render(self.locale, msg if isinstance(msg, Msg) else Msg(msg))
        buttons = [[link(self.tr.render(self.locale, Msg(opens[0])), opens[1])]] if opens else None
        await self.messenger.send(self.uow.outbox, chat or self.sender.chat_id, text, buttons)


# What a handler answers a pressed button with: words to say in the presser's language (Msg), text made
# already, "" for no words; None from a desk's move means it no longer applied (the gate says "changed").
Reply = Msg | str | None
Handler = Callable[[Ctx, C], Awaitable[Reply]]


@dataclass(frozen=True)
class Entry(Generic[C]):
    needs: Needs
    run: Handler[C]


class DeskGate(Protocol):
    """The checks of a desk's button: the person works at the desk the button acts for, the signal went
    there, the button is current and the action is allowed now; then what follows any move."""

    async def check(
        self, uow: Work, user: User, chat_id: int, command: OnSignal
    ) -> tuple[Meldpunt, Signal] | Msg: ...

    async def moved(self, uow: Work, user: User, signal: Signal, answer: Reply) -> Reply: ...


@dataclass
class Bus:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    reader: Reader
    desks: DeskGate
    catalogue: Mapping[type[Command], Entry[Any]]
    default_locale: str = "nl"
    strangers: replies.Strangers = field(default_factory=replies.Strangers)

    async def serve(self, uow: Work, incoming: Incoming) -> str | None:
        """Act on one update; for a pressed button, the short answer to show on the person's screen."""
        command = self.reader.read(incoming)
        if command is None:
            return None
        entry = self.catalogue.get(type(command))
        if entry is None:  # the architecture test keeps every command in the catalogue
            raise LookupError(f"{type(command).__name__} is not in the catalogue")
        sender = incoming.sender
        user = await uow.sender(sender.telegram_id, sender.chat_id)
        user = user if user is not None and user.active else None
        ctx = Ctx(uow, sender, user, self.tr, self.messenger, self._locale)
        refusal = await self._refusal(ctx, entry.needs, command)
        if refusal is not None:
            return refusal or None
        answer = await entry.run(ctx, command)
        if isinstance(command, OnSignal):
            answer = await self.desks.moved(uow, ctx.me, ctx.at_desk[1], answer)
        if not isinstance(command, Tap):
            return None
        return self.tr.render(ctx.me.locale, answer) if isinstance(answer, Msg) else answer

    async def _refusal(self, ctx: Ctx, needs: Needs, command: Command) -> str | None:
        """None when the command may run; otherwise what the screen shows ("" for a message, said already)."""
        tap = isinstance(command, Tap)
        if needs.registered and ctx.user is None:
            if tap:
                return self.tr.render(ctx.locale, Msg(replies.NOT_REGISTERED))
            if ctx.sender.private and self.strangers.tell(ctx.sender.telegram_id, self.clock.now()):
                log.info("refused_unregistered")
                await ctx.say(replies.NOT_REGISTERED)
            return ""
        if needs.may is not None and ctx.user is not None and not needs.may(ctx.user):
            return await self._refuse(ctx, needs.refused, tap)
        if not self._right_chat(needs.chat, ctx):
            return await self._refuse(ctx, needs.elsewhere, tap)
        if needs.desk and isinstance(command, OnSignal):
            checked = await self.desks.check(ctx.uow, ctx.me, ctx.sender.chat_id, command)
            if isinstance(checked, Msg):
                return self.tr.render(ctx.me.locale, checked)
            ctx.desk, ctx.signal = checked
        return None

    async def _refuse(self, ctx: Ctx, msgid: str, tap: bool) -> str:
        if tap:  # shown to the one who pressed, in their language
            return self.tr.render(ctx.user.locale if ctx.user else ctx.locale, Msg(msgid))
        await ctx.say(msgid)
        return ""

    def _right_chat(self, chat: Chat, ctx: Ctx) -> bool:
        if chat is Chat.ANY or ctx.sender.private:
            return True
        if chat is Chat.PRIVATE:
            return False
        here = self.region.desk_for_chat(ctx.sender.chat_id)
        return here is not None and ctx.user is not None and here.id == ctx.user.meldpunt_id

    def _locale(self, sender: Sender, user: User | None) -> str:
        return replies.chat_locale(self.region, sender, user, self.default_locale)
