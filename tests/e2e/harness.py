"""The test stack: the Bot API emulator over HTTP, the real aiogram bot against it, a phone to drive it."""

from __future__ import annotations

import asyncio
import html
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from aiohttp import ClientSession, web
from pydantic import SecretStr
from sqlalchemy import func, select

from bot.app.core import Core, build_core
from bot.app.runtimes import build_runtime
from bot.app.settings import Settings
from bot.domain.clock import Clock, SystemClock
from bot.domain.region import load_region
from bot.runtime.host import Runtime
from bot.sandbox.emulator import Emulator, make_app
from bot.sandbox.seed import seed
from storage.crypto import Cipher, install
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.models import InboxUpdate, OutboxMessage
from storage.uow import UnitOfWork
from tests.net import free_port

TOKEN = "123456789:test-token"
SECRET = "x" * 40
WEBHOOK_SECRET = "webhook-secret-of-at-least-32-chars"
DATA_KEY = "mYaSbN8fpTm0I3kA5fOJ0mXb8Vb4l3t1H6hUQdS2Y7E="
Message = dict[str, Any]
FILL = "✏️ Invullen"  # the button that opens a question's form
OPEN = "📄 Openen"  # the button that opens a page with a signal's text
MONDAY_0900 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Amsterdam


class Phone:
    """Acts as people on their phones through the emulator's control API, and reads their screens."""

    def __init__(self, http: ClientSession, base: str, clock: Clock | None = None) -> None:
        self.http, self.base = http, base
        self.clock = clock or SystemClock()  # the bot's clock: a Mini App's launch data is signed "now"
        self._form_at: dict[int, int] = {}  # per person, the message whose form was filled last

    async def send(
        self, user_id: int, text: str, chat_id: int | None = None, language: str | None = None
    ) -> int:
        body: dict[str, Any] = {"user_id": user_id, "chat_id": chat_id or user_id, "text": text}
        if language:
            body["language"] = language
        async with self.http.post(f"{self.base}/control/send", json=body) as resp:
            assert resp.status == 200, await resp.text()
            return int((await resp.json())["update_id"])

    async def press(
        self, user_id: int, button: str, chat_id: int | None = None, message_id: int | None = None
    ) -> int:
        """Tap a button: on `message_id`, or on the newest message that shows it."""
        chat_id = chat_id or user_id
        if message_id is None:
            message_id = (await self.message_with_button(chat_id, button))["message_id"]
        body = {"user_id": user_id, "chat_id": chat_id, "message_id": message_id, "button": button}
        async with self.http.post(f"{self.base}/control/press", json=body) as resp:
            assert resp.status == 200, f"no button {button!r} on message {message_id}: {await resp.text()}"
            return int((await resp.json())["update_id"])

    async def form_of(self, user_id: int, within: float = 5, after: int = 0) -> str:
        """The address of the newest form a question in this person's chat offers (its ✏️ Invullen)."""

        after = max(after, self._form_at.get(user_id, 0))  # not the question just answered (its edit may lag)

        def find(msgs: list[Message]) -> Message | None:
            return next((m for m in reversed(msgs) if m["message_id"] > after and FILL in m["apps"]), None)

        found = await self._until(user_id, find, within, "a question with a form")
        self._form_at[user_id] = int(found["message_id"])
        return str(found["apps"][FILL])

    async def fill(
        self,
        user_id: int,
        text: str,
        choice: str = "",
        reason: str = "",
        status: int = 200,
        url: str | None = None,
        init_data: str | None = None,
    ) -> str:
        """Open the form of the question on screen as Telegram does (the signed launch data of this person),
        type `text` and send it (with the guard's `choice` and `reason`, if asked); the page it answers."""
        url = url or await self.form_of(user_id)
        if init_data is None:
            init_data = await self.init_data(user_id)
        query = dict(parse_qsl(urlsplit(url).query))
        fields = {"init_data": init_data, **query}
        async with self.http.post(url.split("?")[0], data={**fields, "action": "open"}) as resp:
            opened = await resp.text()
        if resp.status != 200:
            assert resp.status == status, opened
            return opened
        sent = {**fields, "action": "send", "text": text, "choice": choice, "reason": reason}
        async with self.http.post(url.split("?")[0], data=sent) as resp:
            page = await resp.text()
            assert resp.status == status, page
        return page

    async def read(self, user_id: int, after: int = 0, within: float = 5) -> str:
        """Tap 📄 Openen on the newest message that has it and read the page on the region's server, as
        this person: its text, without the markup."""

        def find(msgs: list[Message]) -> Message | None:
            return next((m for m in reversed(msgs) if m["message_id"] > after and OPEN in m["apps"]), None)

        url = str((await self._until(user_id, find, within, "a message with Openen"))["apps"][OPEN])
        init_data = await self.init_data(user_id)
        async with self.http.post(url, data={"init_data": init_data}) as resp:
            page = await resp.text()
            assert resp.status == 200, page
        body = page.split("<main>", 1)[1].split("</main>", 1)[0]
        return html.unescape(re.sub(r"<[^>]+>", "", body)).strip()

    async def details(self, user_id: int, ref: str) -> str:
        """`/signaal REF` in the private chat, then 📄 Openen: the signal's page as this person reads it."""
        mark = await self.last_id(user_id)
        await self.send(user_id, f"/signaal {ref}")
        await self.expect(user_id, f"Signaal {ref} ·", after=mark)
        return await self.read(user_id, after=mark)

    async def init_data(self, user_id: int) -> str:
        """What Telegram's client signs for this person opening a Mini App now (by the bot's clock)."""
        at = int(self.clock.now().timestamp())
        async with self.http.get(f"{self.base}/control/init_data/{user_id}", params={"at": at}) as resp:
            return str((await resp.json())["init_data"])

    async def raw_update(self, body: dict[str, Any]) -> int:
        async with self.http.post(f"{self.base}/control/update", json=body) as resp:
            return int((await resp.json())["update_id"])

    async def messages(self, chat_id: int) -> list[Message]:
        async with self.http.get(f"{self.base}/control/chats/{chat_id}/messages") as resp:
            return list(await resp.json())

    async def bot_messages(self, chat_id: int) -> list[Message]:
        return [m for m in await self.messages(chat_id) if m["from_bot"]]

    async def callback_answer(self, query_id: int | str, within: float = 5) -> dict[str, Any] | None:
        """The answer to a pressed button (by its update id, or a raw callback's id). It is sent just after
        the press's transaction commits, so it may come a moment after the press counts as handled."""
        deadline = time.monotonic() + within
        while True:
            async with self.http.get(f"{self.base}/control/callbacks/{query_id}") as resp:
                if resp.status == 200:
                    return dict(await resp.json())
            if time.monotonic() > deadline:
                return None
            await asyncio.sleep(0.02)

    async def message_with_button(
        self, chat_id: int, button: str, within: float = 5, after: int = 0
    ) -> Message:
        def find(msgs: list[Message]) -> Message | None:
            return next(
                (
                    m
                    for m in reversed(msgs)
                    if m["message_id"] > after and any(button in row for row in m["buttons"])
                ),
                None,
            )

        return await self._until(chat_id, find, within, f"a message with button {button!r}")

    async def last_id(self, chat_id: int) -> int:
        """The newest message id in a chat: pass it as `after` to look only at what comes next."""
        msgs = await self.messages(chat_id)
        return int(msgs[-1]["message_id"]) if msgs else 0

    async def expect(self, chat_id: int, text: str, within: float = 5, after: int = 0) -> Message:
        """Wait for a bot message in the chat, newer than `after`, that contains `text`."""

        def find(msgs: list[Message]) -> Message | None:
            return next(
                (
                    m
                    for m in reversed(msgs)
                    if m["from_bot"] and m["message_id"] > after and text in m["text"]
                ),
                None,
            )

        return await self._until(chat_id, find, within, f"a bot message containing {text!r}")

    async def _until(
        self, chat_id: int, find: Callable[[list[Message]], Message | None], within: float, what: str
    ) -> Message:
        deadline = time.monotonic() + within
        msgs: list[Message] = []
        while time.monotonic() < deadline:
            msgs = await self.messages(chat_id)
            found = find(msgs)
            if found is not None:
                return found
            await asyncio.sleep(0.02)
        shown = "\n".join(f"  [{m['message_id']}] {m['text'][:120]!r} {m['buttons']}" for m in msgs)
        raise AssertionError(f"chat {chat_id}: no {what} within {within}s; chat shows:\n{shown}")


