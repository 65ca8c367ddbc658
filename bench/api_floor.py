"""Two more floors: a bare aiogram bot that makes the API calls an intake step makes, and nothing else;
and the same bot keeping the records the brief asks of any bot here, on bare `sqlite3`.

    python -m bench.api_floor [--users 100] [--runs 3]

Each text is answered like a question step: the previous question is edited (its buttons go), the
answer is sent with a keyboard. Two API calls per update, with no database, no state and no outbox: what
the framework and the HTTP round trips alone cost for such a step.

The durable floor does the same and writes what the brief requires before and after, with no SQLAlchemy,
no encryption, no flow engine and no rendering: the update stored and committed before acting on it;
the two replies put in an outbox with the update's done mark in one transaction; each reply marked sent
once Telegram has it. One transaction each (our bot groups those of updates arriving together).

All three are measured side by side with the echo floor of bench.throughput (one call per update), in
the same run."""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bench.common import report
from bench.throughput import against, echo_ten, module
from tests.e2e.harness import TOKEN

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [
            InlineKeyboardButton(text="Ja", callback_data="j"),
            InlineKeyboardButton(text="Nee", callback_data="n"),
        ]
    ]
)


async def serve(base: str) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    dp = Dispatcher()
    asked: dict[int, int] = {}

    @dp.message()
    async def step(message: Message) -> None:
        chat = message.chat.id
        if chat in asked:
            await bot.edit_message_text(text="✅ beantwoord", chat_id=chat, message_id=asked[chat])
        sent = await message.answer(message.text or "", reply_markup=KEYBOARD)
        asked[chat] = sent.message_id

    await dp.start_polling(bot, polling_timeout=1, handle_signals=True)


SCHEMA = """
CREATE TABLE inbox (update_id INTEGER PRIMARY KEY, chat_id INTEGER, payload TEXT NOT NULL,
                    received_at TEXT NOT NULL, processed_at TEXT);
CREATE TABLE outbox (id INTEGER PRIMARY KEY, chat_id INTEGER NOT NULL, kind TEXT NOT NULL,
                     payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', created_at TEXT NOT NULL,
                     sent_at TEXT, message_id INTEGER);
CREATE INDEX ix_outbox_due ON outbox (status, created_at);
CREATE INDEX ix_outbox_chat ON outbox (chat_id, id);
"""


class Records:
    """The durable floor's bookkeeping on one `sqlite3` connection on the loop's thread (as our bot's)."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL"):
            self.db.execute(f"PRAGMA {pragma}")
        self.db.executescript(SCHEMA)

    def store(self, update_id: int, chat_id: int, payload: str) -> bool:
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (update_id) DO NOTHING",
                (update_id, chat_id, payload, _now()),
            )
        return cursor.rowcount == 1

    def replies(self, update_id: int, chat_id: int, rows: list[tuple[str, dict[str, object]]]) -> list[int]:
        self.db.execute("BEGIN")
        try:
            ids = [
                int(
                    self.db.execute(
                        "INSERT INTO outbox (chat_id, kind, payload, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                        (chat_id, kind, json.dumps(payload), _now()),
                    ).fetchone()[0]
                )
                for kind, payload in rows
            ]
            self.db.execute("UPDATE inbox SET processed_at = ? WHERE update_id = ?", (_now(), update_id))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return ids

    def sent(self, row_id: int, message_id: int | None) -> None:
        with self.db:
            self.db.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ? WHERE id = ?",
                (_now(), message_id, row_id),
            )


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def serve_durable(base: str) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    dp = Dispatcher()
    asked: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        records = Records(Path(tmp) / "floor.db")

        @dp.message()
        async def step(message: Message, event_update: Update) -> None:
            chat, update_id = message.chat.id, event_update.update_id
            if not records.store(update_id, chat, event_update.model_dump_json(exclude_none=True)):
                return
            text = message.text or ""
            rows: list[tuple[str, dict[str, object]]] = [("send", {"text": text, "buttons": [["Ja", "j"]]})]
            if chat in asked:
                rows.insert(0, ("edit", {"message_id": asked[chat], "text": "✅ beantwoord"}))
            ids = records.replies(update_id, chat, rows)
            if chat in asked:
                await bot.edit_message_text(text="✅ beantwoord", chat_id=chat, message_id=asked[chat])
                records.sent(ids[0], None)
            sent = await message.answer(text, reply_markup=KEYBOARD)
            records.sent(ids[-1], sent.message_id)
            asked[chat] = sent.message_id

        await dp.start_polling(bot, polling_timeout=1, handle_signals=True)


async def run(users: int) -> dict[str, float]:
    one = await against(module("bench.echo_bot"), users, echo_ten, 0.0)
    two = await against(module("bench.api_floor", "--serve"), users, echo_ten, 0.0)
    durable = await against(module("bench.api_floor", "--serve-durable"), users, echo_ten, 0.0)
    return {
        "echo_updates_per_s": one["updates_per_s"],
        "two_calls_updates_per_s": two["updates_per_s"],
        "ratio": two["updates_per_s"] / one["updates_per_s"],
        "durable_updates_per_s": durable["updates_per_s"],
        "durable_ratio": durable["updates_per_s"] / one["updates_per_s"],
        "echo_cpu_ms_per_update": one["bot_cpu_ms_per_update"],
        "two_calls_cpu_ms_per_update": two["bot_cpu_ms_per_update"],
        "durable_cpu_ms_per_update": durable["bot_cpu_ms_per_update"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--serve-durable", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.serve or args.serve_durable:
        asyncio.run((serve_durable if args.serve_durable else serve)(rest[0]))
        return
    results = [asyncio.run(run(args.users)) for _ in range(args.runs)]
    report(f"api floor users={args.users}", results)


if __name__ == "__main__":
    main()
