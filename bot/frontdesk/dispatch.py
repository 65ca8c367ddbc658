"""The one entry point transport adapters call: every update becomes exactly one service call here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import structlog

from bot.accounts.audit import record
from bot.accounts.registration import Registration
from bot.domain.access import can_file
from bot.domain.actions import DESK, WAAKVLAM, CallbackCodec
from bot.domain.clock import Clock
from bot.domain.commands import Command, Other, Sender, Tapped, Typed, chat_kind, parse_command
from bot.domain.outgoing import Opens, link
from bot.domain.region import Region
from bot.frontdesk import replies
from bot.frontdesk.conversation import ConversationRunner, Where
from bot.regiobeeld.access import OPEN_REGIOBEELD, Links
from bot.signals.desk_buttons import DeskButtons
from bot.signals.info_requests import InfoRequests
from bot.signals.intake import IntakeService
from bot.signals.viewing import Viewing
from bot.signals.werkvoorraad import Werkvoorraad
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from bot.waakvlam.routes import WaakvlamRoutes
from bot.waakvlam.setup import PRIVATE_ONLY as WAAKVLAM_PRIVATE_ONLY
from flows import engine
from flows.intake import INTAKE
from flows.text import Msg
from storage.models import User
from storage.ports import Work

log = structlog.get_logger(__name__)


@dataclass
class FrontDesk:
    region: Region
    tr: Translator
    codec: CallbackCodec
    clock: Clock
    messenger: Messenger
    conversations: ConversationRunner
    intake: IntakeService
    viewing: Viewing
    accounts: Registration
    regiobeeld: Links
    desk_buttons: DeskButtons
    werkvoorraad: Werkvoorraad
    info: InfoRequests
    waakvlam: WaakvlamRoutes
    default_locale: str = "nl"
    strangers: replies.Strangers = field(default_factory=replies.Strangers)

    async def serve(self, uow: Work, command: Command) -> str | None:
        """Act on one command; for a pressed button, the short answer to show on the person's screen."""
        if isinstance(command, Tapped):
            return await self.on_press(uow, command.sender, command.message_id, command.data)
        if isinstance(command, Other):
            await self.on_unsupported(uow, command.sender)
            return None
        await self._typed(uow, command)
        return None

    async def _typed(self, uow: Work, command: Typed) -> None:
        """A command, or the answer to the current question; another bot's command is left to it."""
        sender, parsed = command.sender, parse_command(command.text)
        if parsed is None:
            await self.on_text(uow, sender, command.text)
            return
        name, mention, args = parsed
        if mention is not None and mention.lower() != command.bot_username.lower():
            return
        if name in WITH_ARGS:
            await WITH_ARGS[name](self, uow, sender, args)
        elif name in PLAIN:
            await PLAIN[name](self, uow, sender)
        else:
            await self.on_help(uow, sender)

    async def on_start(self, uow: Work, sender: Sender, code: str | None) -> None:
        """Register with an invite code, or greet someone who is already registered."""
        user = await self._user(uow, sender)
        if not code:
            await self._say(uow, sender, replies.help_for(user) if user else replies.NOT_REGISTERED, user)
            return
        await self._say(
            uow, sender, await self.accounts.redeem(uow, sender, code, self._locale(sender, None)), user
        )

    async def on_signal(self, uow: Work, sender: Sender, ref: str | None = None) -> None:
        """Start or resume the intake; with a reference, show that signal to whoever may see it."""
        if (user := await self._member(uow, sender)) is None:
            return
        if ref and ref.strip():
            # Details carry free text: only in a private chat, never in a desk group.
            if not sender.private:
                await self._say(uow, sender, replies.PRIVATE_ONLY_DETAILS, user)
                return
            text, shown, contact = await self.viewing.details(uow, user, ref)
            for row_id in await self.messenger.send_parts(uow.outbox, sender.chat_id, text, contact):
                if shown is not None:
                    await uow.signals.shown(shown, sender.chat_id, row_id)
            return
        if not can_file(user):
            await self._say(uow, sender, replies.NOT_FOR_ROLE, user)
            return
        if not sender.private:
            await self._say(uow, sender, replies.PRIVATE_ONLY, user)
            return
        where = Where(user, sender.chat_id)
        loaded = await self.conversations.current(uow, where)
        if loaded is not None and loaded.state.flow != INTAKE.id:
            # Another short flow (an answer to a desk) is open: finish or cancel that first.
            await self._say(uow, sender, replies.BUSY_ELSEWHERE, user)
            await self.conversations.feed(uow, where, loaded, engine.Resume())
            return
        await self.intake.begin(uow, where)

    async def on_open(self, uow: Work, sender: Sender) -> None:
        """List the open signals of the desk this person works for: privately, or in that desk's own group."""
        if (user := await self._member(uow, sender)) is None:
            return
        here = None if sender.private else self.region.desk_for_chat(sender.chat_id)
        if not sender.private and (here is None or here.id != user.meldpunt_id):
            await self._say(uow, sender, replies.OWN_DESK_ONLY, user)
            return
        listing = await self.werkvoorraad.open_list(uow, user, self._locale(sender, user))
        await self.messenger.send(uow.outbox, sender.chat_id, listing)

    async def on_answer(self, uow: Work, sender: Sender, ref: str | None) -> None:
        """`/antwoord REF`: answer a desk's open question about one's own signal."""
        if (user := await self._member(uow, sender)) is None:
            return
        if sender.private:
            await self.info.answer_later(uow, user, ref or "")
        else:
            await self._say(uow, sender, replies.PRIVATE_ONLY_ANSWER, user)

    async def on_mine(self, uow: Work, sender: Sender) -> None:
        """List the signals this person filed."""
        user = await self._member(uow, sender)
        if user is not None:
            chat = sender.chat_id if sender.private else sender.telegram_id
            await self.messenger.send(uow.outbox, chat, await self.viewing.mine(uow, user))

    async def on_waakvlam(self, uow: Work, sender: Sender) -> None:
        """`/waakvlam`: set up a waakvlam agreement."""
        if (user := await self._member(uow, sender)) is None:
            return
        if sender.private:
            await self.waakvlam.setup.begin(uow, user, sender.chat_id)
        else:  # answered in the desk's language, as everything said in a group
            await self._say(uow, sender, WAAKVLAM_PRIVATE_ONLY, user)

    async def on_waakvlammen(self, uow: Work, sender: Sender) -> None:
        """`/waakvlammen`: a coordinator's list of agreements, privately (it names residents' references)."""
        if (user := await self._member(uow, sender)) is None:
            return
        text, buttons = await self.waakvlam.stewardship.overview(uow, user)
        chat = sender.chat_id if sender.private else sender.telegram_id
        await self.messenger.send(uow.outbox, chat, text, buttons)

    async def on_deactivate(self, uow: Work, sender: Sender, arg: str | None) -> None:
        """Let a coordinator or admin switch off a professional at once."""
        if (user := await self._member(uow, sender)) is None:
            return
        if not sender.private:
            await self._say(uow, sender, replies.PRIVATE_ONLY_COMMAND, user)
        elif (said := await self.accounts.command(uow, user, arg or "", sender.chat_id)) is not None:
            await self._say(uow, sender, said, user)

    async def on_cancel(self, uow: Work, sender: Sender) -> None:
        await self._flow_input(uow, sender, engine.Cancel(), replies.NOTHING_TO_CANCEL)

    async def on_back(self, uow: Work, sender: Sender) -> None:
        await self._flow_input(uow, sender, engine.Back(), replies.NOTHING_TO_GO_BACK)

    async def on_regiobeeld(self, uow: Work, sender: Sender) -> None:
        """`/regiobeeld`: a personal link to the regional page, privately, for whoever may see some of it."""
        if (user := await self._member(uow, sender)) is not None:
            msg, url = await self.regiobeeld.ask(uow, user, sender.private)
            await self._say(uow, sender, msg, user, opens=(OPEN_REGIOBEELD, url) if url else None)

    async def on_help(self, uow: Work, sender: Sender) -> None:
        user = await self._member(uow, sender)
        if user is not None:  # what this person may do, and nothing they may not
            await self._say(uow, sender, replies.help_for(user), user)

    async def on_language(self, uow: Work, sender: Sender, choice: str | None) -> None:
        """Switch the user's language for everything the bot says from now on."""
        if (user := await self._member(uow, sender)) is None:
            return
        await self._say(uow, sender, self.accounts.set_language(user, choice or ""), user)

    async def on_text(self, uow: Work, sender: Sender, text: str) -> None:
        """Take typed text as the answer to the current question."""
        await self._flow_input(uow, sender, engine.Text(text), replies.NOT_IN_FLOW, typed=sender.message_id)

    async def on_unsupported(self, uow: Work, sender: Sender) -> None:
        """Answer photos, stickers, voice and the like kindly; keep the conversation as it is."""
        user = await self._member(uow, sender)
        if user is not None:
            await self._say(uow, sender, replies.UNSUPPORTED, user)

    async def on_press(self, uow: Work, sender: Sender, message_id: int, data: str) -> str:
        """Handle a button; return the short answer shown on the user's screen."""
        user = await self._user(uow, sender)
        if user is None:
            return self.tr.render(self._locale(sender, None), Msg(replies.NOT_REGISTERED))
        # Conversation buttons are signed for their user; desk buttons for the desk's chat.
        pressed = self.codec.decode(sender.telegram_id if sender.private else sender.chat_id, data)
        if pressed is None:
            log.warning("callback_refused", chat_kind=chat_kind(sender.chat_id))
            await record(uow, self.clock, "callback_refused", actor=user)
            return self.tr.render(user.locale, Msg(replies.BUTTON_INVALID))
        action = pressed.action
        if action is not None and action.context == DESK:
            return await self.desk_buttons.press(uow, user, sender.chat_id, message_id, pressed)
        if action is not None and action.context == WAAKVLAM:
            return await self.waakvlam.press(uow, user, message_id, pressed)
        where = Where(user, sender.chat_id, message_id)
        state = await self.conversations.current(uow, where)
        if state is None:
            return self.tr.render(user.locale, Msg(replies.EXPIRED))
        inp = engine.Press(pressed.version, pressed.value)
        return await self.conversations.feed(uow, where, state, inp) or ""

    async def _flow_input(
        self, uow: Work, sender: Sender, inp: engine.Input, idle: str, typed: int | None = None
    ) -> None:
        if (user := await self._member(uow, sender)) is None:
            return
        where = Where(user, sender.chat_id)
        state = await self.conversations.current(uow, where)
        if state is None:
            if sender.private or not isinstance(inp, engine.Text):
                await self._say(uow, sender, idle, user)
            return
        await self.conversations.feed(uow, where, state, inp, typed if sender.private else None)

    async def _user(self, uow: Work, sender: Sender) -> User | None:
        user = await uow.sender(sender.telegram_id, sender.chat_id)
        return user if user is not None and user.active else None

    async def _member(self, uow: Work, sender: Sender) -> User | None:
        """Return the registered user, or refuse politely and return None."""
        user = await self._user(uow, sender)
        if user is None and sender.private and self.strangers.tell(sender.telegram_id, self.clock.now()):
            log.info("refused_unregistered")
            await self._say(uow, sender, replies.NOT_REGISTERED, None)
        return user

    async def _say(
        self, uow: Work, sender: Sender, msg: Msg | str, user: User | None, opens: Opens = None
    ) -> None:
        loc = self._locale(sender, user)
        text = self.tr.render(loc, msg if isinstance(msg, Msg) else Msg(msg))
        buttons = [[link(self.tr.render(loc, Msg(opens[0])), opens[1])]] if opens else None
        await self.messenger.send(uow.outbox, sender.chat_id, text, buttons)

    def _locale(self, sender: Sender, user: User | None) -> str:
        return replies.chat_locale(self.region, sender, user, self.default_locale)


