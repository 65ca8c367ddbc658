"""Who a plan line names: a professional, or an organisation until one of its people in the gemeente accepts.
Everyone of the organisation there is asked privately; the first to accept does it (the others hear who), one
who declines does so for the organisation. While it is asked of them, they read the regie's plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.accounts.professionals import members, organisation, works_in
from bot.domain.access import may_direct
from bot.domain.regie import LineStatus
from bot.domain.regie_commands import RegieAction
from bot.regie.links import RegieLinks
from flows.text import N_, Msg, Param
from storage.models import PlanLine, Regie, User
from storage.ports import Work

ASK_LINE = N_(
    "{by}, regisseur van {regie} ({gemeente}), vraagt u planregel {seq}, klaar vóór {due}. Wat precies leest u "
    "op de server: tik op Openen."
)
ASK_ORG = N_(
    "{by}, regisseur van {regie} ({gemeente}), vraagt {org} planregel {seq}, klaar vóór {due}. Wie van {org} "
    "het eerst accepteert, doet het; wie weigert, weigert namens {org}. Wat precies leest u op de server: tik "
    "op Openen."
)
CHASE_ORG = N_(
    "Planregel {seq} van regie {regie} moest klaar zijn vóór {due}, en niemand van {org} heeft hem aangenomen. "
    "Wie neemt hem?"
)
TAKEN = N_("{name} heeft planregel {seq} van regie {regie} aangenomen voor {org}.")
REFUSED = N_("{name} neemt planregel {seq} van regie {regie} niet aan, namens {org}.")
ACCEPT, DECLINE = N_("Accepteren"), N_("Weigeren")


def line_params(links: RegieLinks, user: User, regie: Regie, line: PlanLine) -> dict[str, Param]:
    """What every message about a plan line names: its number, its regie and its date."""
    return {"seq": line.seq, "regie": regie.ref, "due": links.tr.day(user.locale, line.due_on)}


def may_take(user: User, regie: Regie, line: PlanLine) -> bool:
    """One of the organisation a line names, in the regie's gemeente, while nobody of it has accepted."""
    return line.owner_id is None and line.org == user.org and works_in(user, regie.gemeente)


def named_in(user: User, regie: Regie, lines: Iterable[PlanLine]) -> set[int]:
    """The people a plan names, for who reads it: its owners, and this person while an organisation's line is
    asked of them."""
    shown = list(lines)
    asked = any(line.status == LineStatus.ASKED and may_take(user, regie, line) for line in shown)
    return {line.owner_id for line in shown if line.owner_id is not None} | ({user.id} if asked else set())


def who(line: PlanLine, people: dict[int, User]) -> str:
    """The name a line shows: the one doing it, or the organisation asked."""
    owner = people.get(line.owner_id or 0)
    return owner.display_name if owner is not None else (line.org or "?")


@dataclass
class Named:
    links: RegieLinks

    async def resolve(self, uow: Work, value: str, gemeente: str) -> tuple[User | None, str | None]:
        """The person or the organisation chosen, if they may still be named in the gemeente."""
        if value.startswith("o"):
            return None, await organisation(uow, value, gemeente)
        owner = await uow.users.by_id(int(value)) if value.isdigit() else None
        return (owner, None) if owner is not None and may_direct(owner, gemeente) else (None, None)

    async def asked(self, uow: Work, regie: Regie, line: PlanLine, but: int | None = None) -> list[User]:
        """Whom the line is asked of: the one named, or everyone of the organisation in the gemeente."""
        if line.owner_id is not None:
            owner = await uow.users.by_id(line.owner_id)
            return [owner] if owner is not None and owner.active and owner.id != but else []
        return await members(uow, line.org or "", regie.gemeente, but=but)

    async def ask(self, uow: Work, by: User, regie: Regie, line: PlanLine, msgid: str = "") -> None:
        """Ask privately to accept the line (Accepteren / Weigeren, and the page to read what it says)."""
        msgid = msgid or (ASK_LINE if line.owner_id is not None else ASK_ORG)
        b = self.links.button
        for person in await self.asked(uow, regie, line, but=by.id):
            params = line_params(self.links, person, regie, line) | {
                "by": f"{by.display_name} ({by.org})",
                "gemeente": self.links.region.gemeente_name(regie.gemeente),
                "org": line.org or "",
            }
            buttons = [
                [
                    b(person, ACCEPT, RegieAction.LINE_ACCEPT, line.id, line.version),
                    b(person, DECLINE, RegieAction.LINE_DECLINE, line.id, line.version),
                ],
                *self.links.opens(person, regie.ref),
            ]
            await self.links.say(uow, person, Msg(msgid, params), buttons)

    async def answered(self, uow: Work, user: User, regie: Regie, line: PlanLine, accepted: bool) -> None:
        """One of the organisation answered for it: the others asked hear who, so nobody takes it twice."""
        for person in await members(uow, line.org or "", regie.gemeente, but=user.id):
            params = line_params(self.links, person, regie, line) | {
                "name": user.display_name,
                "org": line.org or "",
            }
            await self.links.say(uow, person, Msg(TAKEN if accepted else REFUSED, params))
