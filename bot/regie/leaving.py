"""A regisseur who is switched off leaves no resident without direction unnoticed: the regie goes back to
"asked" with nobody asked, and the gemeente's coordinators are told to ask someone else."""

from __future__ import annotations

from bot.domain.regie import ASKED
from bot.regie.links import RegieLinks
from flows.text import N_, Msg, Param
from storage.changes import RegieChange
from storage.models import User
from storage.ports import Work

REGISSEUR_LEFT = N_(
    "{name} is gedeactiveerd. Regie {regie} ({gemeente}) heeft een nieuwe regisseur nodig: /regie {signal}"
)


async def regisseur_left(links: RegieLinks, uow: Work, person: User) -> int:
    """Take a deactivated person off the regies they direct or were asked to; how many there were."""
    involving = await uow.regies.involving(person.id)
    for regie in involving:
        directed = regie.regisseur_id == person.id
        values: RegieChange = {"regisseur_id": None, "status": ASKED} if directed else {}
        if regie.asked_id == person.id:
            values["asked_id"] = None
        await uow.regies.change(regie, **values)
        await uow.regies.event(regie.id, links.clock.now(), None, "person_left")
        if not directed:
            continue
        signal = await uow.signals.by_id(regie.signal_id) if regie.signal_id else None
        params: dict[str, Param] = {
            "name": person.display_name,
            "regie": regie.ref,
            "gemeente": links.region.gemeente_name(regie.gemeente),
            "signal": signal.ref if signal else "CODE",
        }
        for c in await uow.users.coordinators_of(regie.gemeente):
            if c.id != person.id:
                text = links.tr.render(c.locale, Msg(REGISSEUR_LEFT, params))
                await links.messenger.send(uow.outbox, c.telegram_id, text)
    return len(involving)
