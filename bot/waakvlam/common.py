"""What the waakvlam services share: statuses, buttons, who hears what, and how an agreement reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.domain import rhythm
from bot.domain.actions import WAAKVLAM_BUTTON, Action, CallbackCodec
from bot.domain.agreements import ACTIVE, ENDED, PAUSED, PROPOSED
from bot.domain.clock import Clock
from bot.domain.region import Region
from bot.domain.tallies import Counted, month
from bot.domain.waakvlam_commands import AgreementAction, CheckInAnswer
from bot.views.i18n import Translator
from bot.views.messenger import Buttons, Messenger
from bot.views.private import tell
from bot.views.summaries import CATEGORY_LABELS
from flows.text import N_, Msg, Param
from flows.waakvlam import WEEKDAYS
from storage.models import Agreement, User
from storage.ports import Work

EVERY_DAYS = N_("elke {n} dagen")
EVERY_WEEK = N_("elke week")
EVERY_WEEKS = N_("elke {n} weken")
ON_DAYS = N_("op {days}")
# In the chat codes and system words only; who it is about and the written warning signs are read on the
# region's server (bot/forms), `full` there.
DESCRIBE = N_(
    "Waakvlam {ref} ({gemeente})\nContactpersoon: {owner} · {rhythm} · tot {end}\n"
    "Waarschuwingstekens: {signs}\nBij terugval naar: {desk}"
)
RESIDENT = N_("Bewoner (referentie): {resident}")
LINKED = N_("Volgt signaal {signal} op · vastgelegd door {by}")
SET_UP_BY = N_("Vastgelegd door {by}")
NOBODY = N_("nog niemand")
NO_SIGNS = N_("niet vastgelegd")
STATUS_LABELS: dict[str, str] = {
    PROPOSED: N_("wacht op een contactpersoon"),
    ACTIVE: N_("actief"),
    PAUSED: N_("gepauzeerd"),
    ENDED: N_("beëindigd"),
}


@dataclass
class WaakvlamBasis:
    region: Region
    tr: Translator
    codec: CallbackCodec
    clock: Clock
    messenger: Messenger

    @property
    def zone(self) -> str:
        """The region's time zone, in which check-in days and times are meant."""
        return self.region.info.timezone

    def today(self) -> date:
        """Today in the region."""
        return rhythm.local_day(self.clock.now(), self.zone)

    def at(self, day: date) -> datetime:
        """The moment a check-in on `day` goes out (the region's check-in time)."""
        return rhythm.at_local(day, self.region.waakvlam.checkin_time, self.zone)

    def button(
        self, user: User, label: str, action: CheckInAnswer | AgreementAction, target: int, version: int = 0
    ) -> tuple[str, str]:
        """A waakvlam button for one person: labelled in their language, signed for their private chat."""
        value = Action(WAAKVLAM_BUTTON, action.value, target).value()
        return self.tr.render(user.locale, Msg(label)), self.codec.encode(user.telegram_id, version, value)

    async def send(self, uow: Work, user: User, msg: Msg, buttons: Buttons | None = None) -> int:
        """Send one person a message in their language; return its outbox row."""
        return await tell(self.messenger, self.tr, uow, user, msg, buttons)

    async def recipients(self, uow: Work, agreement: Agreement) -> list[User]:
        """Who gets the check-ins: the contact person, or, while there is none, the gemeente's coordinators."""
        owner = await uow.users.by_id(agreement.owner_id) if agreement.owner_id else None
        if owner is not None and owner.active:
            return [owner]
        return await uow.users.coordinators_of(agreement.gemeente)

    async def owner_and_coordinators(self, uow: Work, agreement: Agreement) -> list[User]:
        """Who hears about an agreement's end: its check-ins' recipients and the gemeente's coordinators."""
        people = await self.recipients(uow, agreement)
        for c in await uow.users.coordinators_of(agreement.gemeente):
            if c.id not in {p.id for p in people}:
                people.append(c)
        return people

    def gemeente(self, agreement: Agreement) -> str:
        """The name of the agreement's gemeente."""
        return self.region.gemeente_name(agreement.gemeente)

    def desk_name(self, desk_id: str) -> str:
        """A desk's name (its id when the region no longer has it)."""
        desk = self.region.meldpunten.get(desk_id)
        return desk.name if desk else desk_id

    def rhythm_text(self, value: rhythm.Rhythm) -> Msg:
        """The rhythm in words: "elke week", "op maandag en donderdag"."""
        every, weekdays = value.every, value.weekdays
        if weekdays:
            labels = {int(o.value): o.label for o in WEEKDAYS}
            return Msg(ON_DAYS, {"days": tuple(Msg(labels[d]) for d in weekdays)})
        if every % 7 == 0:
            weeks = every // 7
            return Msg(EVERY_WEEK) if weeks == 1 else Msg(EVERY_WEEKS, {"n": weeks})
        return Msg(EVERY_DAYS, {"n": every})

    async def describe(self, uow: Work, locale: str, agreement: Agreement, full: bool = False) -> str:
        """The agreement as the people who keep it read it: in the chat without what was typed about the
        resident; `full` (the reading page) with the resident's reference and the written warning signs."""
        owner = await uow.users.by_id(agreement.owner_id) if agreement.owner_id else None
        params: dict[str, Param] = {
            "ref": agreement.ref,
            "gemeente": self.gemeente(agreement),
            "owner": owner.display_name if owner else Msg(NOBODY),
            "rhythm": self.rhythm_text(agreement.rhythm),
            "end": self.tr.day(locale, agreement.end_on),
            "signs": self.signs(locale, agreement, full),
            "desk": self.desk_name(agreement.return_desk),
        }
        lines = [self.tr.render(locale, Msg(DESCRIBE, params)), await self._origin(uow, locale, agreement)]
        if full:
            lines.insert(1, self.tr.render(locale, Msg(RESIDENT, {"resident": agreement.resident_ref})))
        return "\n".join(lines)

    async def count(self, uow: Work, kind: Counted, gemeente: str, category: str = "", by: int = 1) -> None:
        """An anonymous count for the regiobeeld (per gemeente and month), in the event's transaction."""
        await uow.tallies.bump(
            kind, gemeente, category, month(self.clock.now(), self.region.info.timezone), by
        )

    def signs(self, locale: str, agreement: Agreement, full: bool) -> Param:
        """The warning signs agreed: the categories in the reader's language, then (`full`) the words written
        down."""
        cats = [
            self.tr.render(locale, Msg(CATEGORY_LABELS[c]))
            for c in agreement.warning_categories
            if c in CATEGORY_LABELS
        ]
        words = [agreement.warning_signs] if agreement.warning_signs and full else []
        return ", ".join(cats + words) or Msg(NO_SIGNS)

    async def _origin(self, uow: Work, locale: str, agreement: Agreement) -> str:
        """ChatOf the agreement comes from: the signal it follows up, and who set it up."""
        by = await uow.users.by_id(agreement.proposed_by) if agreement.proposed_by else None
        who: Param = by.display_name if by else Msg(NOBODY)
        signal = await uow.signals.by_id(agreement.signal_id) if agreement.signal_id else None
        if signal is None:
            return self.tr.render(locale, Msg(SET_UP_BY, {"by": who}))
        return self.tr.render(locale, Msg(LINKED, {"signal": signal.ref, "by": who}))
