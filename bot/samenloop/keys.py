"""Match keys: typed on the form, turned at once into keyed pseudonyms (the form never hands the plain key
on), stored with the signal, regie or waakvlam they were given on, and compared with the others. When
another organisation has a live item with the same pseudonym, the owners of both are told privately: codes
and an organisation's name, nothing of the other side's content; nobody else learns of it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.access import DESK_STAFF
from bot.domain.actions import OVERLEG_BUTTON, Action
from bot.domain.agreements import LIVE as LIVE_AGREEMENT
from bot.domain.lifecycle import Status
from bot.domain.overleg_commands import OverlegAction
from bot.domain.regie import LIVE as LIVE_REGIE
from bot.domain.tallies import Counted, month
from bot.views.messenger import Buttons
from bot.views.private import Private
from flows import form, matchkey
from flows.model import Step
from flows.state import Filled
from flows.text import N_, Msg, Param
from storage.crypto import PSEUDONYM, installed
from storage.models import MatchKey, User
from storage.ports import Work

NEW_SIDE = N_(
    "🔗 Mogelijk samenloop: {code} is waarschijnlijk dezelfde bewoner als een lopend dossier bij {other}. "
    "Alleen u en de eigenaar daar horen dit; wat elk weet blijft bij elk."
)
OLD_SIDE = N_(
    "🔗 Mogelijk samenloop: uw {code} is waarschijnlijk dezelfde bewoner als een nieuw dossier bij {other}. "
    "Alleen u en de eigenaar daar horen dit; wat elk weet blijft bij elk."
)
TOGETHER = N_("🤝 Routeeroverleg")


@dataclass(frozen=True)
class Side:
    """One live item with a match key: its code, who owns it, and what the other side may call them."""

    code: str
    owners: list[User]
    label: str
    signal_id: int | None
    resident: str  # the blind index of the resident reference: items already tied share it
    desks: tuple[str, ...] = ()


@dataclass
class MatchKeys:
    links: Private

    def review(self, step: Step, filled: Filled) -> form.Problem | form.Found | form.Ready:
        """What the form's text amounts to (flows/form.py); a match key becomes its pseudonyms here, before
        anything keeps it: the newest data key's first, then one per older key (they find older keys)."""
        checked = form.review(step, filled)
        if not step.match_key or not isinstance(checked, form.Ready) or not checked.text:
            return checked
        fields = self.links.region.samenloop.fields
        key = matchkey.normalise(fields, checked.text)
        if key is None:
            params: dict[str, Param] = {"fields": ", ".join(fields), "example": matchkey.example(fields)}
            return form.Problem(Msg(matchkey.WRONG, params))
        return form.Ready(" ".join(installed().pseudonyms(key)))

    async def given(
        self, uow: Work, user: User, answer: object, gemeente: str, *, code: str, **on: int
    ) -> None:
        """A signal, regie or waakvlam was given a match key (`on`: signal_id, regie_id or agreement_id):
        keep the newest pseudonym and tell the owners of any live item of another organisation with one."""
        pseudonyms = answer.split() if isinstance(answer, str) else []
        if not pseudonyms or not all(p.startswith(PSEUDONYM) for p in pseudonyms):
            return
        now = self.links.clock.now()
        key = await uow.samenloop.add_key(
            MatchKey(
                pseudonym=pseudonyms[0],
                org=user.org,
                gemeente=gemeente,
                given_by=user.id,
                created_at=now,
                **on,
            )
        )
        await record(uow, self.links.clock, "match_key_given", actor=user, subject=code)
        mine = await self.side(uow, key)
        for other in await uow.samenloop.keys_like(pseudonyms, key.id):
            theirs = await self.side(uow, other) if other.org != key.org else None
            # No news: the same organisation, an item that ended, or one already tied to this one (the same
            # resident reference: a regie or a waakvlam on this signal, a signal linked to this regie).
            if mine is None or theirs is None or theirs.resident == mine.resident:
                continue
            await self._tell(mine, theirs, key, other, NEW_SIDE, uow)
            await self._tell(theirs, mine, other, key, OLD_SIDE, uow)
            await uow.tallies.bump(Counted.MATCH, gemeente, "", month(now, self.links.region.info.timezone))
            await record(uow, self.links.clock, "samenloop_found", subject=code, other=theirs.code)

    async def side(self, uow: Work, key: MatchKey) -> Side | None:
        """The live signal, regie or waakvlam a key was given on, with its owners; None once it ended."""
        if key.signal_id is not None:
            signal = await uow.signals.by_id(key.signal_id)
            if signal is None or signal.status == Status.CLOSED:
                return None
            desks = (
                [signal.owner_desk]
                if signal.owner_desk
                else [r.meldpunt_id for r in await uow.signals.routes_of(signal.id)]
            )
            names = [self.links.region.meldpunten[d].name for d in desks if d in self.links.region.meldpunten]
            label = ", ".join(names)
            staff = await uow.samenloop.staff_of(desks)
            return Side(signal.ref, staff, label, signal.id, signal.resident_key, tuple(desks))
        if key.regie_id is not None:
            regie = await uow.regies.by_id(key.regie_id)
            who = (regie.regisseur_id or regie.asked_id) if regie and regie.status in LIVE_REGIE else None
            person = await uow.users.by_id(who) if who else None
            return (
                Side(regie.ref, [person], person.org, None, regie.resident_key) if regie and person else None
            )
        agreement = await uow.agreements.by_id(key.agreement_id) if key.agreement_id else None
        if agreement is None or agreement.status not in LIVE_AGREEMENT:
            return None
        owner = await uow.users.by_id(
            agreement.owner_id or agreement.proposed_owner_id or agreement.created_by
        )
        return Side(agreement.ref, [owner], owner.org, None, agreement.resident_key) if owner else None

    async def _tell(
        self, to: Side, other: Side, key: MatchKey, their: MatchKey, words: str, uow: Work
    ) -> None:
        """One side's owners hear of the match, privately; desk staff get 🤝 Routeeroverleg when both
        sides are signals (the overleg decides about a signal)."""
        for person in to.owners:
            if not person.active:
                continue
            buttons: Buttons = []
            if to.signal_id and other.signal_id and person.role == DESK_STAFF:
                value = Action(OVERLEG_BUTTON, OverlegAction.FROM_MATCH, key.id, str(their.id)).value()
                label = self.links.tr.render(person.locale, Msg(TOGETHER))
                buttons.append([(label, self.links.codec.encode(person.telegram_id, 0, value))])
            buttons += self.links.opens(person, to.code)
            await self.links.say(uow, person, Msg(words, {"code": to.code, "other": other.label}), buttons)