async def intake_to_description(
    phone: Phone, user: int, categories: list[str], ref: str = "REF-1", area: str = "9401"
) -> int:
    """Walk a single-gemeente user up to the description question; return the mark it started from."""
    mark = await phone.last_id(user)  # earlier conversations in this chat do not count
    await phone.send(user, "/signaal")
    await phone.press(
        user, "Nee", message_id=(await phone.message_with_button(user, "Ja", after=mark))["message_id"]
    )
    await phone.expect(user, "Wat heeft u gezien?", after=mark)
    for label in categories:
        await phone.press(user, label)
        # Each tap after the answer to the one before, as a person does.
        await phone.message_with_button(user, "✅ " + label, after=mark)
    await phone.press(user, "Klaar")
    await phone.expect(user, "eigen korte referentie", after=mark)
    await phone.fill(user, ref)
    await phone.expect(user, "welke wijk", after=mark)
    await phone.fill(user, area)
    await phone.expect(user, "Beschrijf kort", after=mark)
    return mark


async def intake_from_care(
    phone: Phone,
    user: int,
    mark: int,
    care: str = "Nee",
    knows: str = "Nee",
    send: bool = True,
    elsewhere: str = "Nee",
    match_key: str = "",
) -> Message:
    """Answer the questions after the description (a match key on the form, or Overslaan); return the
    confirmation, or the receipt when sent."""
    await phone.expect(user, "zorg of hulpverlening", after=mark)
    await phone.press(user, care)
    if care == "Ja":
        await phone.expect(user, "Welke organisaties", after=mark)
        await phone.fill(user, "Wijkteam")
    await phone.expect(user, "Is de bewoner op de hoogte", after=mark)
    await phone.press(user, knows)
    await phone.expect(user, "andere gemeente?", after=mark)
    await phone.press(user, elsewhere)
    samenloop = await phone.expect(user, "Samenloop: kent een andere organisatie", after=mark)
    if match_key:
        await phone.fill(user, match_key)
    else:
        await phone.press(user, "Overslaan", message_id=samenloop["message_id"])
    confirm = await phone.expect(user, "Klopt dit?", after=mark)
    if not send:
        return confirm
    await phone.press(user, "Versturen")
    return await phone.expect(user, "is verstuurd", after=mark)


