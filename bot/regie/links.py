"""What ties a resident's signals to their regie: a new signal (or a relapse) about a resident with a regie
is linked to it and its regisseur hears of it at once, privately; every summary names the regisseur."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.actions import REGIE_BUTTON, Action
from bot.domain.regie import LIVE
from bot.domain.regie_commands import RegieAction
from bot.views.i18n import Translator
from bot.views.private import Private
from flows.text import N_, Msg, Param
from storage.models import Regie, Signal, User
from storage.ports import Work

DIRECTED = N_("Regie: {name} ({org})")
ASKED_ONLY = N_("Regie: gevraagd aan {name} ({org}), nog niet geaccepteerd")
NEW_SIGNAL = N_("🧭 Nieuw signaal {signal} ({gemeente}) over de bewoner van wie u regisseur bent ({regie}).")
RELAPSE = N_("🧭 Terugval: signaal {signal} ({gemeente}) over de bewoner van wie u regisseur bent ({regie}).")


async def regie_line(uow: Work, tr: Translator, signal: Signal, locale: str) -> str | None:
    """ "Regie: name (organisation)" for a signal whose resident has a regie (who is asked, while nobody has
    accepted); None without one."""
    regie = await uow.regies.by_id(signal.regie_id) if signal.regie_id else None
    return await regie_label(uow, tr, regie, locale)


async def regie_label(uow: Work, tr: Translator, regie: Regie | None, locale: str) -> str | None:
    """The same for a regie in hand."""
    if regie is None or regie.status not in LIVE:
        return None
    who = regie.regisseur_id or regie.asked_id
    person = await uow.users.by_id(who) if who else None
    if person is None:
        return None
    params: dict[str, Param] = {"name": person.display_name, "org": person.org}
    return tr.render(locale, Msg(DIRECTED if regie.regisseur_id else ASKED_ONLY, params))


@dataclass
class RegieLinks(Private):
    """What every part of regie shares: telling people privately (Private) and regie's own buttons."""

    def button(
        self, user: User, label: Msg | str, action: RegieAction, target: int, version: int
    ) -> tuple[str, str]:
        """A regie button for one person: labelled in their language, signed for their private chat."""
        value = Action(REGIE_BUTTON, action.value, target).value()
        shown = self.tr.render(user.locale, label if isinstance(label, Msg) else Msg(label))
        return shown, self.codec.encode(user.telegram_id, version, value)

    async def link_new(self, uow: Work, signal: Signal) -> None:
        """A new signal about a resident with a regie: tie it to the regie and tell the regisseur privately,
        with a button to read it (a relapse from a waakvlam says so)."""
        regie = await uow.regies.live_of(signal.resident_key)
        if regie is None:
            return
        await uow.regies.link(regie.id, [signal.id])
        signal.regie_id = regie.id
        await uow.regies.event(regie.id, self.clock.now(), None, "linked", signal.ref)
        regisseur = await uow.users.by_id(regie.regisseur_id) if regie.regisseur_id else None
        if regisseur is not None and regisseur.active:
            await self.tell(uow, regisseur, regie, signal)

    async def tell(self, uow: Work, person: User, regie: Regie, signal: Signal) -> None:
        """Tell the regisseur of a signal about their resident: codes only, and Openen."""
        params: dict[str, Param] = {
            "signal": signal.ref,
            "gemeente": self.region.gemeente_name(signal.gemeente),
            "regie": regie.ref,
        }
        msg = Msg(RELAPSE if signal.agreement_id else NEW_SIGNAL, params)
        await self.say(uow, person, msg, self.opens(person, signal.ref))
