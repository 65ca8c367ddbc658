"""What the messenger queues: long text split for Telegram's 4096-character limit without losing a
character, edits that name their message, and one message type that reads back from what is stored."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.outgoing import Kind, Outgoing
from bot.views.messenger import TELEGRAM_TEXT_LIMIT, Messenger, split_text
from tests.clock import FakeClock


def test_short_text_stays_whole() -> None:
    assert split_text("hallo") == ["hallo"]


def test_split_prefers_line_breaks() -> None:
    text = ("regel\n" * 1000).strip()
    parts = split_text(text)
    assert all(len(p) <= TELEGRAM_TEXT_LIMIT for p in parts)
    assert all(not p.startswith("\n") and p.endswith("regel") for p in parts)


@given(st.text(min_size=0, max_size=20000))
def test_every_part_fits_and_nothing_but_line_breaks_is_lost(text: str) -> None:
    parts = split_text(text)
    assert all(len(p) <= TELEGRAM_TEXT_LIMIT for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


class Port:
    """An outbox in memory: what the messenger queued, in order, with made-up ids."""

    def __init__(self) -> None:
        self.queued: list[Outgoing] = []

    async def put(self, message: Outgoing, now: datetime) -> int:
        self.queued.append(message)
        return len(self.queued)

    async def put_many(self, messages: list[Outgoing], now: datetime) -> None:
        self.queued += messages


async def test_a_long_message_is_queued_in_parts_with_its_buttons_on_the_last() -> None:
    port, messenger = Port(), Messenger(FakeClock())
    ids = await messenger.send_parts(port, 5, "regel\n" * 1000, [[("Ja", "j:1")]])
    assert ids == [1, 2]
    assert [(m.kind, len(m.text) <= TELEGRAM_TEXT_LIMIT, m.buttons) for m in port.queued] == [
        (Kind.SEND, True, []),
        (Kind.SEND, True, [[("Ja", "j:1")]]),
    ]


async def test_an_edit_a_keyboard_change_and_an_erasure_name_the_message_they_change() -> None:
    port, messenger = Port(), Messenger(FakeClock())
    await messenger.edit_ref(port, 5, 41, "nieuw", [[("Ok", "o")]])
    await messenger.edit(port, 5, 900, "nieuw")
    await messenger.retire(port, 5, 41)
    await messenger.erase(port, 5, "(verwijderd)", outbox_id=41)
    await messenger.erase(port, 5, "(verwijderd)", outbox_id=41, message_id=900)
    assert [(m.kind, m.ref, m.message_id) for m in port.queued] == [
        (Kind.EDIT, 41, None),
        (Kind.EDIT, None, 900),
        (Kind.MARKUP, 41, None),
        (Kind.ERASE, 41, None),
        (Kind.ERASE, None, 900),  # Telegram's id wins: the row that sent it may be purged
    ]


# The stored form as rows queued before the message type was one (still in an outbox at an upgrade).
EARLIER_ROWS = [
    ("send", {"text": "Wat is er?", "buttons": [[["Ja", "j:1"], ["Nee", "j:0"]]]}),
    ("edit", {"text": "Opgepakt", "buttons": [], "ref": 17}),
    ("edit", {"text": "Opgepakt", "buttons": [], "message_id": 880}),
    ("markup", {"ref": 17, "buttons": []}),
    ("erase", {"text": "(verwijderd)", "buttons": [], "message_id": 880}),
]


def test_rows_stored_by_the_earlier_code_read_back_and_store_the_same() -> None:
    for kind, payload in EARLIER_ROWS:
        message = Outgoing.stored(-100, kind, payload)
        assert (message.kind, message.payload()) == (kind, payload)
    assert Outgoing.stored(-100, *EARLIER_ROWS[0]).buttons == [[("Ja", "j:1"), ("Nee", "j:0")]]


@given(
    st.sampled_from(list(Kind)),
    st.text(max_size=50),
    st.lists(st.lists(st.tuples(st.text(max_size=8), st.text(max_size=8)), max_size=3), max_size=3),
    st.none() | st.integers(1, 10**9),
)
def test_every_message_reads_back_from_its_stored_form(
    kind: Kind, text: str, buttons: list[list[tuple[str, str]]], ref: int | None
) -> None:
    message = Outgoing(-100, kind, "" if kind is Kind.MARKUP else text, buttons, ref=ref)
    assert Outgoing.stored(-100, kind, message.payload()) == message
