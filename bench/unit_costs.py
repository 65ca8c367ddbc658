"""The unit costs an update is made of, in CPU of the calling thread: one SQL statement through the
layers the bot uses, and one `sendMessage` as the outbox makes it (`AiogramTransport.send`: plain JSON
through aiogram's session since profile 19; through aiogram's models before) against the same call posted
by aiohttp alone; and sealing one value at rest, AES-GCM against Fernet.

    python -m bench.unit_costs [--database sqlite|postgres] [--count 2000]

Each figure is the mean over `count` calls made one after another (after 100 to warm up). The emulator
runs in a child process, so its work is not counted."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvloop
from aiohttp import ClientSession
from sqlalchemy import select, text

from bench.common import database, emulator_in_child
from bench.throughput import with_people
from tests.e2e.harness import TOKEN

BUTTONS = [[("Ja", "j" * 40), ("Nee", "n" * 40)], [("Terug", "t" * 40)]]
TEXT = "Is er op dit moment acuut gevaar voor de bewoner of anderen?"


async def timed(count: int, call: Callable[[], Awaitable[Any]]) -> dict[str, float]:
    for _ in range(100):
        await call()
    cpu, wall = time.thread_time(), time.perf_counter()
    for _ in range(count):
        await call()
    return {
        "cpu_us": (time.thread_time() - cpu) / count * 1e6,
        "wall_us": (time.perf_counter() - wall) / count * 1e6,
    }


async def statements(url: str, count: int) -> dict[str, dict[str, float]]:
    from storage.db import make_engine, make_sessionmaker
    from storage.models import User
    from storage.uow import UnitOfWork

    await with_people(url, 1, 900_000)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    one = text("SELECT 1")
    costs = {}
    try:
        async with sessions() as session:
            user = select(User).where(User.telegram_id == 900_000)
            costs["orm_select_user"] = await timed(count, lambda: session.execute(user))
            costs["session_select_1"] = await timed(count, lambda: session.execute(one))

        async def unit() -> None:
            async with sessions() as session:
                await session.execute(one)
                await session.commit()

        costs["session_select_1_and_commit"] = await timed(count, unit)

        async def empty_unit() -> None:
            async with UnitOfWork(sessions) as uow:
                await uow.session.connection()

        async def user_read_unit() -> None:  # every update's first read (storage/direct.DirectRead)
            async with UnitOfWork(sessions) as uow:
                await uow.sender(900_000, 900_000)

        costs["unit_of_work_empty"] = await timed(count, empty_unit)
        costs["unit_of_work_user_read"] = await timed(count, user_read_unit)
        async with engine.connect() as conn:
            costs["connection_select_1"] = await timed(count, lambda: conn.execute(one))
            driver = (await conn.get_raw_connection()).driver_connection
            if url.startswith("sqlite"):

                async def bare() -> None:  # sqlite3 itself, on this thread (storage/sqlite_inline.py)
                    driver.execute("SELECT 1").fetchall()

                costs["driver_select_1"] = await timed(count, bare)
            else:
                costs["driver_select_1"] = await timed(count, lambda: driver.fetch("SELECT 1"))
    finally:
        await engine.dispose()
    return costs


async def api_calls(base: str, count: int) -> dict[str, dict[str, float]]:
    from aiogram import Bot
    from aiogram.client.telegram import TelegramAPIServer

    from handlers.aiogram_models import build_used
    from handlers.aiogram_session import JsonSession
    from handlers.aiogram_transport import AiogramTransport

    build_used()
    bot = Bot(TOKEN, session=JsonSession(api=TelegramAPIServer.from_base(base)))
    transport = AiogramTransport(bot)
    body = json.dumps(
        {
            "chat_id": 5,
            "text": TEXT,
            "reply_markup": {
                "inline_keyboard": [[{"text": t, "callback_data": d} for t, d in row] for row in BUTTONS]
            },
        }
    ).encode()
    url = f"{base}/bot{TOKEN}/sendMessage"
    async with ClientSession() as http:

        async def posted() -> int:
            async with http.post(url, data=body, headers={"Content-Type": "application/json"}) as answer:
                return int(json.loads(await answer.read())["result"]["message_id"])

        try:
            return {
                "outbox_send_message": await timed(count, lambda: transport.send(5, TEXT, BUTTONS)),
                "aiohttp_post_same_json": await timed(count, posted),
            }
        finally:
            await bot.session.close()


def sealing(count: int) -> dict[str, dict[str, float]]:
    """Sealing and opening one conversation state at rest: AES-GCM (storage/crypto.py) against Fernet."""
    from cryptography.fernet import Fernet

    from storage.crypto import Cipher, new_key

    key = new_key()
    cipher, fernet = Cipher([key]), Fernet(key.encode())
    state = json.dumps({"version": 4, "answers": {"gemeente": "assen", "description": TEXT}, "step": "area"})
    token, old = cipher.encrypt(state), fernet.encrypt(state.encode())
    calls: dict[str, Callable[[], Any]] = {
        "seal_aes_gcm": lambda: cipher.encrypt(state),
        "open_aes_gcm": lambda: cipher.decrypt(token),
        "seal_fernet": lambda: fernet.encrypt(state.encode()),
        "open_fernet": lambda: fernet.decrypt(old),
    }
    costs = {}
    for name, call in calls.items():
        for _ in range(100):
            call()
        cpu, wall = time.thread_time(), time.perf_counter()
        for _ in range(count):
            call()
        costs[name] = {
            "cpu_us": (time.thread_time() - cpu) / count * 1e6,
            "wall_us": (time.perf_counter() - wall) / count * 1e6,
        }
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--count", type=int, default=2000)
    args = parser.parse_args()
    with emulator_in_child() as base:
        with tempfile.TemporaryDirectory() as tmp, database(args.database, Path(tmp)) as url:
            costs = uvloop.run(statements(url, args.count))
        costs |= uvloop.run(api_calls(base, args.count))
    costs |= sealing(args.count * 10)
    print(f"unit costs db={args.database} count={args.count} (microseconds of the calling thread, and wall)")
    for name, cost in costs.items():
        print(f"  {name:32s} cpu {cost['cpu_us']:6.0f} us   wall {cost['wall_us']:6.0f} us")


if __name__ == "__main__":
    main()
