"""The one entry point transport adapters call: every update becomes exactly one service call here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog

from bot.accounts import invites
from bot.accounts.audit import record
from bot.domain.access import can_deactivate, can_file
from bot.domain.actions import CallbackCodec
from bot.domain.clock import Clock
from bot.domain.commands import Command, Other, Sender, Tapped, Typed, parse_command
from bot.domain.region import Region
from bot.frontdesk.conversation import ConversationRunner, Loaded, Where
from bot.runtime.admission import telegram_id
from bot.signals.desk import PREFIX as DESK_PREFIX
from bot.signals.desk import DeskService
from bot.signals.desk_buttons import DeskButtons
from bot.signals.handover import HandOvers
from bot.signals.info_requests import InfoRequests
from bot.signals.intake import IntakeService
from bot.signals.viewing import Viewing
from bot.views.i18n import LOCALES, Translator
from bot.views.messenger import Messenger
from bot.views.summaries import ROLE_NAMES
from bot.waakvlam.common import PREFIX as WAAKVLAM_PREFIX
from bot.waakvlam.routes import WaakvlamRoutes
from flows import engine
from flows.intake import INTAKE
from flows.text import N_, Msg, Param
from storage.models import User
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)

NOT_REGISTERED = N_(
    "Deze bot is alleen voor uitgenodigde professionals in zorg en veiligheid. "
    "Heeft u een uitnodigingscode? Stuur dan /start gevolgd door de code."
)
WELCOME = N_(
    "Welkom, {name}. U bent geregistreerd als {role} bij {org} ({gemeenten}).\nMet /signaal geeft u een signaal door."
)
INVITE_ANSWERS = {
    invites.Redeem.UNKNOWN: N_(
        "Deze uitnodigingscode klopt niet. Controleer de code of vraag uw coördinator om een nieuwe."
    ),
    invites.Redeem.EXPIRED: N_("Deze uitnodiging is verlopen. Vraag uw coördinator om een nieuwe."),
    invites.Redeem.USED: N_("Deze uitnodiging is al gebruikt. Vraag uw coördinator om een nieuwe."),
    invites.Redeem.ALREADY_REGISTERED: N_("U bent al geregistreerd. Met /signaal geeft u een signaal door."),
}
HELP = N_(
    "Waakvlam helpt u een vroeg signaal over een bewoner bij het juiste meldpunt te krijgen.\n"
    "/signaal — een signaal doorgeven\n/signaal S-ABC123 — een signaal inzien\n/mijn — uw signalen\n"
    "/waakvlam — een waakvlam vastleggen (coördinatoren, meldpunten)\n"
    "/waakvlammen — lopende waakvlammen (coördinatoren)\n/terug — één vraag terug\n/cancel — stoppen\n/taal nl of /taal en — taal kiezen\nBij acuut gevaar: bel 112."
)
TOO_MANY_TRIES = N_(
    "Te veel verkeerde codes. Probeer het over een uur opnieuw, of vraag uw coördinator om hulp."
)
INVITE_TRIES = 5
INVITE_WINDOW = timedelta(hours=1)
NOTHING_TO_CANCEL = N_("Er is niets om te stoppen.")
BUSY_ELSEWHERE = N_(
    "U bent nog bezig met een antwoord aan een meldpunt. Rond dat eerst af, of stop het met /cancel."
)
NOT_FOR_ROLE = N_("Met uw rol kunt u geen signalen doorgeven.")
PRIVATE_ONLY_DETAILS = N_("Een signaal inzien kan alleen in een privégesprek met de bot.")
DEACTIVATE_REFUSED = N_(
    "Dat kan niet: geef het Telegram-nummer van iemand in uw eigen gemeente(n), bijvoorbeeld /deactiveer 1001."
)
DEACTIVATED = N_("{name} is gedeactiveerd en kan de bot niet meer gebruiken.")
NOTHING_TO_GO_BACK = N_("Er is geen vraag om naar terug te gaan. Met /signaal begint u een signaal.")
NOT_IN_FLOW = N_("Typ /signaal om een signaal door te geven, of /help voor uitleg.")
PRIVATE_ONLY = N_("Een signaal doorgeven kan alleen in een privégesprek met de bot.")
LANGUAGE_SET = N_("Taal ingesteld: Nederlands.")
LANGUAGE_USAGE = N_("Kies /taal nl (Nederlands) of /taal en (English).")
UNSUPPORTED = N_("Ik kan alleen tekst en knoppen verwerken. Stuur uw antwoord als tekst.")
BUTTON_INVALID = N_("Deze knop is niet (meer) geldig.")
OWN_DESK_ONLY = N_("Dit overzicht kan alleen privé of in de groepschat van uw eigen meldpunt.")
PRIVATE_ONLY_ANSWER = N_("Antwoorden kan alleen in een privégesprek met de bot.")
PRIVATE_ONLY_COMMAND = N_("Dit kan alleen in een privégesprek met de bot.")
EXPIRED = N_("Deze vraag is verlopen.")


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
    desk: DeskService
    desk_buttons: DeskButtons
    info: InfoRequests
    handovers: HandOvers
    waakvlam: WaakvlamRoutes
    default_locale: str = "nl"

    async def serve(self, uow: UnitOfWork, command: Command) -> str | None:
        """Act on one command; for a pressed button, the short answer to show on the person's screen."""
        if isinstance(command, Tapped):
            return await self.on_press(uow, command.sender, command.message_id, command.data)
        if isinstance(command, Other):
            await self.on_unsupported(uow, command.sender)
            return None
        await self._typed(uow, command)
        return None

    async def _typed(self, uow: UnitOfWork, command: Typed) -> None:
        """A command for this bot, or the answer to the current question. A command meant for another bot
        in a group is left to that bot; one not known gets the help."""
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

    async def on_start(self, uow: UnitOfWork, sender: Sender, code: str | None) -> None:
        """Register with an invite code, or greet someone who is already registered."""
        user = await self._user(uow, sender)
        if not code:
            await self._say(uow, sender, HELP if user else NOT_REGISTERED, user)
            return
        locale = self._guess_locale(sender)
        since = self.clock.now() - INVITE_WINDOW
        if await uow.audit.count(sender.telegram_id, "invite_refused", since) >= INVITE_TRIES:
            log.warning("invite_rate_limited", telegram_id=sender.telegram_id)
            await record(uow, self.clock, "invite_blocked", telegram_id=sender.telegram_id)
            await self._say(uow, sender, TOO_MANY_TRIES, user)
            return
        outcome, user = await invites.redeem(uow, self.clock, sender.telegram_id, sender.name, code, locale)
        if outcome is invites.Redeem.OK and user is not None:
            log.info("registered", user_id=user.id, role=user.role)
            await record(uow, self.clock, "registered", actor=user, subject=f"user:{user.id}", role=user.role)
            names = ", ".join(
                self.region.gemeenten[g].name for g in user.gemeenten if g in self.region.gemeenten
            )
            params: dict[str, Param] = {
                "name": user.display_name,
                "role": Msg(ROLE_NAMES[user.role]),
                "org": user.org,
                "gemeenten": names,
            }
            await self._say(uow, sender, Msg(WELCOME, params), user)
            return
        log.info("invite_refused", telegram_id=sender.telegram_id, outcome=outcome.value)
        if outcome is not invites.Redeem.ALREADY_REGISTERED:
            await record(
                uow, self.clock, "invite_refused", telegram_id=sender.telegram_id, outcome=outcome.value
            )
        await self._say(uow, sender, INVITE_ANSWERS[outcome], user)

    async def on_signal(self, uow: UnitOfWork, sender: Sender, ref: str | None = None) -> None:
        """Start or resume the intake; with a reference, show that signal to whoever may see it."""
        user = await self._member(uow, sender)
        if user is None:
            return
        if ref and ref.strip():
            # Details carry free text: only in a private chat, never in a desk group.
            if not sender.private:
                await self._say(uow, sender, PRIVATE_ONLY_DETAILS, user)
                return
            text, shown = await self.viewing.details(uow, user, ref)
            for row_id in await self.messenger.send_parts(uow.outbox, sender.chat_id, text):
                if shown is not None:
                    await uow.signals.shown(shown, sender.chat_id, row_id)
            return
        if not can_file(user):
            await self._say(uow, sender, NOT_FOR_ROLE, user)
            return
        if not sender.private:
            await self._say(uow, sender, PRIVATE_ONLY, user)
            return
        where = Where(user, sender.chat_id)
        loaded = await self.conversations.current(uow, where)
        if loaded is not None and loaded.state.flow != INTAKE.id:
            # Another short flow (an answer to a desk) is open: finish or cancel that first.
            await self._say(uow, sender, BUSY_ELSEWHERE, user)
            await self._feed(uow, where, loaded, engine.Resume())
            return
        await self.intake.begin(uow, where)

    async def on_open(self, uow: UnitOfWork, sender: Sender) -> None:
        """List the open signals of the desk this person works for: privately, or in that desk's own group."""
        user = await self._member(uow, sender)
        if user is None:
            return
        here = None if sender.private else self.region.desk_for_chat(sender.chat_id)
        if not sender.private and (here is None or here.id != user.meldpunt_id):
            await self._say(uow, sender, OWN_DESK_ONLY, user)
            return
        await self.messenger.send(uow.outbox, sender.chat_id, await self.desk.open_list(uow, user))

    async def on_answer(self, uow: UnitOfWork, sender: Sender, ref: str | None) -> None:
        """`/antwoord REF`: answer a desk's open question about one's own signal."""
        user = await self._member(uow, sender)
        if user is None:
            return
        if not sender.private:
            await self._say(uow, sender, PRIVATE_ONLY_ANSWER, user)
            return
        await self.info.answer_later(uow, user, ref or "")

    async def on_mine(self, uow: UnitOfWork, sender: Sender) -> None:
        """List the signals this person filed."""
        user = await self._member(uow, sender)
        if user is not None:
            chat = sender.chat_id if sender.private else sender.telegram_id
            await self.messenger.send(uow.outbox, chat, await self.viewing.mine(uow, user))

    async def on_waakvlam(self, uow: UnitOfWork, sender: Sender) -> None:
        """`/waakvlam`: set up a waakvlam agreement."""
        user = await self._member(uow, sender)
        if user is not None:
            await self.waakvlam.setup.begin(uow, user, sender.chat_id, sender.private)

    async def on_waakvlammen(self, uow: UnitOfWork, sender: Sender) -> None:
        """`/waakvlammen`: a coordinator's list of agreements, privately (it names residents' references)."""
        user = await self._member(uow, sender)
        if user is None:
            return
        text, buttons = await self.waakvlam.stewardship.overview(uow, user)
        chat = sender.chat_id if sender.private else sender.telegram_id
        await self.messenger.send(uow.outbox, chat, text, buttons)

    async def on_deactivate(self, uow: UnitOfWork, sender: Sender, arg: str | None) -> None:
        """Let a coordinator or admin switch off a professional at once."""
        user = await self._member(uow, sender)
        if user is None:
            return
        if not sender.private:
            await self._say(uow, sender, PRIVATE_ONLY_COMMAND, user)
            return
        number = telegram_id(arg or "")
        target = await uow.users.by_telegram_id(number) if number is not None else None
        if target is None or not can_deactivate(user, target):
            # One answer for "no such person" and "not yours to deactivate".
            await self._say(uow, sender, DEACTIVATE_REFUSED, user)
            return
        target.active = False
        await record(uow, self.clock, "user_deactivated", actor=user, subject=f"user:{target.id}")
        await self.waakvlam.setup.owner_left(uow, target)
        await self._say(uow, sender, Msg(DEACTIVATED, {"name": target.display_name}), user)

    async def on_cancel(self, uow: UnitOfWork, sender: Sender) -> None:
        await self._flow_input(uow, sender, engine.Cancel(), NOTHING_TO_CANCEL)

    async def on_back(self, uow: UnitOfWork, sender: Sender) -> None:
        await self._flow_input(uow, sender, engine.Back(), NOTHING_TO_GO_BACK)

    async def on_help(self, uow: UnitOfWork, sender: Sender) -> None:
        user = await self._member(uow, sender)
        if user is not None:
            await self._say(uow, sender, HELP, user)

    async def on_language(self, uow: UnitOfWork, sender: Sender, choice: str | None) -> None:
        """Switch the user's language for everything the bot says from now on."""
        user = await self._member(uow, sender)
        if user is None:
            return
        choice = (choice or "").strip().lower()
        if choice not in LOCALES:
            await self._say(uow, sender, LANGUAGE_USAGE, user)
            return
        user.locale = choice
        await self._say(uow, sender, LANGUAGE_SET, user)

    async def on_text(self, uow: UnitOfWork, sender: Sender, text: str) -> None:
        """Take typed text as the answer to the current question."""
        await self._flow_input(uow, sender, engine.Text(text), NOT_IN_FLOW, typed=sender.message_id)

    async def on_unsupported(self, uow: UnitOfWork, sender: Sender) -> None:
        """Answer photos, stickers, voice and the like kindly; keep the conversation as it is."""
        user = await self._member(uow, sender)
        if user is not None:
            await self._say(uow, sender, UNSUPPORTED, user)

    async def on_press(self, uow: UnitOfWork, sender: Sender, message_id: int, data: str) -> str:
        """Handle a button; return the short answer shown on the user's screen."""
        user = await self._user(uow, sender)
        if user is None:
            return self.tr.render(self._guess_locale(sender), Msg(NOT_REGISTERED))
        # Conversation buttons are signed for their user; desk buttons for the desk's chat.
        pressed = self.codec.decode(sender.telegram_id if sender.private else sender.chat_id, data)
        if pressed is None:
            log.warning("callback_refused", telegram_id=sender.telegram_id, chat_id=sender.chat_id)
            await record(uow, self.clock, "callback_refused", actor=user)
            return self.tr.render(user.locale, Msg(BUTTON_INVALID))
        if pressed.value.startswith(DESK_PREFIX):
            return await self.desk_buttons.press(uow, user, sender.chat_id, message_id, pressed)
        if pressed.value.startswith(WAAKVLAM_PREFIX):
            return await self.waakvlam.press(uow, user, message_id, pressed)
        where = Where(user, sender.chat_id, message_id)
        state = await self.conversations.current(uow, where)
        if state is None:
            return self.tr.render(user.locale, Msg(EXPIRED))
        inp = engine.Press(pressed.version, pressed.value)
        return await self._feed(uow, where, state, inp) or ""

    async def _feed(
        self, uow: UnitOfWork, where: Where, loaded: Loaded, inp: engine.Input, typed: int | None = None
    ) -> str | None:
        """Give an input to the conversation in progress (its flow's context and outcome come with it)."""
        return await self.conversations.feed(uow, where, loaded, inp, typed)

    async def _flow_input(
        self, uow: UnitOfWork, sender: Sender, inp: engine.Input, idle: str, typed: int | None = None
    ) -> None:
        user = await self._member(uow, sender)
        if user is None:
            return
        where = Where(user, sender.chat_id)
        state = await self.conversations.current(uow, where)
        if state is None:
            if sender.private or not isinstance(inp, engine.Text):
                await self._say(uow, sender, idle, user)
            return
        await self._feed(uow, where, state, inp, typed if sender.private else None)

    async def _user(self, uow: UnitOfWork, sender: Sender) -> User | None:
        user = await uow.conversations.user_and_current(sender.telegram_id, sender.chat_id)
        return user if user is not None and user.active else None

    async def _member(self, uow: UnitOfWork, sender: Sender) -> User | None:
        """Return the registered user, or refuse politely and return None."""
        user = await self._user(uow, sender)
        if user is None:
            log.info("refused_unregistered", telegram_id=sender.telegram_id)
            if sender.private:
                await self._say(uow, sender, NOT_REGISTERED, None)
        return user

    async def _say(self, uow: UnitOfWork, sender: Sender, msg: Msg | str, user: User | None) -> None:
        locale = user.locale if user else self._guess_locale(sender)
        text = self.tr.render(locale, msg if isinstance(msg, Msg) else Msg(msg))
        await self.messenger.send(uow.outbox, sender.chat_id, text)

    def _guess_locale(self, sender: Sender) -> str:
        lang = (sender.language or "")[:2]
        return lang if lang in LOCALES else self.default_locale


WithArgs = Callable[[FrontDesk, UnitOfWork, Sender, str | None], Awaitable[None]]
Plain = Callable[[FrontDesk, UnitOfWork, Sender], Awaitable[None]]

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
    "cancel": FrontDesk.on_cancel,
    "stop": FrontDesk.on_cancel,
    "annuleren": FrontDesk.on_cancel,
    "terug": FrontDesk.on_back,
    "back": FrontDesk.on_back,
    "help": FrontDesk.on_help,
    "hulp": FrontDesk.on_help,
}
