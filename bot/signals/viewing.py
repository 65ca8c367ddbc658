"""Show signals to the people allowed to see them, and record every look at the details."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.access import COORDINATOR, SignalScope, at_a_desk, can_view, reads_notes
from bot.domain.agreements import LIVE, TO_SEND
from bot.domain.clock import Clock
from bot.domain.lifecycle import OUTCOMES, STATUS_LABELS, Status
from bot.domain.outgoing import Buttons, link
from bot.domain.regie import LIVE as REGIE_LIVE
from bot.domain.region import Region
from bot.regie.links import regie_line
from bot.views.history import LINE, history
from bot.views.i18n import Translator
from bot.views.summaries import ANSWERS, CATEGORY_LABELS, ROLE_NAMES
from flows.text import N_, Msg, Param
from storage.models import Signal, User
from storage.ports import Work

FILED_BY = N_("Melder: {name} · {org} ({role})")
CONTACT = N_("Contact met {name}")
NOT_FOUND = N_("Dit signaal bestaat niet, of u mag het niet inzien.")
NONE_YET = N_("U heeft nog geen signalen doorgegeven. Met /signaal begint u er een.")
MINE_HEADER = N_("Uw signalen (nieuwste eerst):")
# Codes and system words only: the filer's own reference is what she typed about a resident, so it does not
# travel through Telegram in a new message (it will be read on the region's server, issue 37).
MINE_LINE = N_("{ref} · {when} · {gemeente} · {status} → {desks}")
IN_HAND_HEADER = N_("Bij u in behandeling ({n}):")
IN_HAND_LINE = N_("{ref} · {gemeente} · {status} · sinds {when}")
DESK_OPEN = N_("Open bij {desk}: {n}. Alles op volgorde met /open.")
COORDINATOR_OPEN = N_(
    "Open in uw gemeenten ({gemeenten}): {n}, waarvan nog niet opgepakt: {new}. Bekijk er een met /signaal CODE."
)
HELD_HEADER = N_("Waakvlammen die u houdt:")
DIRECTING = N_("Regie bij u: {n}, gevraagd aan u: {asked}. Overzicht met /regie.")
HELD_LINE = N_("{ref} · {gemeente} · volgende check-in: {next}")
# In the chat only what the system made; the text is read on the region's server (bot/forms).
HEADLINE = N_(
    "Signaal {ref} · {gemeente} · {status}\nDe tekst leest u op de server van de regio: tik op Openen."
)
OPEN = N_("📄 Openen")
NO_NEXT = N_("niet gepland")
AGREEMENT_EVENTS = {
    "set_up": N_("waakvlam vastgelegd"),
    "accepted": N_("contactpersoon accepteerde"),
    "checkin_good": N_("check-in: goed"),
    "checkin_no_contact": N_("check-in: geen contact gehad"),
    "checkin_worry": N_("check-in: zorgen"),
    "checkin_missed": N_("check-in niet beantwoord"),
}
MINE_LIMIT = 20
# What a signal's code looks like (bot.signals.filing.new_ref); anything else is not looked up.
REF = re.compile(r"S-[A-Z0-9]{6}")


@dataclass
class Viewing:
    region: Region
    tr: Translator
    clock: Clock

    async def mine(self, uow: Work, user: User) -> str:
        """List the user's own work: what is in hand at their desk or open in their gemeenten, the
        waakvlammen they hold, and the signals they filed with where they went and how far they are.
        A work list, not statistics: its counts are exact."""
        signals = list(reversed(await uow.signals.of_filer(user.id)))[:MINE_LIMIT]
        loc = user.locale
        work = await self._work(uow, user) + await self._held(uow, user) + await self._directed(uow, user)
        if not signals:
            return "\n".join([*work, self.tr.render(loc, Msg(NONE_YET))])
        lines = [*work, self.tr.render(loc, Msg(MINE_HEADER))]
        for s in signals:
            desks = ", ".join(self._desk_name(r.meldpunt_id) for r in await uow.signals.routes_of(s.id))
            params: dict[str, Param] = {
                "ref": s.ref,
                "when": self.tr.when(loc, s.created_at),
                "gemeente": self._gemeente(s),
                "status": Msg(STATUS_LABELS[s.status]),
                "desks": desks,
            }
            lines.append(self.tr.render(loc, Msg(MINE_LINE, params)))
        return "\n".join(lines)

    async def _work(self, uow: Work, user: User) -> list[str]:
        """Desk staff: what they have in hand and what is open at their desk; coordinators: what is open in
        their gemeenten. A blank line after it."""
        loc, t = user.locale, self._line(user.locale)
        if at_a_desk(user):
            desk_id = user.meldpunt_id or ""
            open_ = await uow.signals.open_for_desk(desk_id, Status.CLOSED)
            mine = [s for s in open_ if s.owner_id == user.id]
            lines = [t(IN_HAND_HEADER, n=str(len(mine)))] if mine else []
            lines += [
                t(
                    IN_HAND_LINE,
                    ref=s.ref,
                    gemeente=self._gemeente(s),
                    status=Msg(STATUS_LABELS[s.status]),
                    when=self.tr.when(loc, s.created_at),
                )
                for s in mine
            ]
            return [*lines, t(DESK_OPEN, desk=self._desk_name(desk_id), n=str(len(open_))), ""]
        if user.active and user.role == COORDINATOR and user.gemeenten:
            open_ = await uow.signals.open_in(user.gemeenten, Status.CLOSED)
            names = ", ".join(self.region.gemeente_name(g) for g in user.gemeenten)
            new = sum(s.status == Status.NEW for s in open_)
            return [t(COORDINATOR_OPEN, gemeenten=names, n=str(len(open_)), new=str(new)), ""]
        return []

    async def _held(self, uow: Work, user: User) -> list[str]:
        """The waakvlammen this person holds, with the next check-in; a blank line after them."""
        agreements = await uow.agreements.held_by(user.id, LIVE)
        if not agreements:
            return []
        loc, lines = user.locale, [self.tr.render(user.locale, Msg(HELD_HEADER))]
        upcoming = await uow.agreements.next_due([a.id for a in agreements], TO_SEND)
        for a in agreements:
            params: dict[str, Param] = {
                "ref": a.ref,
                "gemeente": self.region.gemeente_name(a.gemeente),
                "next": self.tr.when(loc, upcoming[a.id]) if a.id in upcoming else Msg(NO_NEXT),
            }
            lines.append(self.tr.render(loc, Msg(HELD_LINE, params)))
        return [*lines, ""]

    async def _directed(self, uow: Work, user: User) -> list[str]:
        """How many residents this person directs, or is asked to (the list: /regie); a blank line after."""
        involving = await uow.regies.involving(user.id)
        if not involving:
            return []
        n = sum(r.regisseur_id == user.id for r in involving)
        asked = len(involving) - n
        return [self.tr.render(user.locale, Msg(DIRECTING, {"n": n, "asked": asked})), ""]

    async def allowed(self, uow: Work, user: User, ref: str) -> tuple[Signal, SignalScope] | None:
        """The signal with this code and who it concerns, if this person may see it; refusals audited."""
        signal = await uow.signals.by_ref(ref.strip().upper()) if REF.fullmatch(ref.strip().upper()) else None
        if signal is None:
            return None
        routes = await uow.signals.routes_of(signal.id)
        agreement = await uow.agreements.of_signal(signal.id)
        holder = agreement.owner_id if agreement is not None and agreement.status in LIVE else None
        regie = await uow.regies.by_id(signal.regie_id) if signal.regie_id else None
        live = regie is not None and regie.status in REGIE_LIVE
        scope = SignalScope(
            signal.filer_id,
            signal.gemeente,
            [r.meldpunt_id for r in routes],
            holder,
            regie.regisseur_id if regie is not None and live else None,
            regie.asked_id if regie is not None and live else None,
        )
        if not can_view(user, scope):
            await record(uow, self.clock, "signal_view_refused", actor=user, subject=signal.ref)
            return None
        return signal, scope

    async def headline(self, uow: Work, user: User, ref: str) -> tuple[str, int | None, Buttons]:
        """`/signaal REF` in the chat: the code, the gemeente and the status, and (for who may see it) the
        signal's id and, for the desks and coordinators, a button to contact the filer; the text itself is
        read on the page."""
        seen = await self.allowed(uow, user, ref)
        if seen is None:
            return self.tr.render(user.locale, Msg(NOT_FOUND)), None, []
        signal, scope = seen
        params: dict[str, Param] = {
            "ref": signal.ref,
            "gemeente": self._gemeente(signal),
            "status": Msg(STATUS_LABELS[signal.status]),
        }
        text = self.tr.render(user.locale, Msg(HEADLINE, params))
        regie = await regie_line(uow, self.tr, signal, user.locale)
        return (
            f"{text}\n🧭 {regie}" if regie else text,
            signal.id,
            await self._contact(uow, user, signal, scope),
        )

    async def _contact(self, uow: Work, user: User, signal: Signal, scope: SignalScope) -> Buttons:
        """A button to the filer's Telegram, for the desks and coordinators (a mention by id: no number)."""
        filer = await uow.users.by_id(signal.filer_id) if reads_notes(user, scope) else None
        if filer is None or filer.id == user.id:
            return []
        label = self.tr.render(user.locale, Msg(CONTACT, {"name": filer.display_name}))
        return [[link(label, f"tg://user?id={filer.telegram_id}")]]

    async def details(self, uow: Work, user: User, ref: str) -> str:
        """One signal in full, for someone allowed to see it (on the reading page, bot/forms); the same answer
        for unknown and forbidden; audited."""
        loc = user.locale
        seen = await self.allowed(uow, user, ref)
        if seen is None:
            return self.tr.render(loc, Msg(NOT_FOUND))
        signal, scope = seen
        routes = await uow.signals.routes_of(signal.id)
        await record(uow, self.clock, "signal_viewed", actor=user, subject=signal.ref)
        events = await uow.signals.events_of(signal.id)
        t = self._line(loc)
        lines = [
            t(N_("Signaal {ref} · {gemeente}"), ref=signal.ref, gemeente=self._gemeente(signal)),
            t(N_("Status: {status}"), status=Msg(STATUS_LABELS[signal.status])),
            t(
                N_("Gezien: {categories}"),
                categories=tuple(Msg(CATEGORY_LABELS[c]) for c in signal.categories),
            ),
            t(N_("Referentie van de melder: {ref}"), ref=signal.resident_ref),
            t(N_("Wijk of postcode: {area}"), area=signal.area),
            t(N_("Beschrijving: {text}"), text=signal.description),
            t(N_("Zorg betrokken: {answer}"), answer=Msg(ANSWERS[signal.care_involved])),
        ]
        if signal.care_orgs:
            lines.append(t(N_("Betrokken organisaties: {orgs}"), orgs=signal.care_orgs))
        lines.append(t(N_("Bewoner op de hoogte: {answer}"), answer=Msg(ANSWERS[signal.resident_knows])))
        lines.append(t(N_("Ook andere gemeente: {answer}"), answer=Msg(ANSWERS[signal.elsewhere])))
        lines.append(
            t(N_("Meldpunten: {desks}"), desks=", ".join(self._desk_name(r.meldpunt_id) for r in routes))
        )
        regie = await regie_line(uow, self.tr, signal, loc)
        if regie:
            lines.append(regie)
        filer = await uow.users.by_id(signal.filer_id) if reads_notes(user, scope) else None
        if (
            filer is not None and filer.id != user.id
        ):  # the desks learn who filed (and reach them from the chat)
            role = Msg(ROLE_NAMES.get(filer.role, filer.role))
            lines.append(t(FILED_BY, name=filer.display_name, org=filer.org, role=role))
        lines.append(t(N_("Geschiedenis:")))
        people = await uow.users.by_ids({e.actor_id for e in events if e.actor_id is not None})
        lines += history(self.tr, loc, self.region, events, people, notes=reads_notes(user, scope))
        lines += await self._waakvlam(uow, loc, signal)
        return "\n".join(lines)

    async def _waakvlam(self, uow: Work, loc: str, signal: Signal) -> list[str]:
        """A relapse brings its history: the waakvlam it came from and the signal before it."""
        agreement = await uow.agreements.by_id(signal.agreement_id) if signal.agreement_id else None
        if agreement is None:
            return []
        t = self._line(loc)
        earlier = await uow.signals.by_id(agreement.signal_id) if agreement.signal_id else None
        lines = [
            t(
                N_("Terugval binnen waakvlam {ref}; eerder signaal: {earlier}"),
                ref=agreement.ref,
                earlier=earlier.ref if earlier else "-",
            )
        ]
        if earlier is not None and earlier.outcome:
            lines.append(
                t(N_("Dat signaal werd afgesloten: {outcome}"), outcome=Msg(OUTCOMES[earlier.outcome]))
            )
        lines.extend(
            t(LINE, when=self.tr.when(loc, e.at), what=Msg(AGREEMENT_EVENTS[e.kind]))
            for e in await uow.agreements.events_of(agreement.id)
            if e.kind in AGREEMENT_EVENTS
        )
        return lines

    def _line(self, loc: str) -> Callable[..., str]:
        def t(msgid: str, **params: str | Msg | tuple[Msg, ...]) -> str:
            return self.tr.render(loc, Msg(msgid, dict(params)))

        return t

    def _desk_name(self, meldpunt_id: str) -> str:
        desk = self.region.meldpunten.get(meldpunt_id)
        return desk.name if desk else meldpunt_id

    def _gemeente(self, signal: Signal) -> str:
        return self.region.gemeente_name(signal.gemeente)
