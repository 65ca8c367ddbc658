"""Arbitrary updates for the front door (tests/e2e/test_fuzz.py, bench/fuzz.py): what a hurried user, a
broken client or an attacker can make Telegram's JSON say."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.pofile import read_po
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.runtime.admission import refusal
from bot.runtime.gate import SORRY
from bot.views.i18n import LOCALES
from storage.models import InboxUpdate, OutboxMessage, Signal

if TYPE_CHECKING:
    from tests.e2e.harness import Stack

ROOT = Path(__file__).resolve().parent.parent
KNOWN_PEOPLE = [1001, 1002, 1003, 2001, 2002, 3001, 5555]
DESK_CHATS = [-1001001, -1001002, -1002002, -4242]
COMMANDS = [
    "/signaal",
    "/signal",
    "/mijn",
    "/open",
    "/antwoord",
    "/deactiveer",
    "/taal",
    "/waakvlam",
    "/waakvlammen",
    "/terug",
    "/cancel",
    "/help",
    "/start",
    "/onbekend",
    "/signaal@other_bot",
]
# Characters that have broken screens and parsers: controls, bidi overrides, zero-width, surrogates' kin.
NASTY = "\x00\x1b\x07\r\n\t\u202e\u202d\u2066\u200b\u200d\ufeff\u2028\u00a0١٢٣²ＡＢ🙂e\u0301"
_ids = itertools.count(1)

big_ints = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, -1, 2**63, 2**63 - 1, -(2**63), 2**64]),
)
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from(NASTY + "abc 123-/."), max_size=60),
    st.text(max_size=5000),
)
commands = st.builds(
    lambda c, arg: f"{c} {arg}" if arg else c,
    st.sampled_from(COMMANDS),
    st.one_of(st.none(), texts, st.sampled_from(["S-AAAAAA", "1001", "nl", "en", "١٠٠١", "9" * 30])),
)


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    """One update: mostly well-formed and from people the bot knows, often not."""
    sender_id = draw(st.one_of(st.sampled_from(KNOWN_PEOPLE), big_ints))
    sender: dict[str, Any] = {
        "id": sender_id,
        "is_bot": draw(st.booleans()) if draw(st.integers(0, 9)) == 0 else False,
        "first_name": draw(st.text(max_size=40)),
    }
    if draw(st.booleans()):
        sender["language_code"] = draw(st.sampled_from(["nl", "en", "de", "", "x" * 10]))
    private = draw(st.integers(0, 3)) > 0
    chat_id = (
        sender_id
        if private and draw(st.integers(0, 5))
        else draw(st.one_of(st.sampled_from(DESK_CHATS), big_ints))
    )
    chat_type = "private" if private else draw(st.sampled_from(["group", "supergroup", "channel", "zzz"]))
    chat = {"id": chat_id, "type": chat_type}
    message_id = draw(st.one_of(st.integers(1, 50), big_ints))
    update_id = next(_ids) if draw(st.integers(0, 9)) else draw(big_ints)
    if draw(st.integers(0, 2)) == 0:
        data = draw(
            st.one_of(
                st.text(max_size=70),
                st.from_regex(r"\d{1,3}\|[a-z._0-9<]{1,20}\|[A-Za-z0-9_-]{11}", fullmatch=True),
            )
        )
        message = {"message_id": message_id, "date": 0, "chat": chat, "text": "x"}
        query = {"id": str(update_id), "from": sender, "chat_instance": "1", "data": data, "message": message}
        return {"update_id": update_id, "callback_query": query}
    body: dict[str, Any] = {"message_id": message_id, "date": 0, "chat": chat, "from": sender}
    kind = draw(st.integers(0, 5))
    if kind == 0:
        body["sticker"] = {
            "file_id": "x",
            "file_unique_id": "y",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
            "type": "regular",
        }
    else:
        text = draw(commands if kind < 3 else texts)
        if text:
            body["text"] = text
    return {"update_id": update_id, "message": body}


def reply_patterns() -> list[re.Pattern[str]]:
    """Every line a catalog message can show, as a pattern (a placeholder matches anything on its line)."""
    patterns = []
    for locale in LOCALES:
        with (ROOT / "locale" / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            catalog = read_po(fh, locale=locale)
        for message in catalog:
            for text in (message.id, message.string):
                if not isinstance(text, str) or not text:
                    continue
                for line in text.split("\n"):
                    if not re.sub(r"\{\w+\}|[\W_]", "", line):
                        continue  # a line that is only a placeholder says nothing of its own
                    parts = re.split(r"\{\w+\}", line)
                    patterns.append(re.compile(".*".join(re.escape(p) for p in parts), re.DOTALL))
    return patterns


def unknown_lines(text: str, patterns: list[re.Pattern[str]]) -> list[str]:
    """Lines of a reply that no catalog message makes (the bot's words are all in the catalogs)."""
    return [
        line for line in text.split("\n") if line.strip() and not any(p.fullmatch(line) for p in patterns)
    ]


async def check(stack: Stack, update: dict[str, Any], patterns: list[re.Pattern[str]]) -> str:
    """Put one update through the front door and check what came of it; "refused" or "taken"."""
    runtime = stack.runtime
    assert runtime is not None
    failures: list[int] = []
    gate = runtime.gate
    real_apologise, real_give_up = gate._apologise, gate.give_up

    async def apologise(update_id: int, chat_id: int | None) -> None:
        failures.append(update_id)
        await real_apologise(update_id, chat_id)

    async def give_up(update_id: int) -> None:
        failures.append(update_id)
        await real_give_up(update_id)

    gate._apologise, gate.give_up = apologise, give_up  # type: ignore[method-assign]
    async with stack.uow() as uow:
        before = await uow.session.scalar(select(func.max(OutboxMessage.id))) or 0
        inbox_before = await uow.session.scalar(select(func.count(InboxUpdate.update_id))) or 0
    try:
        await runtime.take(update)  # never raises
    finally:
        gate._apologise, gate.give_up = real_apologise, real_give_up  # type: ignore[method-assign]
    assert failures == [], f"a handler failed on {update!r}"
    async with stack.uow() as uow:
        rows = list(await uow.session.scalars(select(OutboxMessage).where(OutboxMessage.id > before)))
        stored = (await uow.session.scalar(select(func.count(InboxUpdate.update_id))) or 0) - inbox_before
        signals = await uow.session.scalar(select(func.count(Signal.id)))
    refused = refusal(update) is not None
    if refused:
        assert stored == 0 and rows == [], f"a refused update was stored or answered: {update!r}"
    assert signals == 0, "random input filed a signal"
    for row in rows:
        text = str(row.payload.get("text", ""))
        assert SORRY not in text, f"an apology for {update!r}"
        assert len(text) <= 4096
        assert unknown_lines(text, patterns) == [], f"not the catalog's words: {text!r} for {update!r}"
    return "refused" if refused else "taken"
