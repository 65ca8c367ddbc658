"""Who may use the bot: registering with an invite code (tries limited), a coordinator switching someone
off, and the language a person reads in. The front desk says the answer; the decisions are made here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import structlog

from bot.accounts import invites
from bot.accounts.audit import record
from bot.domain.access import can_deactivate, may_deactivate
from bot.domain.clock import Clock
from bot.domain.incoming import Sender
from bot.domain.region import Region
from bot.frontdesk.conversation import BUSY, ChatOf, ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.runtime.admission import telegram_id
from bot.views.i18n import LOCALES, Translator
from bot.views.messenger import Messenger
from bot.views.summaries import ROLE_NAMES
from flows.deactivate import DEACTIVATE
from flows.engine import Answers, Completed, Context, Outcome
from flows.model import Option
from flows.search import fold
from flows.state import number
from flows.text import N_, Msg, Param
from storage.models import User
from storage.ports import Work

log = structlog.get_logger(__name__)

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
TOO_MANY_TRIES = N_(
    "Te veel verkeerde codes. Probeer het over een uur opnieuw, of vraag uw coördinator om hulp."
)
INVITE_TRIES = 5
INVITE_WINDOW = timedelta(hours=1)
INVITE_TRIES = 5
INVITE_WINDOW = timedelta(hours=1)
DEACTIVATE_REFUSED = N_(
    "Dat kan niet. Typ /deactiveer en kies uit de lijst: alleen iemand in uw eigen gemeente(n)."
)
DEACTIVATED = N_("{name} is gedeactiveerd en kan de bot niet meer gebruiken.")
LANGUAGE_SET = N_("Taal ingesteld: Nederlands.")
LANGUAGE_USAGE = N_("Kies /taal nl (Nederlands) of /taal en (English).")


@dataclass
class Registration:
    region: Region
    clock: Clock
    # What a deactivated person held goes back (their waakvlammen to the coordinators).
    on_left: Callable[[Work, User], Awaitable[object]]
    tr: Translator
    messenger: Messenger
    runner: ConversationRunner

    async def redeem(self, uow: Work, sender: Sender, code: str, locale: str) -> Msg:
        """Register with an invite code; at most INVITE_TRIES wrong codes an hour per Telegram account."""
        since = self.clock.now() - INVITE_WINDOW
        if await uow.audit.count(sender.telegram_id, "invite_refused", since) >= INVITE_TRIES:
            log.warning("invite_rate_limited")
            # Once a window: a flood of codes past the limit adds nothing more to the audit log.
            if not await uow.audit.count(sender.telegram_id, "invite_blocked", since):
                await record(uow, self.clock, "invite_blocked", telegram_id=sender.telegram_id)
            return Msg(TOO_MANY_TRIES)
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
            return Msg(WELCOME, params)
        log.info("invite_refused", outcome=outcome.value)
        if outcome is not invites.Redeem.ALREADY_REGISTERED:
            await record(
                uow, self.clock, "invite_refused", telegram_id=sender.telegram_id, outcome=outcome.value
            )
        return Msg(INVITE_ANSWERS[outcome])

    async def command(self, uow: Work, user: User, arg: str, chat_id: int) -> Msg | None:
        """`/deactiveer`: with a Telegram id at once (anything else after it is refused); alone, choose the
        person by name (a flow asks; None then)."""
        if arg.strip() or not may_deactivate(user):
            return await self.deactivate(uow, user, arg)
        if await self.runner.start_if_free(uow, ChatOf(user, chat_id), DEACTIVATE.id):
            return None
        return Msg(BUSY)

    async def deactivate(self, uow: Work, user: User, arg: str) -> Msg:
        """Switch off a professional in the coordinator's own gemeenten at once (by Telegram id)."""
        number = telegram_id(arg)
        target = await uow.users.by_telegram_id(number) if number is not None else None
        return await self._switch_off(uow, user, target)

    async def people(self, uow: Work, user: User, answers: Answers) -> Context:
        """Who this person may switch off, by name and organisation (the deactivation flow's choice)."""
        people = [
            Option(str(u.id), f"{u.display_name} · {u.org}", raw=True)
            for u in sorted(await uow.users.all(), key=lambda u: fold(u.display_name))
            if u.active and can_deactivate(user, u)
        ]
        return {"people": tuple(people)}

    def flows(self) -> list[FlowSpec]:
        """The conversation that chooses whom to switch off, by name."""
        return [FlowSpec(DEACTIVATE, self.on_person_chosen, self.people)]

    async def on_person_chosen(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Switch off the person chosen and confirmed (checked again: it may have changed meanwhile)."""
        if not isinstance(outcome, Completed):
            return
        target = await uow.users.by_id(number(outcome.answers, "person"))
        said = self.tr.render(user.locale, await self._switch_off(uow, user, target))
        await self.messenger.send(uow.outbox, chat_id, said)

    async def _switch_off(self, uow: Work, user: User, target: User | None) -> Msg:
        if target is None or not target.active or not can_deactivate(user, target):
            # One answer for "no such person" and "not yours to deactivate".
            return Msg(DEACTIVATE_REFUSED)
        target.active = False
        await record(uow, self.clock, "user_deactivated", actor=user, subject=f"user:{target.id}")
        await self.on_left(uow, target)
        return Msg(DEACTIVATED, {"name": target.display_name})

    def set_language(self, user: User, choice: str) -> Msg:
        """Switch the user's language for everything the bot says from now on."""
        choice = choice.strip().lower()
        if choice not in LOCALES:
            return Msg(LANGUAGE_USAGE)
        user.locale = choice
        return Msg(LANGUAGE_SET)
