"""The command-line tools on data filed through the bot: export and erase one resident, users, audit."""

from __future__ import annotations

import asyncio
import json
import re

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from bot.app.cli import app
from storage.models import MatchKey, Regie, Reminder, Signal, Tally
from tests.e2e.harness import DATA_KEY, SECRET, Stack, cli, file_intake
from tests.e2e.test_regie import ask_regie

pytestmark = pytest.mark.e2e


_cli = cli


async def test_export_then_erase_one_resident(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    first = await file_intake(phone, 1001, ["Eenzaamheid"], ref="ACT-311", description="Eerste zorg.")
    ref = first["text"].split()[2]
    # Carla (coordinator) directs the resident herself (with a samenloop match key), and sets a reminder.
    await phone.send(3001, f"/regie {ref}")
    regie = await ask_regie(
        phone, 3001, "Mijzelf (Carla (coördinator Assen))", ref, "U bent regisseur", "9401 AB 3 1950"
    )
    await phone.send(3001, f"/herinner {ref}")
    await phone.press(3001, "Mijzelf", message_id=(await phone.expect(3001, "voor wie?"))["message_id"])
    await phone.press(3001, "Morgen", message_id=(await phone.expect(3001, "Wanneer?"))["message_id"])
    await phone.press(
        3001, "Versturen", message_id=(await phone.expect(3001, "herinnering zetten?"))["message_id"]
    )
    await phone.expect(3001, "Herinnering gezet")
    await file_intake(
        phone, 1003, ["Zorgmijding"], ref="act 311", description="Tweede zorg."
    )  # same ref, typed differently
    await file_intake(phone, 1001, ["Overlast"], ref="ANDER-1", description="Iemand anders.")
    await stack.settle()

    async with stack.uow() as uow:
        assert [k.regie_id is not None for k in await uow.session.scalars(select(MatchKey))] == [True]
    exported = json.loads(await _cli(stack, "export-person", "ACT-311"))
    assert [s["description"] for s in exported["signals"]] == ["Eerste zorg.", "Tweede zorg."]
    assert exported["signals"][0]["history"][0]["kind"] == "filed"
    assert [r["ref"] for r in exported["regies"]] == [regie]
    # The second signal ("act 311") is about the same resident: linked to her regie when it was filed.
    assert [e["kind"] for e in exported["regies"][0]["history"]] == ["asked", "accepted", "linked"]

    assert "erased 2 signals and 0 waakvlam agreements" in await _cli(
        stack, "erase-person", "Act-311", "--yes"
    )
    async with stack.uow() as uow:
        left = [s.description for s in await uow.session.scalars(select(Signal))]
        assert left == ["Iemand anders."]
        # The regie and the reminder on the signal go with it.
        assert list(await uow.session.scalars(select(Regie))) == []
        assert list(await uow.session.scalars(select(Reminder))) == []
        assert list(await uow.session.scalars(select(MatchKey))) == []  # the pseudonym goes with the regie
        # The counts stay: three signals, and three "who filed" counts.
        assert int(await uow.session.scalar(select(func.sum(Tally.count))) or 0) == 6
        actions = [a.action for a in await uow.audit.query()]
    assert actions.count("person_exported") == 1 and actions.count("person_erased") == 1
    audit = await _cli(stack, "audit")
    assert "person_erased" in audit
    assert (
        re.search(r"act.?311", audit, re.IGNORECASE) is None
    )  # the audit names a hash prefix, not the reference


async def test_erasing_needs_confirmation(stack: Stack) -> None:
    env = {
        "WAAKVLAM_DATABASE_URL": stack.database_url,
        "WAAKVLAM_DATA_KEYS": DATA_KEY,
        "WAAKVLAM_SECRET_KEY": SECRET,
    }
    result = await asyncio.to_thread(CliRunner().invoke, app, ["erase-person", "X"], env=env)
    assert result.exit_code == 2 and "--yes" in result.output


async def test_users_can_be_listed_and_deactivated_from_the_command_line(stack: Stack) -> None:
    phone = stack.phone
    assert phone is not None
    listing = await _cli(stack, "user", "list")
    assert "1001\tWendy (wijkagent)\tveldwerker\tPolitie Drenthe\tassen\t-\tactive" in listing
    assert "Wendy (wijkagent) is deactivated" in await _cli(stack, "user", "deactivate", "1001")
    await phone.send(1001, "/signaal")
    await phone.expect(1001, "alleen voor uitgenodigde professionals")
    assert "user_deactivated" in await _cli(stack, "audit", "--since", "2000-01-01")


async def test_purge_dry_run_reports_and_keeps(stack: Stack) -> None:
    out = await _cli(stack, "purge", "--dry-run")
    assert out.startswith("would purge: 0 closed signals")


async def test_configuration_changes_are_audited(stack: Stack) -> None:
    await _cli(
        stack,
        "invite",
        "--role",
        "meldpunt",
        "--org",
        "GGD Drenthe",
        "--gemeente",
        "Assen",
        "--meldpunt",
        "ggd-mzg",
    )
    out = await _cli(stack, "rotate-keys")
    assert "re-encrypted" in out
    audit = await _cli(stack, "audit")
    assert "invite_created" in audit and '"meldpunt": "ggd-mzg"' in audit
    assert "keys_rotated" in audit
