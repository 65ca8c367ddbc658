"""An escalation's page on the region's server: its steps, and the note and decision for the roles that read
text about residents."""

from __future__ import annotations

from collections.abc import Callable

from bot.accounts.audit import record
from bot.domain.access import COORDINATOR
from bot.domain.regie import EscalationStatus, Step
from bot.regie.ladder import Climbing
from bot.regie.links import RegieLinks
from flows.regie import ESCALATION_REASONS
from flows.text import N_, Msg, Param
from storage.models import Escalation, User
from storage.ports import Work

PAGE_HEAD = N_("Opschaling {ref} · {gemeente}\nOver: {subject} · reden: {reason}")
PAGE_NOTE = N_("Toelichting: {note}")
PAGE_STEP = N_("{when} — trede {n} ({rung}): {what}{who}")
PAGE_DECISION = N_("Besluit: {acts} pakt het op — {decision}")
HIDDEN = N_("(tekst over de bewoner: niet voor uw rol)")
STEPS: dict[str, str] = {
    Step.RAISED: N_("opgeschaald"),
    Step.CLIMBED: N_("een trede hoger"),
    Step.LOWERED: N_("teruggelegd"),
    Step.SOLVED: N_("opgelost"),
    Step.RETURNED: N_("teruggestuurd"),
}


async def escalation_page(
    links: RegieLinks, climbing: Climbing, uow: Work, user: User, code: str
) -> str | None:
    """The escalation's page: its steps, and the note and decision for the roles that read text about
    residents (whoever raised it and who acts always); None for who may not see it."""
    escalation = await uow.escalations.by_ref(code)
    ladder = climbing.ladder(escalation.gemeente) if escalation is not None else None
    if escalation is None or ladder is None or not await _may_see(climbing, uow, user, escalation):
        await record(uow, links.clock, "escalation_view_refused", actor=user, subject=code)
        return None
    await record(uow, links.clock, "escalation_viewed", actor=user, subject=code)
    tr, loc = links.tr, user.locale
    text_ok = user.role in ladder.text_roles or user.id in (escalation.raised_by, escalation.acts_id)
    hidden = tr.render(loc, Msg(HIDDEN))
    t: Callable[[str, dict[str, Param]], str] = lambda m, p: tr.render(loc, Msg(m, p))  # noqa: E731
    rows = [
        t(
            PAGE_HEAD,
            params(links, climbing, escalation) | {"reason": Msg(ESCALATION_REASONS[escalation.reason])},
        )
    ]
    if escalation.note:
        rows.append(t(PAGE_NOTE, {"note": escalation.note if text_ok else hidden}))
    steps = await uow.escalations.steps_of(escalation.id)
    people = await uow.users.by_ids({s.actor_id for s in steps if s.actor_id} | {escalation.acts_id or 0})
    for step in steps:
        who = people.get(step.actor_id or 0)
        rows.append(
            t(
                PAGE_STEP,
                {
                    "when": tr.when(loc, step.at),
                    "n": step.rung + 1,
                    "rung": ladder.rung[min(step.rung, len(ladder.rung) - 1)].name,
                    "what": Msg(STEPS.get(step.kind, step.kind)),
                    "who": f" · {who.display_name}" if who else "",
                },
            )
        )
    acts = people.get(escalation.acts_id or 0)
    if escalation.status == EscalationStatus.SOLVED and acts is not None:
        rows.append(
            t(
                PAGE_DECISION,
                {"acts": acts.display_name, "decision": escalation.decision if text_ok else hidden},
            )
        )
    return "\n".join(rows)


async def _may_see(climbing: Climbing, uow: Work, user: User, escalation: Escalation) -> bool:
    """Whoever raised it, who acts, the gemeente's coordinators, and the deciders of every rung it reached
    (a manager or a bestuurder sees only what was sent to them)."""
    if not user.active:
        return False
    if user.id in (escalation.raised_by, escalation.acts_id):
        return True
    if user.role == COORDINATOR and escalation.gemeente in user.gemeenten:
        return True
    return await _reached(climbing, uow, user, escalation)


async def _reached(climbing: Climbing, uow: Work, user: User, escalation: Escalation) -> bool:
    """Whether this person decides at a rung the escalation reached (the highest it reached: afschalen
    does not take the page away from a rung above)."""
    ladder = climbing.ladder(escalation.gemeente)
    highest = max([escalation.rung, *(s.rung for s in await uow.escalations.steps_of(escalation.id))])
    for rung in ladder.rung[: highest + 1] if ladder else ():
        if user.id in {p.id for p in await climbing.deciders(uow, escalation, rung)}:
            return True
    return False


def params(links: RegieLinks, climbing: Climbing, escalation: Escalation) -> dict[str, Param]:
    """What an escalation's messages name: its code, subject, gemeente and the rung it is at."""
    ladder = climbing.ladder(escalation.gemeente)
    return {
        "ref": escalation.ref,
        "subject": escalation.subject,
        "gemeente": links.region.gemeente_name(escalation.gemeente),
        "rung": ladder.rung[escalation.rung].name if ladder else "-",
    }
