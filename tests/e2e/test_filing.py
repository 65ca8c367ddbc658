"""Filing a signal through the real aiogram client and the emulator: transcripts from the phone."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Signal, SignalRoute, Tally
from tests.e2e.harness import Stack

pytestmark = pytest.mark.e2e

WENDY = 1001  # wijkagent, Assen only
GGD_CHAT = -1001001


async def test_scenario_3_reaches_the_ggd_desk(any_stack: Stack) -> None:
    """A welzijn worker files loud music, rubbish and anger: GGD Meldpunt Zorgwekkend Gedrag gets it."""
    s = any_stack
    phone = s.phone
    assert phone is not None
    await phone.send(1003, "/signaal")
    # Willem works in Assen only, so the gemeente is filled in and the first question is about danger.
    await phone.expect(1003, "acuut gevaar")
    await phone.press(1003, "Nee")
    await phone.expect(1003, "Wat heeft u gezien?")
    await phone.press(1003, "Overlast")
    await phone.press(1003, "✅ Overlast")  # tap again: deselect
    await phone.press(1003, "Overlast")
    await phone.press(1003, "Zelfverwaarlozing of vervuiling")
    await phone.press(1003, "Klaar")
    await phone.expect(1003, "eigen korte referentie")
    await phone.fill(1003, "WW-17")
    await phone.expect(1003, "welke wijk")
    await phone.fill(1003, "9401")
    await phone.expect(1003, "Beschrijf kort")
    description = "Buurman draait elke avond om 22:00 harde muziek, afval stapelt zich op in de tuin, wordt boos als je het vraagt."
    await phone.fill(1003, description)
    await phone.expect(1003, "zorg of hulpverlening")
    await phone.press(1003, "Nee")
    await phone.expect(1003, "Is de bewoner op de hoogte")
    await phone.press(1003, "Nee")
    await phone.expect(1003, "andere gemeente?")
    await phone.press(1003, "Ja")
    await phone.expect(1003, "Samenloop:")
    await phone.press(1003, "Overslaan")
    summary = await phone.expect(1003, "Klopt dit?")
    assert "Gemeente: Assen" in summary["text"]
    assert "Gezien: Overlast, Zelfverwaarlozing of vervuiling" in summary["text"]
    # What was typed on the form is not echoed through Telegram: the summary says it was filled in.
    assert "Wijk of postcode: ✓ ingevuld" in summary["text"] and "9401" not in summary["text"]
    assert "Ook andere gemeente: Ja" in summary["text"]
    await phone.press(1003, "Versturen")

    receipt = await phone.expect(1003, "is verstuurd")
    assert (
        "GGD Drenthe — Meldpunt Zorgwekkend Gedrag, omdat u zelfverwaarlozing of vervuiling zonder acuut gevaar koos"
        in receipt["text"]
    )
    desk = await phone.expect(GGD_CHAT, "Nieuw signaal")
    assert "Assen" in desk["text"] and "WW-17" not in desk["text"] and "9401" not in desk["text"]
    assert "Waarom bij u: gemeld als zelfverwaarlozing of vervuiling zonder acuut gevaar" in desk["text"]
    assert "u koos" not in desk["text"] and "koos" not in desk["text"]
    assert "Gezamenlijke triage" not in desk["text"]
    assert "Ook andere gemeente: Ja" in desk["text"]  # words the system made: fine in the group

    async with s.uow() as uow:
        signals = list(await uow.session.scalars(select(Signal)))
        assert len(signals) == 1
        stored = signals[0]
        assert (stored.gemeente, stored.categories, stored.area) == (
            "assen",
            ["nuisance", "self_neglect"],
            "9401",
        )
        assert stored.description == description and stored.joint_triage is False
        assert stored.elsewhere == "yes"
        # Counted for the regiobeeld once, without a category (which other gemeente is not asked).
        counted = [
            (t.kind, t.gemeente, t.category, t.count) for t in await uow.session.scalars(select(Tally))
        ]
        assert ("elsewhere", "assen", "", 1) in counted
        routes = list(await uow.session.scalars(select(SignalRoute)))
        assert [r.meldpunt_id for r in routes] == ["ggd-mzg"]
        assert await uow.conversations.get(1003, 1003) is None
    # No other desk heard of it.
    assert await phone.bot_messages(-1001002) == []
