"""The role × action matrix: every role against every kind of signal and person."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from bot.domain.access import (
    SignalScope,
    can_ask_regie,
    can_deactivate,
    can_file,
    can_view,
    may_answer,
    may_direct,
    may_manage,
    may_oversee,
    may_read_agreement,
    may_read_regie,
    may_see_region,
    may_set_up,
    may_steer_regie,
    reads_notes,
    works_at,
)
from flows.text import Msg


@dataclass
class P:
    id: int
    role: str
    gemeenten: list[str] = field(default_factory=lambda: ["assen"])
    meldpunt_id: str | None = None
    active: bool = True


WIJKAGENT = P(1, "veldwerker")
OTHER_FIELD = P(2, "veldwerker")
GGD_STAFF = P(3, "meldpunt", meldpunt_id="ggd-mzg")
VT_STAFF = P(4, "meldpunt", meldpunt_id="veilig-thuis")
COORD_ASSEN = P(5, "coordinator")
COORD_EMMEN = P(6, "coordinator", ["emmen"])
ADMIN = P(7, "admin")
GONE = P(8, "veldwerker", active=False)

# Filed by the wijkagent in Assen, routed to the GGD.
SIGNAL = SignalScope(filer_id=1, gemeente="assen", desks=["ggd-mzg"])


@pytest.mark.parametrize(
    ("who", "files", "views"),
    [
        (WIJKAGENT, True, True),  # own signal
        (OTHER_FIELD, True, False),  # someone else's signal
        (GGD_STAFF, True, True),  # routed to their desk
        (VT_STAFF, True, False),  # not their desk
        (COORD_ASSEN, True, True),  # their gemeente
        (COORD_EMMEN, True, False),  # another gemeente
        (ADMIN, False, False),  # manages configuration, does not read cases
        (GONE, False, False),  # deactivated
    ],
)
def test_role_matrix_for_filing_and_viewing(who: P, files: bool, views: bool) -> None:
    assert can_file(who) is files
    assert can_view(who, SIGNAL) is views


def test_an_admin_who_filed_may_see_their_own() -> None:
    assert can_view(ADMIN, SignalScope(filer_id=ADMIN.id, gemeente="assen", desks=[]))


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        (ADMIN, WIJKAGENT, True),
        (ADMIN, COORD_ASSEN, True),
        (ADMIN, ADMIN, False),  # not oneself
        (COORD_ASSEN, WIJKAGENT, True),
        (COORD_ASSEN, GGD_STAFF, True),
        (COORD_EMMEN, WIJKAGENT, False),  # not their gemeente
        (COORD_ASSEN, ADMIN, False),
        (COORD_ASSEN, P(9, "veldwerker", ["assen", "emmen"]), False),  # works partly outside their gemeenten
        (WIJKAGENT, OTHER_FIELD, False),
        (GGD_STAFF, WIJKAGENT, False),
        (P(10, "coordinator", active=False), WIJKAGENT, False),
    ],
)
def test_role_matrix_for_deactivating(actor: P, target: P, allowed: bool) -> None:
    assert can_deactivate(actor, target) is allowed


@dataclass
class Agreement:
    gemeente: str = "assen"
    owner_id: int | None = 1  # the wijkagent holds it
    proposed_owner_id: int | None = None
    proposed_by: int | None = None
    created_by: int = 3  # the GGD desk set it up when it closed the signal


@pytest.mark.parametrize(
    ("who", "sets_up", "manages", "answers", "oversees"),
    [
        (WIJKAGENT, False, False, True, False),  # the contact person answers, steers nothing
        (OTHER_FIELD, False, False, False, False),
        (GGD_STAFF, True, False, False, False),  # a desk agrees one when it closes a signal
        (COORD_ASSEN, True, True, True, True),  # the gemeente's coordinator does all of it
        (COORD_EMMEN, True, False, False, True),  # another gemeente's: not this agreement
        (ADMIN, False, False, False, False),  # configuration, not cases
        (GONE, False, False, False, False),
    ],
)
def test_the_waakvlam_matrix(who: P, sets_up: bool, manages: bool, answers: bool, oversees: bool) -> None:
    agreement = Agreement()
    assert may_set_up(who) is sets_up
    assert may_manage(who, agreement) is manages
    assert may_answer(who, agreement) is answers
    assert may_oversee(who) is oversees


def test_only_a_desks_own_active_staff_work_at_it() -> None:
    assert works_at(GGD_STAFF, "ggd-mzg") and not works_at(VT_STAFF, "ggd-mzg")
    assert not works_at(COORD_ASSEN, "ggd-mzg")
    assert not works_at(P(9, "meldpunt", meldpunt_id="ggd-mzg", active=False), "ggd-mzg")


VIEW, ANSWER = "/signaal S-ABC123", "/antwoord S-ABC123"


@pytest.mark.parametrize(
    ("person", "commands"),
    [
        (P(1, "veldwerker"), ["/signaal", "/advies", VIEW, "/mijn", ANSWER, "/regie", "/opschalen CODE"]),
        (
            P(2, "meldpunt", meldpunt_id="ggd"),
            [
                "/signaal",
                "/advies",
                VIEW,
                "/mijn",
                ANSWER,
                "/open",
                "/regie",
                "/opschalen CODE",
                "/waakvlam",
                "/herinner CODE",
                "/regiobeeld",
            ],
        ),
        (
            P(3, "coordinator"),
            [
                "/signaal",
                "/advies",
                VIEW,
                "/mijn",
                ANSWER,
                "/regie",
                "/opschalen CODE",
                "/waakvlam",
                "/herinner CODE",
                "/waakvlammen",
                "/deactiveer",
                "/regiobeeld",
            ],
        ),
        (P(4, "admin"), ["/deactiveer", "/regiobeeld"]),
        (P(5, "manager"), ["Opschalingen", "/regiobeeld"]),
        (P(6, "bestuurder"), ["Opschalingen", "/regiobeeld"]),
    ],
    ids=["field worker", "desk staff", "coordinator", "admin", "manager", "bestuurder"],
)
def test_help_follows_the_access_table(person: P, commands: list[str]) -> None:
    from bot.frontdesk.replies import HELP_ALWAYS, help_for

    shown = help_for(person).params["lines"]
    assert isinstance(shown, tuple)
    lines = [m.msgid for m in shown if isinstance(m, Msg)]
    assert lines[-1] == HELP_ALWAYS
    assert [line.split(" — ")[0] for line in lines[1:-1]] == commands


def test_the_waakvlam_holder_may_read_the_signal_it_follows_up_and_no_other() -> None:
    holder = P(9, "veldwerker", gemeenten=["emmen"])
    followed = SignalScope(filer_id=1, gemeente="assen", desks=["ggd-mzg"], holder_id=9)
    other = SignalScope(filer_id=1, gemeente="assen", desks=["ggd-mzg"])
    assert can_view(holder, followed) and not can_view(holder, other)
    assert not can_view(P(9, "veldwerker", active=False), followed)


def test_who_reads_who_a_waakvlam_is_about() -> None:
    """The page with the resident's reference and the written signs: who answers its check-ins and who
    agreed it; nobody else, and nobody switched off."""
    agreement = Agreement(proposed_by=3)
    readers = (WIJKAGENT, OTHER_FIELD, GGD_STAFF, COORD_ASSEN, COORD_EMMEN, ADMIN, GONE)
    allowed = {p.id for p in readers if may_read_agreement(p, agreement)}
    assert allowed == {WIJKAGENT.id, GGD_STAFF.id, COORD_ASSEN.id}
    asked = Agreement(owner_id=None, proposed_owner_id=OTHER_FIELD.id)  # asked to hold it, not yet accepted
    assert may_read_agreement(OTHER_FIELD, asked) and not may_read_agreement(
        GONE, Agreement(created_by=GONE.id)
    )


@dataclass
class R:
    gemeente: str = "assen"
    regisseur_id: int | None = 2  # the other field worker directs
    asked_id: int | None = None
    asked_by: int | None = 3  # the GGD asked


# Directed by OTHER_FIELD (2), asked by GGD_STAFF (3); the plan names the wijkagent (1).
@pytest.mark.parametrize(
    ("who", "asks", "steers", "reads", "directs"),
    [
        (
            WIJKAGENT,
            False,
            False,
            True,
            True,
        ),  # the filer: may be asked to direct; reads the plan that names her
        (OTHER_FIELD, True, True, True, True),  # the regisseur: hands it on, steers the plan
        (GGD_STAFF, True, False, True, True),  # the desk the signal went to, and who asked
        (VT_STAFF, False, False, False, True),  # another desk: works in Assen, so may be asked
        (COORD_ASSEN, True, True, True, True),  # the gemeente's coordinator
        (COORD_EMMEN, False, False, False, False),  # another gemeente
        (ADMIN, False, False, False, False),  # no cases
        (GONE, False, False, False, False),  # deactivated
    ],
)
def test_role_matrix_for_regie(who: P, asks: bool, steers: bool, reads: bool, directs: bool) -> None:
    regie = R()
    scope = SignalScope(filer_id=1, gemeente="assen", desks=["ggd-mzg"], regisseur_id=regie.regisseur_id)
    assert can_ask_regie(who, scope) is asks
    assert may_steer_regie(who, regie) is steers
    assert may_read_regie(who, regie, named={1}) is reads
    assert may_direct(who, "assen") is directs
    # The regisseur and whoever is asked read the signals the regie ties together.
    assert can_view(who, scope) is (who in (WIJKAGENT, OTHER_FIELD, GGD_STAFF, COORD_ASSEN))


def test_who_is_asked_to_direct_reads_the_signal_but_not_its_notes() -> None:
    asked = SignalScope(filer_id=1, gemeente="assen", desks=["ggd-mzg"], regie_asked_id=9)
    person = P(9, "veldwerker", ["emmen"])
    assert can_view(person, asked) and not reads_notes(person, asked) and not can_ask_regie(person, asked)


MANAGER = P(11, "manager")
BESTUURDER = P(12, "bestuurder")


@pytest.mark.parametrize(
    ("who", "row"),
    [
        # files, signal text, regiobeeld, asks a regisseur, may direct, steers a regie, reads its plan
        (WIJKAGENT, (True, True, False, False, True, False, False)),
        (GGD_STAFF, (True, True, True, True, True, False, False)),
        (COORD_ASSEN, (True, True, True, True, True, True, True)),
        (MANAGER, (False, False, True, False, False, False, False)),
        (BESTUURDER, (False, False, True, False, False, False, False)),
        (ADMIN, (False, False, True, False, False, False, False)),
    ],
    ids=["field worker", "desk staff", "coordinator", "manager", "bestuurder", "admin"],
)
def test_every_role_against_every_view(who: P, row: tuple[bool, ...]) -> None:
    """A manager and a bestuurder steer: the regiobeeld of their gemeenten and the escalations sent to them
    (tested as transcripts, tests/e2e/test_regie.py); never a signal's text, never a regie's plan."""
    regie = R(regisseur_id=99, asked_by=98)  # somebody else directs it
    seen = (
        can_file(who),
        can_view(who, SIGNAL),
        may_see_region(who),
        can_ask_regie(who, SIGNAL),
        may_direct(who, "assen"),
        may_steer_regie(who, regie),
        may_read_regie(who, regie, named={97}),
    )
    assert seen == row


@pytest.mark.parametrize("role", ["manager", "bestuurder", "coordinator"])
def test_steerers_see_the_regiobeeld_of_their_gemeenten_only(role: str) -> None:
    from bot.domain.region import load_region
    from bot.regiobeeld.figures import scope_of

    region = load_region()
    scope = scope_of(region, P(1, role, ["assen"]))  # type: ignore[arg-type]
    assert scope is not None and scope.gemeenten == ("assen",) and scope.counts
