"""`/regie`: the residents a person directs or is asked to direct; for a coordinator also the regies of their
gemeenten and the open signals whose resident has had no regisseur for too long. A work list: exact counts,
codes and names of professionals only (what is typed about a resident is read on the region's server)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.domain.access import COORDINATOR
from bot.domain.lifecycle import Status
from bot.domain.regie_commands import RegieAction
from bot.regie.links import RegieLinks, regie_label
from bot.regie.plan import CARD
from bot.regie.reminders import Reminders
from bot.views.messenger import Buttons
from flows.text import N_, Msg
from storage.models import Regie, Signal, User
from storage.ports import Work

MINE = N_("Regie bij u ({n}):")
ASKED = N_("Gevraagd aan u ({n}); antwoord met de knoppen onder het verzoek:")
LINE = N_("{regie} · {gemeente} · sinds {since} · signalen: {signals}")
GEMEENTEN = N_("Regie in uw gemeenten ({n}):")
GEMEENTE_LINE = N_("{regie} · {gemeente} · {who}")
NO_ONE = N_("nog geen regisseur")
WITHOUT = N_("Open signalen zonder regisseur, langer dan {days} werkdagen ({n}):")
WITHOUT_LINE = N_("{signal} · {gemeente} · sinds {since}")
NOTHING = N_(
    "U heeft geen regie. Een regisseur vragen: 🧭 Regie onder een signaal, of /regie met de code van een "
    "signaal (bijvoorbeeld /regie S-ABC123)."
)
CARDS = 20  # cards offered as buttons at most (the list itself names every regie)
ASK_HOW = N_("Een regisseur vragen: 🧭 Regie onder een signaal, of /regie CODE.")


@dataclass
class RegieList:
    links: RegieLinks
    reminders: Reminders

    async def text(self, uow: Work, user: User) -> tuple[str, Buttons]:
        """The whole list, in the person's language, with a 📋 button for the card of each regie one directs
        (and, for a coordinator, each of their gemeenten)."""
        t = self._t(user.locale)
        involving = await uow.regies.involving(user.id)
        mine = [r for r in involving if r.regisseur_id == user.id]
        asked = [r for r in involving if r.asked_id == user.id]
        lines: list[str] = []
        for header, regies in ((MINE, mine), (ASKED, asked)):
            if regies:
                lines += [
                    t(header, n=str(len(regies))),
                    *[await self._line(uow, user, r) for r in regies],
                    "",
                ]
        lines += await self.reminders.lines(uow, user)
        cards = list(mine)
        if user.active and user.role == COORDINATOR and user.gemeenten:
            lines += await self._gemeenten(uow, user)
            cards += [r for r in await uow.regies.in_gemeenten(user.gemeenten) if r not in cards]
        if not any(lines):
            return t(NOTHING), []
        buttons = [
            [self.links.button(user, Msg(CARD, {"regie": r.ref}), RegieAction.CARD, r.id, r.version)]
            for r in cards[:CARDS]
        ]
        return "\n".join([*lines, t(ASK_HOW)]), buttons

    async def _line(self, uow: Work, user: User, regie: Regie) -> str:
        signals = [s.ref for s in await uow.signals.by_resident(regie.resident_key) if s.regie_id == regie.id]
        return self._t(user.locale)(
            LINE,
            regie=regie.ref,
            gemeente=self.links.region.gemeente_name(regie.gemeente),
            since=self.links.tr.when(user.locale, regie.accepted_at or regie.created_at),
            signals=", ".join(signals) or "-",
        )

    async def _gemeenten(self, uow: Work, user: User) -> list[str]:
        """A coordinator's view: every live regie there, and the open signals left without a regisseur."""
        t, loc = self._t(user.locale), user.locale
        regies = await uow.regies.in_gemeenten(user.gemeenten)
        lines = [t(GEMEENTEN, n=str(len(regies)))] if regies else []
        for r in regies:
            who = await regie_label(uow, self.links.tr, r, loc) or self.links.tr.render(loc, Msg(NO_ONE))
            lines.append(
                t(GEMEENTE_LINE, regie=r.ref, gemeente=self.links.region.gemeente_name(r.gemeente), who=who)
            )
        if lines:
            lines.append("")
        directed = {r.id for r in regies if r.regisseur_id is not None}
        days = self.links.region.escalation.no_regisseur_days
        now, hours = self.links.clock.now(), self.links.region.hours()
        left = [
            s
            for s in await uow.signals.open_in(user.gemeenten, Status.CLOSED)
            if s.regie_id not in directed and hours.working_days_between(s.created_at, now) >= days
        ]
        if left:
            lines.append(t(WITHOUT, days=str(days), n=str(len(left))))
            lines += [self._without(loc, s) for s in left]
            lines.append("")
        return lines

    def _without(self, loc: str, signal: Signal) -> str:
        return self._t(loc)(
            WITHOUT_LINE,
            signal=signal.ref,
            gemeente=self.links.region.gemeente_name(signal.gemeente),
            since=self.links.tr.when(loc, signal.created_at),
        )

    def _t(self, loc: str) -> Callable[..., str]:
        def t(msgid: str, **params: str) -> str:
            return self.links.tr.render(loc, Msg(msgid, dict(params)))

        return t
