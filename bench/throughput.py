"""Update throughput and latency: N people each file a complete signal through the emulator over HTTP,
full stack (aiogram → engine → database → replies), side by side with a bare aiogram echo bot (the floor)
and the durable floor (bench/api_floor.py: that bot keeping the records the brief requires), in one run.
With --database postgres the durable floor is measured twice: on SQLite (as always) and keeping its
records in PostgreSQL (`ratio_to_durable_pg_floor`: the least a bot on PostgreSQL could do).

    python -m bench.throughput --users 100 500 2000 [--database sqlite|postgres] [--runs 5] [--think S]
                               [--by-step] [--adapter aiogram|ptb] [--instances N] [--rounds N]

Both bots run as their own process and poll the emulator. Without --think every person answers the
moment the bot has answered (a closed loop at saturation: updates/s is the capacity, and latency is then
about people / capacity for any bot, the floor too). With --think S each person waits 0.5 S to 1.5 S
(random, seeded) before every step and starts at a random moment within the first S seconds, as people
on phones do; latency then measures the answer time at that load. The floor runs with the same pacing.
--adapter ptb runs the full stack on python-telegram-bot (the floor stays aiogram's echo bot).
--rounds N has each person file N signals one after the other (with --think: one bot process answering
at a person's pace for N times as long, a soak where a rare stall shows in the slowest single answer).
--instances N runs N bot processes in webhook mode behind a round-robin balancer (as a region scales out),
sharing one database; with N > 1 one webhook instance is measured in the same run too (`scale_out`). The outbox's
Telegram rate limits are lifted for this measurement (it is about handling updates; sending within limits is bench/dispatch.py)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import inspect
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aiohttp import ClientSession, ClientTimeout

from bench.common import database, report
from bot.domain.clock import SystemClock
from bot.domain.region import load_region
from bot.sandbox.emulator import ChatMessage, Emulator
from bot.sandbox.seed import seed
from storage.crypto import Cipher, install
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.uow import UnitOfWork
from tests.bulk import professionals
from tests.e2e.balancer import RoundRobin
from tests.e2e.harness import DATA_KEY, TOKEN, WEBHOOK_SECRET, bot_process, serve_emulator, stop_process
from tests.net import free_port

FIRST = 600_000
UNLIMITED = {"rate_per_second": "100000", "rate_burst": "10000", "rate_per_chat_burst": "1000"}


class Watched(Emulator):
    """The emulator, telling waiting people when their chat changes (and delivering webhooks over one
    shared client, so the measuring process does not pay a new connection per update)."""

    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.changed: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.http: ClientSession | None = None

    def _delivery_session(self) -> AbstractAsyncContextManager[ClientSession]:
        if self.http is None:
            self.http = ClientSession(timeout=ClientTimeout(total=30))
        return nullcontext(self.http)

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()

    async def fill(self, user: int, text: str) -> None:
        """The person types `text` on the form of the question on screen (a Mini App on the bot's own web
        port, opened with their signed launch data) and sends it, as tests/e2e/harness.Phone.fill does."""
        asked = next(
            m for m in reversed(self.chats[user]) if any("web_app" in b for r in m.keyboard for b in r)
        )
        url = next(b["web_app"]["url"] for r in asked.keyboard for b in r if "web_app" in b)
        fields = {**dict(parse_qsl(urlsplit(url).query)), "init_data": self.init_data(user)}
        async with self._forms().post(
            url.split("?")[0], data={**fields, "action": "send", "text": text}
        ) as resp:
            assert resp.status == 200, await resp.text()

    def _forms(self) -> ClientSession:
        if self.http is None:
            self.http = ClientSession(timeout=ClientTimeout(total=30))
        return self.http

    def _append(self, chat_id: int, sender: dict[str, Any], text: str, keyboard: list[Any]) -> ChatMessage:
        msg = super()._append(chat_id, sender, text, keyboard)
        self.changed[chat_id].set()
        return msg

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        result = await super().call(method, params)
        if method.startswith("edit"):
            self.changed[int(params.get("chat_id", 0))].set()
        return result


async def until(
    emu: Watched, chat: int, found: Callable[[list[ChatMessage]], ChatMessage | None], within: float = 600
) -> ChatMessage:
    while True:
        emu.changed[chat].clear()
        hit = found(emu.chats.get(chat, []))
        if hit is not None:
            return hit
        try:
            await asyncio.wait_for(emu.changed[chat].wait(), within)
        except TimeoutError:
            shown = [
                (m.text[:50], m.keyboard and [b["text"] for r in m.keyboard for b in r])
                for m in emu.chats.get(chat, [])[-3:]
            ]
            raise AssertionError(f"chat {chat} shows {shown}") from None


def newest(text: str) -> Callable[[list[ChatMessage]], ChatMessage | None]:
    return lambda msgs: next((m for m in reversed(msgs) if m.sender.get("is_bot") and text in m.text), None)


def checked(label: str) -> Callable[[list[ChatMessage]], ChatMessage | None]:
    return lambda msgs: next(
        (m for m in reversed(msgs) if any("✅ " + label == b["text"] for r in m.keyboard for b in r)), None
    )


class Pace:
    """A person's pauses: none (think=0), or 0.5-1.5 × think seconds before each step."""

    def __init__(self, think: float, user: int) -> None:
        self.think, self.random = think, random.Random(user)

    async def start(self) -> None:
        if self.think:
            await asyncio.sleep(self.random.uniform(0, self.think))

    async def pause(self) -> None:
        if self.think:
            await asyncio.sleep(self.think * self.random.uniform(0.5, 1.5))


