"""Triage at a triaging desk (the region file's `triage`: the Zorg- en Veiligheidshuis, Veilig Thuis): after
Oppakken the desk records what the signal gets — procesregie, uitgebreid advies, kort advies or niet passend.
Procesregie without capacity waits on the desk's werkvoorraad with a priority (1 first); the filer hears it,
privately, with whom to contact. Every Monday the desk gets its werkvoorraad as one card to re-prioritise (a
tap changes a priority, ▶ starts one), and each filer whose signal still waits hears where it stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.lifecycle import Status
from bot.domain.overleg import PRIORITIES, TRIAGE
from bot.domain.region import Meldpunt, Region
from bot.domain.tallies import Counted, month
from bot.signals.desk import CHANGED, DeskService
from bot.views.i18n import Translator
from bot.views.messenger import Buttons, Messenger
from flows.text import N_, Msg, Param
from storage.models import Signal, SignalEvent, User
from storage.ports import Work

TRIAGED = N_("Genoteerd: {verdict}.")
QUEUED = N_("Op de werkvoorraad, prioriteit {n}.")
STARTED = N_("Gestart: van de werkvoorraad af.")
FILER_QUEUED = N_(
    "Uw signaal {ref} staat op de werkvoorraad van {desk}, prioriteit {n} (sinds {since}). Contact: {name}."
)
CARD = N_(
    "Werkvoorraad {desk}, {day}: {n} wachtend, de hoogste prioriteit eerst. Tik een nieuwe prioriteit, of ▶ om te starten."
)
LINE = N_("{i}. P{n} · {ref} · {gemeente} · wacht {weeks}")
WEEKS = N_("{n} weken")
ONE_WEEK, UNDER_A_WEEK = N_("1 week"), N_("minder dan een week")
TO = N_("{i} → P{n}")
START = N_("{i} ▶")


def weeks_between(since: datetime | None, now: datetime) -> int:
    """Whole weeks between two days (a signal queued on a Monday has waited a week the next Monday)."""
    return (now.date() - since.date()).days // 7 if since else 0


def weeks(tr: Translator, loc: str, since: datetime | None, now: datetime) -> str:
    """How long something waits, in whole weeks."""
    n = weeks_between(since, now)
    return tr.render(loc, Msg(UNDER_A_WEEK if n < 1 else ONE_WEEK if n == 1 else WEEKS, {"n": n}))


@dataclass
class Triaging:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    desk: DeskService

    async def triage(self, uow: Work, user: User, desk: Meldpunt, signal: Signal, choice: str) -> Msg:
        """The desk's verdict; counted per desk for the regiobeeld."""
        if choice not in TRIAGE:
            return Msg(CHANGED)
        now = self.clock.now()
        await uow.signals.change(signal, triage=choice)
        await uow.signals.add_event(
            SignalEvent(signal_id=signal.id, at=now, actor_id=user.id, kind="triaged", note=choice)
        )
        await uow.tallies.bump(Counted.TRIAGED, signal.gemeente, f"{desk.id}:{choice}", self._month())
        await record(uow, self.clock, "signal_triaged", actor=user, subject=signal.ref, triage=choice)
        await self.desk.refresh(uow, signal)
        return Msg(TRIAGED, {"verdict": Msg(TRIAGE[choice])})

    async def queue(self, uow: Work, user: User, desk: Meldpunt, signal: Signal, choice: str) -> Msg:
        """On the werkvoorraad with this priority (or another one); the filer hears it the first time."""
        n = int(choice) if choice.isdecimal() and int(choice) in PRIORITIES else None
        if n is None:
            return Msg(CHANGED)
        first = signal.priority not in PRIORITIES
        now = self.clock.now()
        await uow.signals.change(signal, priority=n, queued_at=signal.queued_at or now)
        await uow.signals.add_event(
            SignalEvent(signal_id=signal.id, at=now, actor_id=user.id, kind="queued", note=str(n))
        )
        await record(uow, self.clock, "signal_queued", actor=user, subject=signal.ref, priority=n)
        if first:
            await self.tell_filer(uow, desk, signal)
        await self.desk.refresh(uow, signal)
        return Msg(QUEUED, {"n": n})

    async def start(self, uow: Work, user: User, desk: Meldpunt, signal: Signal) -> Msg:
        """Procesregie starts: off the werkvoorraad (counted with how many weeks it waited)."""
        now = self.clock.now()
        waited = weeks_between(signal.queued_at, now)
        await uow.signals.change(signal, priority=0)
        await uow.signals.add_event(
            SignalEvent(signal_id=signal.id, at=now, actor_id=user.id, kind="started", note=None)
        )
        await uow.tallies.bump(Counted.WAITED, signal.gemeente, f"{desk.id}:{min(waited, 12)}", self._month())
        await record(uow, self.clock, "signal_started", actor=user, subject=signal.ref)
        await self.desk.refresh(uow, signal)
        return Msg(STARTED)

    async def reprioritise(
        self,
        uow: Work,
        user: User,
        desk: Meldpunt,
        signal: Signal,
        choice: str,
        chat_id: int,
        message_id: int,
    ) -> Msg:
        """A tap on the Monday card: a new priority, or ▶ (0) to start; the card shows the list as it is now."""
        said = await (
            self.start(uow, user, desk, signal)
            if choice == "0"
            else self.queue(uow, user, desk, signal, choice)
        )
        text, buttons = await self.card(uow, desk)
        await self.messenger.edit(uow.outbox, chat_id, message_id, text, buttons)
        return said

    async def waiting(self, uow: Work, desk: Meldpunt) -> list[Signal]:
        """The desk's werkvoorraad: its procesregie waiting, by priority, then the longest waiting."""
        open_ = await uow.signals.open_for_desk(desk.id, Status.CLOSED)
        queued = [s for s in open_ if s.owner_desk == desk.id and s.priority in PRIORITIES]
        return sorted(queued, key=lambda s: (s.priority or 0, s.queued_at or s.created_at, s.id))

    async def card(self, uow: Work, desk: Meldpunt) -> tuple[str, Buttons]:
        """The werkvoorraad as one card: a line per signal, and per line its other priorities and ▶."""
        loc, now = desk.locale, self.clock.now()
        queued = await self.waiting(uow, desk)
        day = self.tr.day(loc, now.astimezone(ZoneInfo(self.region.info.timezone)).date())
        lines = [self.tr.render(loc, Msg(CARD, {"desk": desk.name, "day": day, "n": len(queued)}))]
        rows: Buttons = []
        for i, s in enumerate(queued, start=1):
            params: dict[str, Param] = {
                "i": i,
                "n": s.priority or 0,
                "ref": s.ref,
                "gemeente": self.region.gemeente_name(s.gemeente),
                "weeks": weeks(self.tr, loc, s.queued_at, now),
            }
            lines.append(self.tr.render(loc, Msg(LINE, params)))
            choices = [(Msg(TO, {"i": i, "n": n}), str(n)) for n in PRIORITIES if n != s.priority]
            rows.append(
                [
                    self.desk.cards.button(desk, s, self.tr.render(loc, label), "prio", code, raw=True)
                    for label, code in [*choices, (Msg(START, {"i": i}), "0")]
                ]
            )
        return "\n".join(lines), rows

    async def monday(self, uow: Work, desk: Meldpunt) -> None:
        """Monday: the desk's werkvoorraad card, and each waiting signal's filer hears where it stands."""
        if not desk.triage or not (queued := await self.waiting(uow, desk)):
            return
        text, buttons = await self.card(uow, desk)
        await self.messenger.send(uow.outbox, desk.chat_id, text, buttons)
        for signal in queued:
            await self.tell_filer(uow, desk, signal)

    async def tell_filer(self, uow: Work, desk: Meldpunt, signal: Signal) -> None:
        """Privately: on the werkvoorraad, the priority, since when, and whom to contact."""
        owner = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
        filer = await uow.users.by_id(signal.filer_id)
        since = (signal.queued_at or self.clock.now()).astimezone(ZoneInfo(self.region.info.timezone)).date()
        params: dict[str, Param] = {
            "ref": signal.ref,
            "desk": desk.name,
            "n": signal.priority or 0,
            "since": self.tr.day(filer.locale if filer else "nl", since),
            "name": f"{owner.display_name}, {desk.name}" if owner else desk.name,
        }
        await self.desk.tell_filer(uow, signal, Msg(FILER_QUEUED, params))

    def _month(self) -> str:
        return month(self.clock.now(), self.region.info.timezone)
