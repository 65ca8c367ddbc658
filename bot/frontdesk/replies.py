"""What the front desk itself answers: help, refusals and the replies to commands out of place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot.domain.access import (
    ADMIN,
    BESTUURDER,
    MANAGER,
    Person,
    at_a_desk,
    can_file,
    may_deactivate,
    may_oversee,
    may_see_region,
    may_set_up,
)
from bot.domain.bucket import Buckets
from bot.domain.incoming import Sender
from bot.domain.region import Region
from bot.views.i18n import LOCALES
from flows.text import N_, Msg

NOT_REGISTERED = N_(
    "Deze bot is alleen voor uitgenodigde professionals in zorg en veiligheid. "
    "Heeft u een uitnodigingscode? Stuur dan /start gevolgd door de code."
)
HELP = N_("Waakvlam helpt u een vroeg signaal over een bewoner bij het juiste meldpunt te krijgen.")
HELP_ADMIN = N_("Waakvlam: u beheert de uitnodigingen en accounts van de regio.")
# What each person may do, one line per command, in the order a person needs them (bot.domain.access).
HELP_FILE = N_("/signaal — een signaal doorgeven")
HELP_ADVICE = N_("/advies — een meldpunt om advies vragen, zonder signaal en zonder namen")
HELP_VIEW = N_("/signaal S-ABC123 — een signaal inzien")
HELP_MINE = N_("/mijn — uw signalen en waakvlammen")
HELP_ANSWER = N_("/antwoord S-ABC123 — een vraag van een meldpunt beantwoorden")
HELP_OPEN = N_("/open — de open signalen van uw meldpunt")
HELP_SET_UP = N_("/waakvlam — een waakvlam vastleggen")
HELP_OVERSEE = N_("/waakvlammen — de lopende waakvlammen in uw gemeenten")
HELP_DEACTIVATE = N_("/deactiveer — een account uitzetten")
HELP_REGION = N_(
    "/regiobeeld — een persoonlijke link naar het regiobeeld: anonieme aantallen en verkeerslichten"
)
HELP_REGIE = N_(
    "/regie — de bewoners van wie u regisseur bent; /regie CODE vraagt een regisseur voor de bewoner van een "
    "signaal"
)
HELP_SCALE_UP = N_("/opschalen CODE — een signaal of regie die vastloopt de ladder op: los op of schaal op")
HELP_DECIDE = N_(
    "Opschalingen — komen bij u als kaart met Los op, Schaal verder op en Terug; 📄 Openen toont het verloop"
)
HELP_REMIND = N_("/herinner CODE — herinner mij (of mijn meldpunt) aan een signaal, regie of waakvlam")
HELP_ALWAYS = N_(
    "/terug — één vraag terug\n/cancel — stoppen\n/taal nl of /taal en — taal kiezen\nBij acuut gevaar: bel 112."
)
NOTHING_TO_CANCEL = N_("Er is niets om te stoppen.")
BUSY_ELSEWHERE = N_(
    "U bent nog bezig met een antwoord aan een meldpunt. Rond dat eerst af, of stop het met /cancel."
)
NOT_FOR_ROLE = N_("Met uw rol kunt u geen signalen doorgeven.")
PRIVATE_ONLY_DETAILS = N_("Een signaal inzien kan alleen in een privégesprek met de bot.")
NOTHING_TO_GO_BACK = N_("Er is geen vraag om naar terug te gaan. Met /signaal begint u een signaal.")
NOT_IN_FLOW = N_("Typ /signaal om een signaal door te geven, of /help voor uitleg.")
TEXT_REMOVED = N_(
    "Uw bericht is verwijderd: wat u over een bewoner typt, gaat niet via de chat maar via het formulier "
    "van de bot. Typ /signaal om een signaal door te geven, of /help voor uitleg."
)
PRIVATE_ONLY = N_("Een signaal doorgeven kan alleen in een privégesprek met de bot.")
UNSUPPORTED = N_("Ik kan alleen tekst en knoppen verwerken. Stuur uw antwoord als tekst.")
BUTTON_INVALID = N_("Deze knop is niet (meer) geldig.")
OWN_DESK_ONLY = N_("Dit overzicht kan alleen privé of in de groepschat van uw eigen meldpunt.")
PRIVATE_ONLY_ANSWER = N_("Antwoorden kan alleen in een privégesprek met de bot.")
PRIVATE_ONLY_COMMAND = N_("Dit kan alleen in een privégesprek met de bot.")
EXPIRED = N_("Deze vraag is verlopen.")


def _views(user: Person) -> bool:
    return user.active and user.role not in (ADMIN, MANAGER, BESTUURDER)


def _decides(user: Person) -> bool:
    return user.active and user.role in (MANAGER, BESTUURDER)


# (who may, the line): `/help` shows a person only what they may do.
HELP_LINES: tuple[tuple[Callable[[Person], bool], str], ...] = (
    (can_file, HELP_FILE),
    (can_file, HELP_ADVICE),
    (_views, HELP_VIEW),
    (_views, HELP_MINE),
    (can_file, HELP_ANSWER),
    (at_a_desk, HELP_OPEN),
    (can_file, HELP_REGIE),
    (can_file, HELP_SCALE_UP),
    (may_set_up, HELP_SET_UP),
    (may_set_up, HELP_REMIND),
    (may_oversee, HELP_OVERSEE),
    (may_deactivate, HELP_DEACTIVATE),
    (_decides, HELP_DECIDE),
    (may_see_region, HELP_REGION),
)


LINES = "{lines}"  # one message made of lines (a parameter named "lines" joins with newlines)


def help_for(user: Person) -> Msg:
    """The help for this person: the intro, their commands, then what everyone can do."""
    intro = HELP_ADMIN if user.role == ADMIN else HELP
    lines = (intro, *(line for may, line in HELP_LINES if may(user)), HELP_ALWAYS)
    return Msg(LINES, {"lines": tuple(Msg(m) for m in lines)})


class Speaker(Protocol):
    locale: str


def chat_locale(region: Region, sender: Sender, user: Speaker | None, default: str) -> str:
    """Choose the chat's language: a desk's group keeps the desk's whatever one member chose; a private
    chat the person's, or before they registered their app's."""
    desk = None if sender.private else region.desk_for_chat(sender.chat_id)
    app = (sender.language or "")[:2]
    if desk is not None:
        return desk.locale
    if user is not None:
        return user.locale
    return app if app in LOCALES else default


@dataclass
class Strangers:
    """Who is not invited gets one short answer a minute, then none at all (a script gets no echo): a
    bucket of one per stranger, refilled once a minute."""

    _told: Buckets = field(default_factory=lambda: Buckets(1, 1 / 60))

    def tell(self, telegram_id: int, now: datetime) -> bool:
        """Whether to answer this uninvited sender now (and count it)."""
        return self._told.take(telegram_id, now.timestamp()) == 0