class Latencies:
    """Seconds from each update to the bot's answer, by step of the conversation."""

    def __init__(self) -> None:
        self.by_step: dict[str, list[float]] = defaultdict(list)

    def add(self, step: str, seconds: float) -> None:
        self.by_step[step].append(seconds)

    def all(self) -> list[float]:
        return [s for step in self.by_step.values() for s in step]


def percentiles(seconds: list[float], prefix: str = "") -> dict[str, float]:
    """p50 and p99, and the slowest single answer (a stall shows there first)."""
    q = statistics.quantiles(seconds, n=100)
    return {
        f"{prefix}p50_ms": q[49] * 1000,
        f"{prefix}p99_ms": q[98] * 1000,
        f"{prefix}max_ms": max(seconds) * 1000,
    }


async def file_signal(
    emu: Watched, user: int, latencies: Latencies, pace: Pace, ref: str | None = None
) -> None:
    """One person's intake, as eight updates and three form posts; each latency runs from the update (or the
    post) to the bot's answer in the chat. `ref`: the resident's reference (one per signal)."""
    await pace.start()
    since = len(emu.chats.get(user, []))  # a second signal's questions are new messages after the first's

    async def step(
        name: str,
        act: Callable[[], int | Awaitable[int]],
        found: Callable[[list[ChatMessage]], ChatMessage | None],
    ) -> ChatMessage:
        await pace.pause()
        start = time.perf_counter()
        uid = act()
        if inspect.isawaitable(uid):
            uid = await uid
        try:
            msg = await until(emu, user, lambda msgs: found(msgs[since:]))
        except AssertionError as exc:
            raise AssertionError(f"{exc}; answer to update {uid}: {emu.answers.get(str(uid))}") from None
        latencies.add(name, time.perf_counter() - start)
        return msg

    def press(msg: ChatMessage, label: str) -> Callable[[], int]:
        return lambda: emu.user_presses(user, user, msg.message_id, label)

    def say(text: str) -> Callable[[], int]:
        return lambda: emu.user_sends(user, user, text)

    async def on_form(text: str) -> int:
        await emu.fill(user, text)
        return 0

    q = await step("01_signaal", say("/signaal"), newest("acuut gevaar"))
    q = await step("02_no_danger", press(q, "Nee"), newest("Wat heeft u gezien?"))
    await step("03_toggle", press(q, "Overlast"), checked("Overlast"))
    await step("04_done", press(q, "Klaar"), newest("eigen korte referentie"))
    # Text about the resident is typed on the form on the bot's own server (issue 37), not in the chat.
    await step("05_ref", lambda: on_form(ref or f"R-{user}"), newest("welke wijk"))
    await step("06_area", lambda: on_form("9401"), newest("Beschrijf kort"))
    text = "Muziek tot diep in de nacht, afval in de tuin."
    q = await step("07_text", lambda: on_form(text), newest("zorg of hulpverlening"))
    q = await step("08_care", press(q, "Nee"), newest("Is de bewoner op de hoogte"))
    q = await step("09_aware", press(q, "Nee"), newest("andere gemeente?"))
    q = await step("10_elsewhere", press(q, "Nee"), newest("Samenloop:"))
    q = await step("11_no_match_key", press(q, "Overslaan"), newest("Klopt dit?"))
    await step("12_send", press(q, "Versturen"), newest("is verstuurd"))


Person = Callable[[Watched, int, Latencies, Pace], Any]


def filing(rounds: int) -> Person:
    """A person who files `rounds` signals one after the other, each about another resident: with
    --think, one bot process answering at a person's pace for longer (a soak, where a rare stall shows)."""
    if rounds == 1:
        return file_signal

    async def person(emu: Watched, user: int, latencies: Latencies, pace: Pace) -> None:
        for n in range(rounds):
            await file_signal(emu, user, latencies, pace, ref=f"R-{user}-{n}")

    return person


