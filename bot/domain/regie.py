"""Regie on a resident: one regisseur at a time, asked warmly (whoever asked keeps it until the regisseur
accepts), closed when the work is done."""

from __future__ import annotations

from enum import StrEnum


class RegieStatus(StrEnum):
    ASKED = "asked"  # a regisseur is asked; nobody has accepted yet
    ACTIVE = "active"  # a regisseur directs (a change of regisseur may be asked meanwhile)
    CLOSED = "closed"


ASKED, ACTIVE, CLOSED = RegieStatus.ASKED, RegieStatus.ACTIVE, RegieStatus.CLOSED
LIVE = frozenset({ASKED, ACTIVE})


class LineStatus(StrEnum):
    """A plan line: asked of the one named, accepted, declined by them; done or not done, as the regisseur
    (or the one named, when chased) says."""

    ASKED = "asked"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    DONE = "done"
    NOT_DONE = "not_done"


OPEN_LINE = frozenset({LineStatus.ASKED, LineStatus.ACCEPTED})


class Step(StrEnum):
    """A step in an escalation's history: raised, one rung up, sent down to a lower rung, decided."""

    RAISED = "raised"
    CLIMBED = "climbed"
    LOWERED = "lowered"  # afschalen: a lower rung decides again
    SOLVED = "solved"
    RETURNED = "returned"


ARRIVED = (Step.RAISED, Step.CLIMBED, Step.LOWERED)  # how an escalation comes to a rung


class EscalationStatus(StrEnum):
    """An escalation: open at a rung of the ladder; solved there (Los op), or sent back (Terug)."""

    OPEN = "open"
    SOLVED = "solved"
    RETURNED = "returned"
