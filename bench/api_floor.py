"""Two more floors: a bare aiogram bot that makes the API calls an intake step makes, and nothing else;
and the same bot keeping the records the brief asks of any bot here, on bare `sqlite3`.

    python -m bench.api_floor [--users 100] [--runs 3]

Each text is answered like a question step: the previous question is edited (its buttons go), the
answer is sent with a keyboard. Two API calls per update, with no database, no state and no outbox: what
the framework and the HTTP round trips alone cost for such a step.

The durable floor does the same and writes what the brief requires before and after, with no SQLAlchemy,
no encryption, no flow engine and no rendering: the update stored and committed before acting on it;
the two replies put in an outbox with the update's done mark in one transaction; each reply marked sent
once Telegram has it. One transaction each (our bot groups those of updates arriving together). On
SQLite (`sqlite3` on the loop's thread, as our bot's) by default; `--serve-durable --database URL` keeps
the same records in PostgreSQL with bare `asyncpg` (a pool of ten connections, as our bot's: single
statements in autocommit, the replies' transaction begun and committed), the floor for a bot on PostgreSQL.

All three are measured side by side with the echo floor of bench.throughput (one call per update), in
the same run."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import uvloop
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest
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

    async def store(self, update_id: int, chat_id: int, payload: str) -> bool:
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (update_id) DO NOTHING",
                (update_id, chat_id, payload, _now()),
            )
        return cursor.rowcount == 1

    async def replies(
        self, update_id: int, chat_id: int, rows: list[tuple[str, dict[str, object]]]
    ) -> list[int]:
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

    async def sent(self, row_id: int, message_id: int | None) -> None:
        with self.db:
            self.db.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ? WHERE id = ?",
                (_now(), message_id, row_id),
            )


PG_SCHEMA = """
CREATE TABLE inbox (update_id BIGINT PRIMARY KEY, chat_id BIGINT, payload TEXT NOT NULL,
                    received_at TIMESTAMPTZ NOT NULL, processed_at TIMESTAMPTZ);
CREATE TABLE outbox (id BIGSERIAL PRIMARY KEY, chat_id BIGINT NOT NULL, kind TEXT NOT NULL,
                     payload TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',
                     created_at TIMESTAMPTZ NOT NULL, sent_at TIMESTAMPTZ, message_id BIGINT);
CREATE INDEX ix_outbox_due ON outbox (status, created_at);
CREATE INDEX ix_outbox_chat ON outbox (chat_id, id);
"""


class PgRecords:
    """The same bookkeeping in PostgreSQL with bare `asyncpg` (updates are handled concurrently: a pool)."""

    def __init__(self, db: asyncpg.Pool) -> None:
        self.db = db

    @classmethod
    async def open(cls, url: str) -> PgRecords:
        # No reset on release (asyncpg's default is a round trip of RESET ALL, UNLISTEN and the like):
        # nothing here leaves session state behind, as SQLAlchemy's pool only rolls back what is open.
        db = await asyncpg.create_pool(
            url.replace("postgresql+asyncpg://", "postgresql://"), min_size=10, max_size=10, reset=_nothing
        )
        await db.execute(PG_SCHEMA)
        return cls(db)

    async def store(self, update_id: int, chat_id: int, payload: str) -> bool:
        status = await self.db.execute(
            "INSERT INTO inbox (update_id, chat_id, payload, received_at) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (update_id) DO NOTHING",
            update_id,
            chat_id,
            payload,
            datetime.now(UTC),
        )
        return bool(status == "INSERT 0 1")

    async def replies(
        self, update_id: int, chat_id: int, rows: list[tuple[str, dict[str, object]]]
    ) -> list[int]:
        async with self.db.acquire() as conn, conn.transaction():
            ids = [
                int(
                    await conn.fetchval(
                        "INSERT INTO outbox (chat_id, kind, payload, created_at) VALUES ($1, $2, $3, $4) "
                        "RETURNING id",
                        chat_id,
                        kind,
                        json.dumps(payload),
                        datetime.now(UTC),
                    )
                )
                for kind, payload in rows
            ]
            await conn.execute(
                "UPDATE inbox SET processed_at = $1 WHERE update_id = $2", datetime.now(UTC), update_id
            )
        return ids

    async def sent(self, row_id: int, message_id: int | None) -> None:
        await self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = $1, message_id = $2 WHERE id = $3",
            datetime.now(UTC),
            message_id,
            row_id,
        )


async def _nothing(_conn: asyncpg.Connection) -> None:
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat()


async def serve_durable(base: str, database: str | None = None) -> None:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    dp = Dispatcher()
    asked: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        records = await PgRecords.open(database) if database else Records(Path(tmp) / "floor.db")

        @dp.message()
        async def step(message: Message, event_update: Update) -> None:
            chat, update_id = message.chat.id, event_update.update_id
            if not await records.store(update_id, chat, event_update.model_dump_json(exclude_none=True)):
                return
            text = message.text or ""
            previous = asked.get(chat)
            rows: list[tuple[str, dict[str, object]]] = [("send", {"text": text, "buttons": [["Ja", "j"]]})]
            if previous is not None:
                rows.insert(0, ("edit", {"message_id": previous, "text": "✅ beantwoord"}))
            ids = await records.replies(update_id, chat, rows)
            if previous is not None:
                with contextlib.suppress(TelegramBadRequest):  # "not modified": the person was quicker
                    await bot.edit_message_text(text="✅ beantwoord", chat_id=chat, message_id=previous)
                await records.sent(ids[0], None)
            sent = await message.answer(text, reply_markup=KEYBOARD)
            asked[chat] = sent.message_id  # before the sent mark, which awaits PostgreSQL
            await records.sent(ids[-1], sent.message_id)

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
    parser.add_argument("--database", help=argparse.SUPPRESS)  # with --serve-durable: PostgreSQL's URL
    args, rest = parser.parse_known_args()
    # The floors run on uvloop, as our bot does (`waakvlam run`): asyncpg's round trips cost about half
    # the CPU on it; on SQLite the floor measured the same either way (715 updates/s, 12-06).
    if args.serve_durable:
        uvloop.run(serve_durable(rest[0], args.database))
        return
    if args.serve:
        uvloop.run(serve(rest[0]))
        return
    results = [asyncio.run(run(args.users)) for _ in range(args.runs)]
    report(f"api floor users={args.users}", results)


if __name__ == "__main__":
    main()