async def echo_ten(emu: Watched, user: int, latencies: Latencies, pace: Pace) -> None:
    await pace.start()
    for i in range(10):
        await pace.pause()
        start = time.perf_counter()
        emu.user_sends(user, user, f"bericht {i}")
        await until(emu, user, newest(f"bericht {i}"))
        latencies.add("echo", time.perf_counter() - start)


class Pauses:
    """This (measuring) process's own collector pauses while measuring: the emulator and the people run
    here, so a pause counts as latency of whatever update is in flight."""

    def __init__(self) -> None:
        self.seconds: list[float] = []
        self._started = 0.0

    def _probe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds.append(time.perf_counter() - self._started)

    def __enter__(self) -> Pauses:
        gc.callbacks.append(self._probe)
        return self

    def __exit__(self, *_: object) -> None:
        gc.callbacks.remove(self._probe)

    def report(self) -> dict[str, float]:
        over = [s for s in self.seconds if s > 0.005]
        return {
            "bench_gc_over_5ms": len(over),
            "bench_gc_max_ms": max(self.seconds, default=0) * 1000,
            "bench_gc_total_ms": sum(self.seconds) * 1000,
        }


async def measure(
    emu: Watched,
    users: int,
    person: Callable[[Watched, int, Latencies, Pace], Any],
    think: float,
    by_step: bool = False,
) -> dict[str, float]:
    latencies = Latencies()
    pauses = Pauses()
    start = time.perf_counter()
    with pauses:
        await asyncio.gather(
            *(person(emu, FIRST + i, latencies, Pace(think, FIRST + i)) for i in range(users))
        )
    took = time.perf_counter() - start
    result = {
        "updates_per_s": len(latencies.all()) / took,
        "seconds": took,
        **percentiles(latencies.all()),
        **pauses.report(),
    }
    if by_step:
        for name, seconds in sorted(latencies.by_step.items()):
            result |= percentiles(seconds, f"{name}_")
    return result


async def with_people(url: str, count: int, first: int) -> None:
    """Migrate a fresh database and register the demo users and `count` field workers from `first`."""
    install(Cipher([DATA_KEY]))
    await upgrade_async(url)
    engine = make_engine(url)
    async with UnitOfWork(make_sessionmaker(engine)) as uow:
        await seed(uow, SystemClock(), load_region())
        await professionals(uow, count, first, SystemClock().now())
        await uow.commit()
    await engine.dispose()


