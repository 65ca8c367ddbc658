"""A second floor: a bare aiogram bot that makes the API calls an intake step makes, and nothing else.

    python -m bench.api_floor [--users 100] [--runs 3]

Each text is answered like a question step: the previous question is edited (its buttons go), the
answer is sent with a keyboard. Two API calls per update, with no database, no state and no outbox: what
the framework and the HTTP round trips alone cost for such a step. Measured side by side with the echo
floor of bench.throughput (one call per update)."""

from __future__ import annotations

import argparse
import asyncio

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

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


async def run(users: int) -> dict[str, float]:
    one = await against(module("bench.echo_bot"), users, echo_ten, 0.0)
    two = await against(module("bench.api_floor", "--serve"), users, echo_ten, 0.0)
    return {
        "echo_updates_per_s": one["updates_per_s"],
        "two_calls_updates_per_s": two["updates_per_s"],
        "ratio": two["updates_per_s"] / one["updates_per_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.serve:
        asyncio.run(serve(rest[0]))
        return
    results = [asyncio.run(run(args.users)) for _ in range(args.runs)]
    report(f"api floor users={args.users}", results)


if __name__ == "__main__":
    main()