async def close_signal(phone: Phone, user: int, chat_id: int, message_id: int, outcome: str) -> None:
    """A desk closes a signal: Afsluiten on the summary, then privately the outcome, no note, Versturen."""
    await phone.press(user, "Afsluiten", chat_id=chat_id, message_id=message_id)
    await phone.press(user, outcome, message_id=(await phone.expect(user, "afsluiten:"))["message_id"])
    await phone.press(user, "Overslaan", message_id=(await phone.expect(user, "notitie"))["message_id"])
    await no_bottleneck(phone, user)
    await phone.press(
        user, "Versturen", message_id=(await phone.expect(user, "Tik op Versturen"))["message_id"]
    )


async def no_bottleneck(phone: Phone, user: int) -> None:
    """Closing asks, one tap, whether a system bottleneck was in the way: "Nee"."""
    await phone.press(user, "Nee", message_id=(await phone.expect(user, "systeemknelpunt"))["message_id"])


async def hand_over(phone: Phone, user: int, chat_id: int, message_id: int, to: str) -> None:
    """A desk asks a hand-over: Doorzetten on the summary, then privately the desk, no note, Versturen."""
    await phone.press(user, "Doorzetten", chat_id=chat_id, message_id=message_id)
    await phone.press(user, to, message_id=(await phone.message_with_button(user, to))["message_id"])
    await phone.press(
        user, "Overslaan", message_id=(await phone.expect(user, "iets meegeven?"))["message_id"]
    )
    await phone.press(user, "Versturen", message_id=(await phone.expect(user, "aanvragen?"))["message_id"])