def cpu_seconds(procs: list[subprocess.Popen[bytes]]) -> float:
    """CPU time (user + system, all threads) the processes have used so far (Linux: /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in procs:
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


async def ready(emu: Emulator) -> None:
    while emu.calls.get("getUpdates", 0) < 1:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


Start = Callable[[str], list[subprocess.Popen[bytes]]]


async def against(
    start: Start,
    users: int,
    person: Callable[[Watched, int, Latencies, Pace], Any],
    think: float,
    by_step: bool = False,
    balancer: RoundRobin | None = None,
) -> dict[str, float]:
    """Serve a fresh emulator, start the bot processes against it (polling, or webhook instances behind
    `balancer`), and measure `users` people on it."""
    emu = Watched(TOKEN)
    runner, base = await serve_emulator(emu)
    if balancer is not None:
        await balancer.start()
    procs = start(base)
    try:
        if balancer is not None:
            await balancer.until_up(lambda: emu.webhook_url is not None)
        else:
            await ready(emu)
        cpu = cpu_seconds(procs)
        result = await measure(emu, users, person, think, by_step)
        # The bot's own CPU per update: unlike updates/s, hardly moved by what else the machine is doing.
        updates = result["updates_per_s"] * result.pop("seconds")
        return result | {"bot_cpu_ms_per_update": (cpu_seconds(procs) - cpu) / updates * 1000}
    finally:
        for proc in procs:
            stop_process(proc)
        if balancer is not None:
            await balancer.close()
        await emu.close()
        await runner.cleanup()


def module(name: str, *args: str) -> Start:
    """Start `python -m name *args <api base>` (a floor bot) for `against`."""
    return lambda base: [
        subprocess.Popen([sys.executable, "-m", name, *args, base], stderr=subprocess.DEVNULL)
    ]


async def full_stack(
    users: int, kind: str, think: float, by_step: bool, adapter: str, instances: int, rounds: int = 1
) -> dict[str, float]:
    """The bot on a fresh database of the kind asked for: polling (instances=0) or N webhook instances."""
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        await with_people(url, users, FIRST)
        balancer = RoundRobin([free_port() for _ in range(instances)]) if instances else None

        def start(base: str) -> list[subprocess.Popen[bytes]]:
            if balancer is None:
                return [bot_process(url, base, adapter=adapter, **UNLIMITED)]
            hooked = dict(mode="webhook", webhook_listen="127.0.0.1", webhook_secret=WEBHOOK_SECRET)
            return [
                bot_process(
                    url,
                    base,
                    adapter=adapter,
                    webhook_port=str(p),
                    webhook_url=balancer.url,
                    **hooked,
                    **UNLIMITED,
                )
                for p in balancer.ports
            ]

        return await against(start, users, filing(rounds), think, by_step, balancer)


async def durable_on_postgres(users: int, think: float) -> dict[str, float]:
    """The durable floor keeping its records in PostgreSQL (a cluster of its own, as the bot's run has)."""
    with tempfile.TemporaryDirectory() as tmp, database("postgres", Path(tmp)) as url:
        floor = module("bench.api_floor", "--serve-durable", "--database", url)
        return await against(floor, users, echo_ten, think)


async def run(
    users: int,
    kind: str,
    think: float,
    by_step: bool = False,
    adapter: str = "aiogram",
    instances: int = 0,
    rounds: int = 1,
) -> dict[str, float]:
    # The floor first: a bare aiogram echo bot on a fresh emulator.
    floor = await against(module("bench.echo_bot"), users, echo_ten, think)
    # The measure since 2026-12: the durable floor (bench/api_floor.py, the records the brief requires on
    # bare sqlite3), in the same run, so the ratio is side by side with the bot's.
    durable = await against(module("bench.api_floor", "--serve-durable"), users, echo_ten, think)
    on_pg = await durable_on_postgres(users, think) if kind == "postgres" else {}
    full = await full_stack(users, kind, think, by_step, adapter, instances, rounds)
    steps = {k: v for k, v in full.items() if k[:2].isdigit() or k.startswith("bench_gc")}
    result = {
        "floor_updates_per_s": floor["updates_per_s"],
        "floor_p50_ms": floor["p50_ms"],
        "floor_p99_ms": floor["p99_ms"],
        "updates_per_s": full["updates_per_s"],
        "p50_ms": full["p50_ms"],
        "p99_ms": full["p99_ms"],
        "ratio_to_floor": full["updates_per_s"] / floor["updates_per_s"],
        "durable_floor_updates_per_s": durable["updates_per_s"],
        "ratio_to_durable_floor": full["updates_per_s"] / durable["updates_per_s"],
        "durable_floor_cpu_ms_per_update": durable["bot_cpu_ms_per_update"],
        "floor_cpu_ms_per_update": floor["bot_cpu_ms_per_update"],
        "cpu_ms_per_update": full["bot_cpu_ms_per_update"],
        "cpu_ratio": floor["bot_cpu_ms_per_update"] / full["bot_cpu_ms_per_update"],
    }
    if on_pg:
        result |= {
            "durable_pg_floor_updates_per_s": on_pg["updates_per_s"],
            "ratio_to_durable_pg_floor": full["updates_per_s"] / on_pg["updates_per_s"],
            "durable_pg_floor_cpu_ms_per_update": on_pg["bot_cpu_ms_per_update"],
        }
    if instances > 1:
        # One webhook instance behind the same balancer, in the same run: what the others add.
        one = await full_stack(users, kind, think, False, adapter, 1)
        result |= {
            "one_instance_updates_per_s": one["updates_per_s"],
            "one_instance_p50_ms": one["p50_ms"],
            "one_instance_p99_ms": one["p99_ms"],
            "scale_out": full["updates_per_s"] / one["updates_per_s"],
        }
    return result | steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds a person waits per step")
    parser.add_argument("--by-step", action="store_true", help="also p50/p99 per step of the intake")
    parser.add_argument("--adapter", choices=["aiogram", "ptb"], default="aiogram")
    parser.add_argument(
        "--instances", type=int, default=0, help="webhook instances behind a balancer (0: one bot polling)"
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="signals each person files one after the other (a soak)"
    )
    args = parser.parse_args()
    for n in args.users:
        results = [
            asyncio.run(
                run(n, args.database, args.think, args.by_step, args.adapter, args.instances, args.rounds)
            )
            for _ in range(args.runs)
        ]
        title = f"throughput users={n} db={args.database} think={args.think}"
        title += f" adapter={args.adapter}" if args.adapter != "aiogram" else ""
        title += f" rounds={args.rounds}" if args.rounds != 1 else ""
        report(title + (f" instances={args.instances} (webhook)" if args.instances else ""), results)


if __name__ == "__main__":
    main()
