"""A signal as a desk sees it: its status line and the buttons that fit its state now, in the desk's language,
each button signed for the desk's chat. No decisions here: bot/signals/desk.py makes them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.actions import DESK_BUTTON, Action, CallbackCodec
from bot.domain.lifecycle import OUTCOMES, STATUS_LABELS, Status
from bot.domain.overleg import PRIORITIES, TRIAGE
from bot.domain.region import Meldpunt, Region
from bot.domain.signal_commands import DeskAction, allowed
from bot.views.i18n import Translator
from bot.views.messenger import Buttons
from flows.text import N_, Msg, Param
from storage.models import Signal, User

PICK_UP = N_("Oppakken")
ASK_INFO = N_("Info vragen")
HAND_OVER = N_("Doorzetten")
ACCEPT = N_("Accepteren")
REFUSE = N_("Weigeren")
STATUS_HANDOVER = N_(
    "Status: overdracht aangevraagd door {from} aan {to}; {from} blijft verantwoordelijk tot het is geaccepteerd"
)
STATUS_HANDOVER_SINCE = N_(
    "Status: overdracht aangevraagd door {from} aan {to}, wacht sinds {since}; "
    "{from} blijft verantwoordelijk tot het is geaccepteerd"
)
CLOSE = N_("Afsluiten")
URGENT = N_("⚑ Urgent")
NOT_URGENT = N_("Niet meer urgent")
URGENT_STATUS = N_("⚑ Urgent · {status}")
START_WAAKVLAM = N_("🕯 Waakvlam starten")
READ = N_("📄 Lezen")
REGIE = N_("🧭 Regie")
OVERLEG = N_("🤝 Overleg")
START_NOW = N_("▶ Nu starten")
TRIAGED = N_(" · triage: {triage}")
QUEUED = N_(" · triage: {triage}, op de werkvoorraad (P{n})")
QUEUE = N_("Werkvoorraad P{n}")
STATUS_NEW = N_("Status: nieuw, nog niet opgepakt")
STATUS_OWNED = N_("Status: in behandeling bij {desk} ({name})")
STATUS_CLOSED = N_("Status: afgesloten door {desk}: {outcome}")
STATUS_OTHER = N_("Status: {status}")


@dataclass
class DeskCards:
    region: Region
    tr: Translator
    codec: CallbackCodec

    def status(self, desk: Meldpunt, signal: Signal, owner: User | None) -> str:
        """The signal's status line as this desk sees it, marked urgent where it is; a triaging desk's
        verdict and the werkvoorraad's priority after it."""
        line = self._status(desk, signal, owner)
        if signal.triage in TRIAGE and signal.status != Status.CLOSED:
            words = Msg(
                QUEUED if signal.priority in PRIORITIES else TRIAGED,
                {"triage": Msg(TRIAGE[signal.triage or ""]), "n": signal.priority or 0},
            )
            line += self.tr.render(desk.locale, words)
        if signal.urgent and signal.status != Status.CLOSED:
            return self.tr.render(desk.locale, Msg(URGENT_STATUS, {"status": line}))
        return line

    def _status(self, desk: Meldpunt, signal: Signal, owner: User | None) -> str:
        loc = desk.locale
        status = signal.status
        if status is Status.NEW:
            return self.tr.render(loc, Msg(STATUS_NEW))
        if status is Status.CLOSED and signal.outcome:
            return self.tr.render(
                loc,
                Msg(
                    STATUS_CLOSED,
                    {"desk": self.name(signal.owner_desk), "outcome": Msg(OUTCOMES[signal.outcome])},
                ),
            )
        if status is Status.HANDOVER:
            names: dict[str, Param] = {
                "from": self.name(signal.owner_desk),
                "to": self.name(signal.handover_to),
            }
            if signal.handover_since is None:
                return self.tr.render(loc, Msg(STATUS_HANDOVER, names))
            names["since"] = self.tr.when(loc, signal.handover_since)
            return self.tr.render(loc, Msg(STATUS_HANDOVER_SINCE, names))
        if status is Status.IN_PROGRESS and owner is not None:
            return self.tr.render(
                loc, Msg(STATUS_OWNED, {"desk": self.name(signal.owner_desk), "name": owner.display_name})
            )
        return self.tr.render(loc, Msg(STATUS_OTHER, {"status": Msg(STATUS_LABELS[status])}))

    def buttons(self, desk: Meldpunt, signal: Signal) -> Buttons:
        """The buttons the desk's summary shows now: only what allowed() lets this desk do; last, always,
        📄 Lezen (the text is read privately, on the region's server)."""
        moves = [row for row in self._moves(desk, signal) if row]
        return [*moves, [self.button(desk, signal, READ, "read")]]

    def _moves(self, desk: Meldpunt, signal: Signal) -> Buttons:
        may = allowed(signal, desk.id, desk.triage)
        if signal.status is Status.HANDOVER:
            # The sending desk waits; it stays responsible meanwhile.
            return [
                [
                    self.button(desk, signal, label, a)
                    for label, a in ((ACCEPT, "acc"), (REFUSE, "ref"))
                    if a in may
                ]
            ]
        if signal.status is Status.CLOSED:
            # Scaling down: the closing desk may agree a waakvlam for the resident, or ask regie.
            after_care = [(START_WAAKVLAM, "wv"), (REGIE, "regie")]
            return [[self.button(desk, signal, label, a) for label, a in after_care if a in may]]
        rows = (
            [(PICK_UP, "pick"), (ASK_INFO, "info")],
            [(HAND_OVER, "fwd"), (CLOSE, "close")],
            [(NOT_URGENT if signal.urgent else URGENT, "urg"), (REGIE, "regie"), (OVERLEG, "ovl")],
        )
        moves = [[self.button(desk, signal, label, a) for label, a in row if a in may] for row in rows]
        return [*moves[:1], *self._triage(desk, signal, may), *moves[1:]]

    def _triage(self, desk: Meldpunt, signal: Signal, may: frozenset[DeskAction]) -> Buttons:
        """A triaging desk's verdict after Oppakken; for procesregie: start now, or the werkvoorraad."""
        if DeskAction.TRIAGE in may:
            verdicts = [self.button(desk, signal, label, "tri", code) for code, label in TRIAGE.items()]
            return [verdicts[:2], verdicts[2:]]
        if DeskAction.QUEUE not in may:
            return []
        queue = [
            self.button(
                desk, signal, self.tr.render(desk.locale, Msg(QUEUE, {"n": n})), "queue", str(n), True
            )
            for n in PRIORITIES
            if n != signal.priority
        ]
        return [[self.button(desk, signal, START_NOW, "go")], queue]

    def button(
        self, desk: Meldpunt, signal: Signal, label: str, kind: str, choice: str = "", raw: bool = False
    ) -> tuple[str, str]:
        """A desk button: its label in the desk's language (or as is), its data signed for the desk's chat."""
        value = Action(DESK_BUTTON, kind, signal.id, choice).value()
        shown = label if raw else self.tr.render(desk.locale, Msg(label))
        return shown, self.codec.encode(desk.chat_id, signal.version, value)

    def private_button(self, user: User, signal: Signal, label: str, kind: str) -> tuple[str, str]:
        """A desk button in one staff member's private chat, in their language, signed for that chat."""
        value = Action(DESK_BUTTON, kind, signal.id).value()
        shown = self.tr.render(user.locale, Msg(label))
        return shown, self.codec.encode(user.telegram_id, signal.version, value)

    def name(self, meldpunt_id: str | None) -> str:
        """A desk's name (its id when the region no longer has it)."""
        desk = self.region.meldpunten.get(meldpunt_id or "")
        return desk.name if desk else (meldpunt_id or "?")
