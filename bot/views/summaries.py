"""What a desk and a filer are told about a signal: only what was collected, nothing more."""

from __future__ import annotations

from bot.domain.lifecycle import Status
from bot.domain.region import Meldpunt, Region
from bot.domain.routing import Decision, RoutedDesk
from bot.views.i18n import Translator
from flows.intake import CATEGORIES, YES_NO_UNKNOWN
from flows.text import N_, Msg
from storage.models import Signal, SignalRoute, User

ROLE_NAMES = {
    "veldwerker": N_("veldwerker"),
    "meldpunt": N_("meldpuntmedewerker"),
    "coordinator": N_("coördinator"),
    "admin": N_("beheerder"),
    "manager": N_("teamleider"),
    "bestuurder": N_("bestuurder"),
}
CATEGORY_LABELS = {o.value: o.label for o in CATEGORIES}
HANDED_OVER = N_("een ander meldpunt wil het aan u overdragen")
TAKEN_OVER = N_("overgenomen van een ander meldpunt")
ANSWERS = {o.value: o.label for o in YES_NO_UNKNOWN}


# A rule's reason names what the filer chose: the filer reads it as their choice (the verb last, as a
# Dutch "omdat" clause has it), the desk as what was reported; never "u koos" to the desk.
# A clause ("geen specifiek meldpunt past") follows the filer's "omdat" as written; the desk reads it
# with its own "omdat".
FILER_CHOSE, FILER_CLAUSE = N_("u {chosen} koos"), "{clause}"
REPORTED_AS, DESK_CLAUSE = N_("gemeld als {chosen}"), N_("omdat {clause}")
AND = N_("en")


def because(
    tr: Translator, locale: str, desk: RoutedDesk, categories: list[str], chosen: str, clause: str
) -> str:
    """The reasons for one desk in one sentence part, joined by "en", each in its rule's words; a rule's
    "{chosen}" names the categories of its condition that the filer chose ("overlast", not "overlast of
    eenzaamheid" when only overlast was chosen)."""
    and_ = f" {tr.render(locale, Msg(AND))} "
    parts = []
    for rule in desk.rules:
        words = rule.reason.words(locale)
        if "{chosen}" in words:
            named = [c for c in rule.when.categories_any if c in categories] or list(rule.when.categories_any)
            labels = [tr.render(locale, Msg(CATEGORY_LABELS[c])) for c in named]
            words = words.replace("{chosen}", and_.join(label[:1].lower() + label[1:] for label in labels))
        template, key = (chosen, "chosen") if rule.reason.chosen else (clause, "clause")
        parts.append(tr.render(locale, Msg(template, {key: words})))
    return and_.join(parts)


def filer_receipt(tr: Translator, locale: str, region: Region, signal: Signal, decision: Decision) -> str:
    """Tell the filer where the signal went and why."""
    lines = [tr.render(locale, Msg(N_("Uw signaal {ref} is verstuurd."), {"ref": signal.ref}))]
    for desk in decision.desks:
        reasons = because(tr, locale, desk, signal.categories, FILER_CHOSE, FILER_CLAUSE)
        lines.append(
            tr.render(
                locale, Msg(N_("→ {desk}, omdat {reason}."), {"desk": desk.meldpunt.name, "reason": reasons})
            )
        )
    if decision.joint_triage:
        lines.append(
            tr.render(
                locale,
                Msg(
                    N_(
                        "Meer dan één meldpunt past: zij bepalen samen wie het signaal oppakt (routeeroverleg)."
                    )
                ),
            )
        )
    lines.append(tr.render(locale, Msg(N_("U hoort van het meldpunt wat er met uw signaal gebeurt."))))
    return "\n".join(lines)


def decision_of(region: Region, routes: list[SignalRoute]) -> Decision:
    """Rebuild the routing decision of a stored signal (rules since removed from the file are left out)."""
    rules = {r.id: r for r in region.rules}
    return Decision(
        tuple(
            RoutedDesk(region.meldpunten[r.meldpunt_id], tuple(rules[i] for i in r.rule_ids if i in rules))
            for r in routes
            if r.meldpunt_id in region.meldpunten
        )
    )


def desk_summary(
    tr: Translator,
    region: Region,
    desk: Meldpunt,
    signal: Signal,
    filer: User,
    decision: Decision,
    status: str | None = None,
    relapse: str | None = None,
) -> str:
    """Summarise a signal for one desk, in the desk's language, with its current state; a relapse
    within a waakvlam says so instead of naming routing rules."""
    loc = desk.locale

    def t(msgid: str, **params: str | Msg | tuple[Msg, ...]) -> str:
        return tr.render(loc, Msg(msgid, dict(params)))

    gemeente = region.gemeenten[signal.gemeente].name
    seen = tuple(Msg(CATEGORY_LABELS.get(c, c)) for c in signal.categories)
    lines = [
        # "New" only while it is; afterwards the status line says where it stands.
        t(N_("Nieuw signaal {ref} · {gemeente}"), ref=signal.ref, gemeente=gemeente)
        if signal.status == Status.NEW
        else t(N_("Signaal {ref} · {gemeente}"), ref=signal.ref, gemeente=gemeente),
        t(N_("Ingediend: {when}"), when=tr.when(loc, signal.created_at)),
        t(N_("Gezien: {categories}"), categories=seen),
    ]
    # A desk's chat shows only words the system made, a desk reached in a private chat too: what a person
    # typed (the reference, the area, the description, the organisations, the filer's organisation) is read
    # on the region's server (📄 Lezen, then Openen), never through Telegram.
    lines.append(
        t(
            N_(
                "Referentie, wijk en beschrijving: niet in deze groepschat; 📄 Lezen stuurt u het signaal "
                "privé ({ref}), met de knop Openen."
            ),
            ref=signal.ref,
        )
    )
    lines.append(
        t(
            N_("Zorg betrokken: {answer}"),
            answer=Msg(ANSWERS.get(signal.care_involved, signal.care_involved)),
        )
    )
    lines.append(t(N_("Bewoner op de hoogte: {answer}"), answer=Msg(ANSWERS.get(signal.resident_knows, "?"))))
    lines.append(t(N_("Ook andere gemeente: {answer}"), answer=Msg(ANSWERS.get(signal.elsewhere, "?"))))
    role = Msg(ROLE_NAMES.get(filer.role, filer.role))
    lines.append(
        t(N_("Melder: {org} ({role})"), org=filer.org, role=role)
        if desk.private
        else t(N_("Melder: een {role}"), role=role)
    )
    mine = next(d for d in decision.desks if d.meldpunt.id == desk.id)
    reasons = (
        relapse
        or because(tr, loc, mine, signal.categories, REPORTED_AS, DESK_CLAUSE)
        or tr.render(loc, Msg(HANDED_OVER if signal.handover_to == desk.id else TAKEN_OVER))
    )
    lines.append(t(N_("Waarom bij u: {reasons}"), reasons=reasons))
    if signal.joint_triage:
        # The desks the rules chose; a desk added later by a hand-over is not part of the triage.
        others = ", ".join(d.meldpunt.name for d in decision.desks if d.meldpunt.id != desk.id and d.rules)
        lines.append(t(N_("⚠ Gezamenlijke triage: dit signaal ging ook naar {others}."), others=others))
    if status:
        lines.append(status)
    return "\n".join(lines)
