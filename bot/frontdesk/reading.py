"""Read what the transport handed over into a command: the only place that parses a typed command's name or
a button's data. Dutch names first; the English ones work too; a command not listed gets the help."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.actions import (
    ADVICE_BUTTON,
    DESK_BUTTON,
    OVERLEG_BUTTON,
    REGIE_BUTTON,
    WAAKVLAM_BUTTON,
    Action,
    CallbackCodec,
)
from bot.domain.commands import (
    AnswerLater,
    Back,
    Cancel,
    Choose,
    Command,
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
from bot.domain.incoming import Incoming, Other, Posted, Tapped, Typed, parse_command
from bot.domain.overleg import IN_VIEW
from bot.domain.overleg_commands import (
    ADVICE_COMMANDS,
    OVERLEG_COMMANDS,
    AskAdvice,
    OverlegAction,
    OverlegFromMatch,
    SayInView,
)
from bot.domain.regie_commands import REGIE_COMMANDS, AskRegie, ListRegie, RemindMe, ScaleUp
from bot.domain.signal_commands import DESK_COMMANDS, AnswerAftercare, Queue, Reprioritise, Triage
from bot.domain.waakvlam_commands import AGREEMENT_COMMANDS, AnswerCheckIn, CheckInAnswer

ANSWERS = frozenset(CheckInAnswer)


def _signal(arg: str) -> Command:
    return ShowSignal(arg) if arg.strip() else FileSignal()


def _regie(arg: str) -> Command:
    return AskRegie(arg) if arg.strip() else ListRegie()


# A command's name → the command, given what follows the name ("" when nothing does).
NAMES: dict[str, Callable[[str], Command]] = {
    **dict.fromkeys(("start",), Start),
    **dict.fromkeys(("signaal", "signal"), _signal),
    **dict.fromkeys(("antwoord", "answer"), AnswerLater),
    **dict.fromkeys(("deactiveer", "deactivate"), Deactivate),
    **dict.fromkeys(("taal", "language"), SetLanguage),
    **dict.fromkeys(("mijn", "mine"), lambda _: ListMine()),
    **dict.fromkeys(("open",), lambda _: ListOpen()),
    **dict.fromkeys(("waakvlam",), lambda _: SetUpWaakvlam()),
    **dict.fromkeys(("waakvlammen",), lambda _: ListWaakvlammen()),
    **dict.fromkeys(("regie",), _regie),
    **dict.fromkeys(("opschalen", "escalate"), ScaleUp),
    **dict.fromkeys(("herinner", "remind"), RemindMe),
    **dict.fromkeys(("advies", "advice"), lambda _: AskAdvice()),
    **dict.fromkeys(("regiobeeld",), lambda _: OpenRegiobeeld()),
    **dict.fromkeys(("cancel", "stop", "annuleren"), lambda _: Cancel()),
    **dict.fromkeys(("terug", "back"), lambda _: Back()),
    **dict.fromkeys(("help", "hulp"), lambda _: Help()),
}


@dataclass(frozen=True)
class Reader:
    codec: CallbackCodec

    def read(self, incoming: Incoming) -> Command | None:
        """The command an update carries; None for another bot's command (left to that bot)."""
        if isinstance(incoming, Other):
            return Unsupported()
        if isinstance(incoming, Typed):
            return self._typed(incoming)
        if isinstance(incoming, Posted):
            return Fill(incoming.version, incoming.text, incoming.choice, incoming.reason)
        return self._tapped(incoming)

    def _typed(self, typed: Typed) -> Command | None:
        parsed = parse_command(typed.text)
        if parsed is None:
            return Reply(typed.text)
        name, mention, args = parsed
        if mention is not None and mention.lower() != typed.bot_username.lower():
            return None
        make = NAMES.get(name)
        return make(args or "") if make is not None else Help()

    def _tapped(self, tapped: Tapped) -> Command:
        sender = tapped.sender
        # Conversation buttons are signed for their user; desk buttons for the desk's chat.
        pressed = self.codec.decode(sender.telegram_id if sender.private else sender.chat_id, tapped.data)
        if pressed is None:
            return ForgedButton()
        action, version, message = pressed.action, pressed.version, tapped.message_id
        if action is None:
            return Choose(message, version, pressed.value)
        # The tables are keyed by button code: a code nobody made finds nothing.
        desk = DESK_COMMANDS.get(action.kind) if action.context == DESK_BUTTON else None
        if desk in (AnswerAftercare, Triage, Queue, Reprioritise):  # a desk's button with a choice
            return desk(action.target, version, message, action.choice)
        if desk is not None:
            return desk(action.target, version, message)
        regie = REGIE_COMMANDS.get(action.kind) if action.context == REGIE_BUTTON else None
        if regie is not None:
            return regie(action.target, version, message)
        if action.context in (OVERLEG_BUTTON, ADVICE_BUTTON):
            return _overleg(action, version, message)
        if action.context != WAAKVLAM_BUTTON:
            return ForgedButton()
        if action.kind in ANSWERS:
            return AnswerCheckIn(CheckInAnswer(action.kind), action.target, message)
        agreement = AGREEMENT_COMMANDS.get(action.kind)
        if agreement is not None:
            return agreement(action.target, version, message)
        return ForgedButton()


def _overleg(action: Action, version: int, message: int) -> Command:
    """A routeeroverleg's button (on a desk's card, or a samenloop notice's Routeeroverleg), or an advice
    question's."""
    if action.context == ADVICE_BUTTON:
        advice = ADVICE_COMMANDS.get(action.kind)
        return advice(action.target, message) if advice is not None else ForgedButton()
    if action.kind == OverlegAction.IN_VIEW and action.choice in IN_VIEW:
        return SayInView(action.target, version, message, action.choice)
    if action.kind == OverlegAction.FROM_MATCH and action.choice.isdecimal() and len(action.choice) < 19:
        return OverlegFromMatch(action.target, int(action.choice), message)
    made = OVERLEG_COMMANDS.get(action.kind)
    return made(action.target, version, message) if made is not None else ForgedButton()
