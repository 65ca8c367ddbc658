"""The region file's rule sections: escalation (AVE), waakvlam, the regiobeeld's lights and samenloop."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Escalation(_Strict):
    """AVE tiers for a signal nobody picked up, in working hours after the desk's SLA ran out."""

    reminder_after_hours: float = Field(default=0, ge=0)
    coordinator_after_hours: float = Field(default=8.5, ge=0)
    regional_after_hours: float = Field(default=17, ge=0)
    regional_desk: str = "zvhd"
    digest_time: str = Field(default="08:00", pattern=CLOCK)
    # "Loopt dit nog?": a picked-up signal without activity for this many working days is asked about
    # (privately, its owner), and if that stays unanswered for answer_days, the coordinators hear of it.
    idle_days: int = Field(default=10, ge=1)
    idle_answer_days: int = Field(default=2, ge=1)
    # An open signal whose resident has no regisseur after this many working days: listed for the coordinators.
    no_regisseur_days: int = Field(default=5, ge=1)


class WaakvlamRules(_Strict):
    """When check-ins go out, how long an answer may take, and the default length of an agreement."""

    checkin_time: str = Field(default="09:00", pattern=CLOCK)
    reminder_after_days: int = Field(default=1, ge=1)
    escalate_after_days: int = Field(default=2, ge=1)
    default_months: int = Field(default=6, ge=1, le=24)
    extend_months: int = Field(default=3, ge=1, le=24)
    ending_notice_days: int = Field(default=7, ge=1)


class RegiobeeldRules(_Strict):
    """The regiobeeld's traffic light per desk: the share of signals picked up within the SLA."""

    green_within_sla: float = Field(default=0.9, ge=0, le=1)
    orange_within_sla: float = Field(default=0.7, ge=0, le=1)


# What a match key is made of (bot/samenloop): typed on the form in this order, never stored.
MatchField = Literal["postcode", "huisnummer", "geboortejaar", "geboortedatum", "initialen"]


class Samenloop(_Strict):
    """Samenloop and the routeeroverleg: the match key's fields, and how long the desks have to decide."""

    fields: tuple[MatchField, ...] = Field(default=("postcode", "huisnummer", "geboortejaar"), min_length=2)
    # Working hours for the desks of a routeeroverleg to agree; then it goes up the ladder.
    overleg_hours: float = Field(default=16, gt=0)