async def file_intake(
    phone: Phone,
    user: int,
    categories: list[str],
    ref: str = "REF-1",
    area: str = "9401",
    description: str = "Wat ik zag.",
    care: str = "Nee",
    knows: str = "Nee",
    send: bool = True,
    elsewhere: str = "Nee",
    match_key: str = "",
) -> Message:
    """Walk a single-gemeente user through the intake, tapping as a person would; return the last screen."""
    mark = await intake_to_description(phone, user, categories, ref, area)
    await phone.fill(user, description)
    return await intake_from_care(phone, user, mark, care, knows, send, elsewhere, match_key)


@dataclass
class Stack:
    """Emulator + database + bot, startable and restartable like a real deployment."""

    database_url: str
    clock: Clock = field(default_factory=SystemClock)
    emulator: Emulator = field(default_factory=lambda: Emulator(TOKEN))
    base: str = ""
    core: Core | None = None
    runtime: Runtime | None = None
    _runner: web.AppRunner | None = None
    _task: asyncio.Task[None] | None = None
    _stop: asyncio.Event | None = None
    http: ClientSession | None = None
    phone: Phone | None = None
    chat_burst: int = 100
    rate_per_second: float = 28.0
    adapter: str = "aiogram"  # or "ptb": python-telegram-bot
    webhook_port: int | None = None  # webhook mode on this loopback port (the emulator delivers there)
    web_port: int | None = None  # the regiobeeld pages on this loopback port
    extra: dict[str, Any] = field(default_factory=dict)  # further settings (metrics=True, …)

    async def start(self, seeded: bool = False) -> None:
        self._runner = web.AppRunner(make_app(self.emulator), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.base = f"http://127.0.0.1:{port}"
        self.http = ClientSession()
        self.phone = Phone(self.http, self.base, self.clock)
        await upgrade_async(self.database_url)
        await self.start_bot()
        assert self.core is not None
        if seeded:
            return
        async with UnitOfWork(self.core.sessions) as uow:
            await seed(uow, self.core.clock, self.core.region)
            await uow.commit()

    def settings(self) -> Settings:
        webhook: dict[str, Any] = {}
        if self.webhook_port is not None:
            webhook = dict(
                mode="webhook",
                webhook_url=f"http://127.0.0.1:{self.webhook_port}/webhook",
                webhook_listen="127.0.0.1",
                webhook_port=self.webhook_port,
                webhook_secret=SecretStr(WEBHOOK_SECRET),
            )
        if self.web_port is None:  # the forms live on the web port: every stack serves it
            self.web_port = free_port()
        if self.web_port is not None:
            webhook |= dict(web_url=f"http://127.0.0.1:{self.web_port}", web_port=self.web_port)
        return Settings(
            telegram_token=SecretStr(TOKEN),
            api_base=self.base,
            database_url=self.database_url,
            secret_key=SecretStr(SECRET),
            data_keys=SecretStr(DATA_KEY),
            # Tests tap faster than a person; the per-chat limit has its own tests in strict mode.
            rate_per_chat_burst=self.chat_burst,
            rate_per_second=self.rate_per_second,
            # Likewise past a sender's budget at the front door (its own test sets the product's).
            **({"sender_burst": 100_000} if "sender_burst" not in self.extra else {}),
            adapter=self.adapter,  # type: ignore[arg-type]
            **webhook,
            **self.extra,
            _env_file=None,  # type: ignore[call-arg]
        )

    async def start_bot(self) -> None:
        self.core = build_core(self.settings(), self.clock)
        self.runtime = build_runtime(self.core, polling_timeout=1)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self.runtime.run(self._stop))
        await asyncio.wait_for(self.runtime.started.wait(), 10)

    async def stop_bot(self) -> None:
        assert self._stop is not None and self._task is not None and self.core is not None
        self._stop.set()
        await asyncio.wait_for(self._task, 15)
        await self.core.close()

    async def restart_bot(self) -> None:
        await self.stop_bot()
        await self.start_bot()

    async def run_due(self) -> int:
        """Run everything due now, a batch at a time, as the scheduler's tick does; how many rows ran."""
        assert self.core is not None and self.runtime is not None
        runner, done = self.core.due_runner(self.runtime.sender.wake), 0
        while batch := await runner.run_once():
            done += batch
        return done

    async def settle(self, within: float = 5) -> None:
        """Wait until every update the emulator queued is handled and the outbox is empty."""
        assert self.core is not None
        deadline = time.monotonic() + within
        expected = self.emulator.next_update_id - 1
        while time.monotonic() < deadline:
            # Taken from "Telegram": confirmed by a later getUpdates' offset, or answered 200 on the webhook
            # (an update refused at the front door is taken too, and never stored).
            untaken = sum(1 for u in self.emulator.updates if u["update_id"] <= expected)
            async with UnitOfWork(self.core.sessions) as uow:
                s = uow.inbox.session
                unfinished = await s.scalar(select(func.count()).where(InboxUpdate.processed_at.is_(None)))
                pending = await s.scalar(select(func.count()).where(OutboxMessage.status == "pending"))
            if not untaken and not unfinished and not pending:
                return
            await asyncio.sleep(0.02)
        raise AssertionError(
            f"not settled: {untaken} updates not taken, {unfinished} not handled, {pending} messages pending"
        )

    async def close(self) -> None:
        if self._task is not None and not self._task.done():
            await self.stop_bot()
        if self.http is not None:
            await self.http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def uow(self) -> UnitOfWork:
        assert self.core is not None
        return UnitOfWork(self.core.sessions)