WithArgs = Callable[[FrontDesk, Work, Sender, str | None], Awaitable[None]]
Plain = Callable[[FrontDesk, Work, Sender], Awaitable[None]]

# Dutch first; the English names work too. A command not listed gets the help text.
WITH_ARGS: dict[str, WithArgs] = {
    "start": FrontDesk.on_start,
    "signaal": FrontDesk.on_signal,
    "signal": FrontDesk.on_signal,
    "antwoord": FrontDesk.on_answer,
    "answer": FrontDesk.on_answer,
    "deactiveer": FrontDesk.on_deactivate,
    "deactivate": FrontDesk.on_deactivate,
    "taal": FrontDesk.on_language,
    "language": FrontDesk.on_language,
}
PLAIN: dict[str, Plain] = {
    "mijn": FrontDesk.on_mine,
    "mine": FrontDesk.on_mine,
    "open": FrontDesk.on_open,
    "waakvlam": FrontDesk.on_waakvlam,
    "waakvlammen": FrontDesk.on_waakvlammen,
    "regiobeeld": FrontDesk.on_regiobeeld,
    "cancel": FrontDesk.on_cancel,
    "stop": FrontDesk.on_cancel,
    "annuleren": FrontDesk.on_cancel,
    "terug": FrontDesk.on_back,
    "back": FrontDesk.on_back,
    "help": FrontDesk.on_help,
    "hulp": FrontDesk.on_help,
}
