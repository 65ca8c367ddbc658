"""The waakvlam side of the bot in one place for the front desk: buttons, flows and due work."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.actions import WAAKVLAM, Pressed
from bot.domain.jobs import AgreementEnd, AgreementEnding, CheckInSilence, SendCheckIn
from bot.frontdesk.registry import FlowSpec
from bot.runtime.due import Handlers
from bot.waakvlam.answers import CheckInAnswers
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import WaakvlamBasis
from bot.waakvlam.setup import GONE, AgreementSetup
from bot.waakvlam.stewardship import Stewardship
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

INVALID = N_("Deze knop is niet (meer) geldig.")
CHECKIN_ACTIONS = frozenset({"ok", "worry", "none", "later"})
OWNER_ACTIONS = frozenset({"acc", "dec"})


@dataclass
class WaakvlamRoutes:
    kit: WaakvlamBasis
    checkins: CheckIns
    setup: AgreementSetup
    answers: CheckInAnswers
    stewardship: Stewardship

    def handlers(self, handlers: Handlers) -> Handlers:
        """Add the waakvlam's due work: check-ins (in batches), silence, the end and the week before it."""
        c = self.checkins
        handlers.on(SendCheckIn, c.send).batched(SendCheckIn, c.send_many).on(CheckInSilence, c.grace)
        return handlers.on(AgreementEnding, c.ending).on(AgreementEnd, c.end)

    def flows(self) -> list[FlowSpec]:
        return [*self.setup.flows(), *self.answers.flows(), *self.stewardship.flows()]

    async def press(self, uow: Work, user: User, message_id: int, pressed: Pressed) -> str:
        """Route a waakvlam button: a check-in answer, an owner's yes or no, or a coordinator's action."""
        parsed = pressed.action
        if parsed is None or parsed.context != WAAKVLAM:
            return self.kit.tr.render(user.locale, Msg(INVALID))
        action, target = parsed.kind, parsed.target
        if action in CHECKIN_ACTIONS:
            return await self.answers.press(uow, user, action, target, message_id)
        agreement = await uow.agreements.by_id(target)
        if agreement is None:
            await record(uow, self.kit.clock, "callback_refused", actor=user)
            return self.kit.tr.render(user.locale, Msg(INVALID))
        if action in OWNER_ACTIONS:
            if pressed.version != agreement.version:
                return self.kit.tr.render(user.locale, Msg(GONE))
            if action == "acc":
                return await self.setup.accept(uow, user, agreement, message_id=message_id)
            return await self.setup.decline(uow, user, agreement, message_id)
        return await self.stewardship.act(uow, user, action, agreement, pressed.version, message_id)