async def stored_values(stack: Stack) -> str:
    """The whole database, decrypted: every row of every table as its column types read it."""
    from storage.base import Base

    out: list[str] = []
    async with stack.uow() as uow:
        for table in Base.metadata.sorted_tables:
            out += [repr(tuple(row)) for row in await uow.session.execute(select(table))]
    return "\n".join(out)


async def to_reference(phone: Phone, user: int) -> None:
    """A single-gemeente person starts /signaal and reaches the reference question (typed on the form)."""
    await phone.send(user, "/signaal")
    await phone.press(user, "Nee")
    await phone.press(user, "Overlast")
    await phone.press(user, "Klaar")
    await phone.expect(user, "eigen korte referentie")


async def prepared_database(url: str) -> None:
    """A database as the one-shot migration leaves it, with the demo users (for bots run as processes)."""
    install(Cipher([DATA_KEY]))
    await upgrade_async(url)
    engine = make_engine(url)
    try:
        async with UnitOfWork(make_sessionmaker(engine)) as uow:
            await seed(uow, SystemClock(), load_region())
            await uow.commit()
    finally:
        await engine.dispose()


def sqlite_url(tmp: Path) -> str:
    return f"sqlite:///{tmp / 'waakvlam.db'}"


def bot_process(
    database_url: str,
    api_base: str,
    log: Path | None = None,
    argv: list[str] | None = None,
    **env: str,
) -> subprocess.Popen[bytes]:
    """`waakvlam run` as its own process against the emulator, as in production (extra WAAKVLAM_* in env);
    its warnings and errors go to `log` (appended), so a failing test can show them. `argv`: start it
    with this command instead (the image's CMD, say)."""
    full = dict(
        os.environ,
        WAAKVLAM_TELEGRAM_TOKEN=TOKEN,
        WAAKVLAM_API_BASE=api_base,
        WAAKVLAM_DATABASE_URL=database_url,
        WAAKVLAM_SECRET_KEY=SECRET,
        WAAKVLAM_DATA_KEYS=DATA_KEY,
        WAAKVLAM_LOG_LEVEL="WARNING",
    )
    if "web_port" not in env:  # the forms are on the web port: every instance serves its own
        port = str(free_port())
        full.update(WAAKVLAM_WEB_PORT=port, WAAKVLAM_PUBLIC_URL=f"http://127.0.0.1:{port}")
    full.update({f"WAAKVLAM_{k.upper()}": v for k, v in env.items()})
    start = "from bot.app.cli import app; app()"
    # For benchmarks: count each statement's CPU in the bot process (bench/sql_costs.py).
    if "WAAKVLAM_BOT_SQL_COSTS" in os.environ:
        start = "import bench.sql_costs; " + start
    # ... and where its event loop stood still for more than 80 ms (bench/stalls.py).
    if "WAAKVLAM_BOT_STALLS" in os.environ:
        start = "import bench.stalls; " + start
    command = argv or [sys.executable, "-c", start, "run"]
    if "WAAKVLAM_BOT_PROFILE" in os.environ:  # for benchmarks: profile the bot process with pyinstrument
        out = os.environ["WAAKVLAM_BOT_PROFILE"]
        command = [sys.executable, "-m", "pyinstrument", "-r", "text", "-o", out, *command[1:]]
    if log is None and "WAAKVLAM_BOT_LOG" in os.environ:
        log = Path(os.environ["WAAKVLAM_BOT_LOG"])
    return subprocess.Popen(
        command, env=full, stdout=subprocess.DEVNULL, stderr=open(log, "ab") if log else subprocess.DEVNULL
    )


