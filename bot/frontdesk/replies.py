"""What the front desk itself answers: help, refusals and the replies to commands out of place."""

from __future__ import annotations

from flows.text import N_

NOT_REGISTERED = N_(
    "Deze bot is alleen voor uitgenodigde professionals in zorg en veiligheid. "
    "Heeft u een uitnodigingscode? Stuur dan /start gevolgd door de code."
)
HELP = N_(
    "Waakvlam helpt u een vroeg signaal over een bewoner bij het juiste meldpunt te krijgen.\n"
    "/signaal — een signaal doorgeven\n/signaal S-ABC123 — een signaal inzien\n/mijn — uw signalen\n"
    "/waakvlam — een waakvlam vastleggen (coördinatoren, meldpunten)\n"
    "/waakvlammen — lopende waakvlammen (coördinatoren)\n/terug — één vraag terug\n/cancel — stoppen\n/taal nl of /taal en — taal kiezen\nBij acuut gevaar: bel 112."
)
NOTHING_TO_CANCEL = N_("Er is niets om te stoppen.")
BUSY_ELSEWHERE = N_(
    "U bent nog bezig met een antwoord aan een meldpunt. Rond dat eerst af, of stop het met /cancel."
)
NOT_FOR_ROLE = N_("Met uw rol kunt u geen signalen doorgeven.")
PRIVATE_ONLY_DETAILS = N_("Een signaal inzien kan alleen in een privégesprek met de bot.")
NOTHING_TO_GO_BACK = N_("Er is geen vraag om naar terug te gaan. Met /signaal begint u een signaal.")
NOT_IN_FLOW = N_("Typ /signaal om een signaal door te geven, of /help voor uitleg.")
PRIVATE_ONLY = N_("Een signaal doorgeven kan alleen in een privégesprek met de bot.")
UNSUPPORTED = N_("Ik kan alleen tekst en knoppen verwerken. Stuur uw antwoord als tekst.")
BUTTON_INVALID = N_("Deze knop is niet (meer) geldig.")
OWN_DESK_ONLY = N_("Dit overzicht kan alleen privé of in de groepschat van uw eigen meldpunt.")
PRIVATE_ONLY_ANSWER = N_("Antwoorden kan alleen in een privégesprek met de bot.")
PRIVATE_ONLY_COMMAND = N_("Dit kan alleen in een privégesprek met de bot.")
EXPIRED = N_("Deze vraag is verlopen.")
