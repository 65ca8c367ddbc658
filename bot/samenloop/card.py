"""A routeeroverleg's card as each desk sees it in its chat: who takes part and what each said, the
proposal on the table, the deadline; and the buttons that fit this desk now. System words, codes and desk
names only: an objection's reason is read privately, on the region's server."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.actions import OVERLEG_BUTTON, Action
from bot.domain.overleg import IN_VIEW, REASONS, ROUTES, OverlegStatus
from bot.domain.overleg_commands import OverlegAction
from bot.domain.region import Meldpunt
from bot.views.messenger import Buttons
from bot.views.private import Private
from flows.text import N_, Msg, Param
from storage.models import Overleg, OverlegPart, Signal

HEAD = N_("🤝 Routeeroverleg {ref} over {signal} · {gemeente}\nWaarom: {reason}")
PART = N_("• {desk} — {view}{vote}")
NOT_SAID = N_("in beeld nog niet gezegd")
VOTES = {"agree": N_(" · akkoord"), "object": N_(" · bezwaar")}
PROPOSAL = N_("Voorstel van {desk}: {route}; aan zet: {lead}.")
NO_PROPOSAL = N_("Nog geen voorstel: één meldpunt doet er een met Voorstel doen.")
DEADLINE = N_("Besluit graag vóór {deadline}; daarna gaat het de ladder op.")
CLIMBED = N_("De termijn is voorbij: het ligt nu ook op de ladder van de gemeente.")
DECIDED = N_("✅ Besloten op {when}: {route}; aan zet: {lead}.")
YES, NO, EARLIER = N_("In beeld"), N_("Niet in beeld"), N_("Eerder in beeld")
PROPOSE, AGREE, OBJECT = N_("Voorstel doen"), N_("Akkoord"), N_("Bezwaar")


@dataclass
class OverlegCards:
    links: Private

    def text(self, loc: str, overleg: Overleg, parts: list[OverlegPart], signal: Signal) -> str:
        """The card's text in a desk's (or a reader's) language."""
        tr, region = self.links.tr, self.links.region
        head: dict[str, Param] = {
            "ref": overleg.ref,
            "signal": signal.ref,
            "gemeente": region.gemeente_name(overleg.gemeente),
            "reason": Msg(REASONS.get(overleg.reason, overleg.reason)),
        }
        lines = [tr.render(loc, Msg(HEAD, head))]
        for part in parts:
            said: dict[str, Param] = {
                "desk": self.name(part.meldpunt_id),
                "view": Msg(IN_VIEW.get(part.in_view or "", NOT_SAID)),
                "vote": Msg(VOTES[part.vote]) if part.vote in VOTES else "",
            }
            lines.append(tr.render(loc, Msg(PART, said)))
        if overleg.status == OverlegStatus.DECIDED and overleg.decided_at is not None:
            lines.append(
                tr.render(
                    loc, Msg(DECIDED, {"when": tr.when(loc, overleg.decided_at), **self._route(overleg)})
                )
            )
            return "\n".join(lines)
        if overleg.route is not None:
            lines.append(
                tr.render(
                    loc, Msg(PROPOSAL, {"desk": self.name(overleg.proposer_desk), **self._route(overleg)})
                )
            )
        else:
            lines.append(tr.render(loc, Msg(NO_PROPOSAL)))
        ending = (
            Msg(CLIMBED) if overleg.climbed else Msg(DEADLINE, {"deadline": tr.when(loc, overleg.deadline)})
        )
        lines.append(tr.render(loc, ending))
        return "\n".join(lines)

    def buttons(self, desk: Meldpunt, overleg: Overleg, part: OverlegPart) -> Buttons:
        """What this desk may press now: say whether the resident is in view there; propose, or answer the
        proposal on the table."""
        if overleg.status != OverlegStatus.OPEN:
            return []
        rows: Buttons = []
        if part.in_view is None:
            rows.append(
                [
                    self._button(desk, overleg, label, OverlegAction.IN_VIEW, code)
                    for label, code in ((YES, "yes"), (NO, "no"), (EARLIER, "earlier"))
                ]
            )
        if overleg.route is None:
            rows.append([self._button(desk, overleg, PROPOSE, OverlegAction.PROPOSE)])
        elif part.vote is None:
            rows.append(
                [
                    self._button(desk, overleg, AGREE, OverlegAction.AGREE),
                    self._button(desk, overleg, OBJECT, OverlegAction.OBJECT),
                ]
            )
        return rows

    def name(self, desk_id: str | None) -> str:
        """A desk's name (its id when the region no longer has it)."""
        desk = self.links.region.meldpunten.get(desk_id or "")
        return desk.name if desk else (desk_id or "?")

    def _route(self, overleg: Overleg) -> dict[str, Param]:
        return {
            "route": Msg(ROUTES.get(overleg.route or "", overleg.route or "?")),
            "lead": self.name(overleg.lead),
        }

    def _button(
        self, desk: Meldpunt, overleg: Overleg, label: str, action: OverlegAction, choice: str = ""
    ) -> tuple[str, str]:
        value = Action(OVERLEG_BUTTON, action.value, overleg.id, choice).value()
        return self.links.tr.render(desk.locale, Msg(label)), self.links.codec.encode(
            desk.chat_id, overleg.version, value
        )