def log_tail(log: Path, lines: int = 30) -> str:
    """The last lines a bot process logged, for an assertion message."""
    if not log.exists():
        return "(no log)"
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) or "(nothing logged)"


async def serve_emulator(emulator: Emulator) -> tuple[web.AppRunner, str]:
    """Serve the emulator on a free loopback port; return its runner and base URL."""
    runner = web.AppRunner(make_app(emulator), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}"


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


async def cli(stack: Stack, *args: str) -> str:
    """Run a `waakvlam` command against the stack's database, as an operator would; its output."""
    from typer.testing import CliRunner

    from bot.app.cli import app

    env = {
        "WAAKVLAM_DATABASE_URL": stack.database_url,
        "WAAKVLAM_DATA_KEYS": DATA_KEY,
        "WAAKVLAM_SECRET_KEY": SECRET,
    }
    result = await asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return str(result.output)


async def quiet(url: str, emulator: Emulator, within: float = 30) -> None:
    """Wait until nothing more can reach "Telegram": no call in flight at the emulator, no outbox row
    pending (every sent row's mark committed: a row marked sent never goes again) and no update unhandled.
    What was sent twice has been sent by then; a test that counts deliveries counts after this."""
    engine = make_engine(url)
    deadline = time.monotonic() + within
    try:
        while True:
            async with UnitOfWork(make_sessionmaker(engine)) as uow:
                s = uow.inbox.session
                unfinished = await s.scalar(select(func.count()).where(InboxUpdate.processed_at.is_(None)))
                pending = await s.scalar(select(func.count()).where(OutboxMessage.status == "pending"))
            if not (unfinished or pending or emulator.in_flight):
                return
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"not quiet: {unfinished} updates, {pending} messages, {emulator.in_flight} calls"
                )
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
