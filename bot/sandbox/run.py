"""`waakvlam sandbox`: SQLite in a data folder, the emulator and the chat page on one port, the bot polling."""

from __future__ import annotations

import asyncio
import secrets
import signal
from collections.abc import Callable
from pathlib import Path

import structlog
from aiohttp import web
from pydantic import SecretStr

from bot.accounts.invites import InviteSpec, create_invite
from bot.app.core import Core, build_core
from bot.app.runtimes import build_runtime, ready
from bot.app.scheduler import plan_digests
from bot.app.settings import Settings
from bot.domain.region import load_region
from bot.sandbox.clock import OFFSET_FILE, STEPS, ShiftedClock, days_passed
from bot.sandbox.demo_counts import seed_counts
from bot.sandbox.emulator import Emulator, make_app
from bot.sandbox.seed import PERSONAS, seed
from storage.crypto import new_key
from storage.migrate import upgrade_async
from storage.uow import UnitOfWork

log = structlog.get_logger(__name__)
SANDBOX_TOKEN = "123456789:sandbox-token-not-for-telegram"  # noqa: S105 - the emulator only
PAGE = Path(__file__).parent / "page.html"


def local_key(data_dir: Path, name: str, make: Callable[[], str]) -> str:
    """Read one of the sandbox's keys, making it on first start (readable by the owner only)."""
    key_file = data_dir / name
    if not key_file.exists():
        key_file.write_text(make())
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def sandbox_settings(base: Settings, data_dir: Path, port: int, real: bool) -> Settings:
    """The sandbox's settings: its own database, keys and web port under `data_dir`."""
    overrides: dict[str, object] = {
        "database_url": f"sqlite:///{(data_dir / 'waakvlam.db').resolve()}",
        "secret_key": SecretStr(local_key(data_dir, "secret.key", lambda: secrets.token_hex(32))),
        "data_keys": SecretStr(local_key(data_dir, "data.key", new_key)),
        "mode": "polling",
        # The regiobeeld page on the chat page's host; its links point there.
        "web_url": f"http://127.0.0.1:{port}",
        "web_port": None,
    }
    if not real:
        overrides |= {"api_base": f"http://127.0.0.1:{port}", "telegram_token": SecretStr(SANDBOX_TOKEN)}
    return base.model_copy(update=overrides)


def page_app(
    emulator: Emulator,
    desks: dict[str, int],
    core: Core | None = None,
    clock: ShiftedClock | None = None,
    wake: Callable[[], None] = lambda: None,
) -> web.Application:
    """The emulator plus the chat page, the list of personas it offers and the sandbox's clock."""
    app = make_app(emulator)

    async def page(_: web.Request) -> web.FileResponse:
        return web.FileResponse(PAGE)

    async def personas(_: web.Request) -> web.Response:
        people = [
            {
                "id": p.telegram_id,
                "name": p.name,
                "role": p.role,
                "desk": p.meldpunt_id,
                "desk_chat": desks.get(p.meldpunt_id or ""),
            }
            for p in PERSONAS
        ]
        return web.json_response(people)

    app.router.add_get("/", page)
    app.router.add_get("/sandbox/personas", personas)
    if core is not None and clock is not None:
        add_clock_routes(app, emulator, core, clock)
        core.regiobeeld.add_routes(app)
        core.forms.add_routes(app, wake)  # the Mini App forms and reading pages, as on the region's server
    return app


def add_clock_routes(app: web.Application, emulator: Emulator, core: Core, clock: ShiftedClock) -> None:
    """GET /sandbox/clock says the sandbox's time; POST moves it on a step and runs what fell due."""

    def shown() -> web.Response:
        now = clock.now()
        return web.json_response(
            {
                "now": core.tr.when("nl", now),
                "shifted": clock.offset.total_seconds() > 0,
                "iso": now.isoformat(),
            }
        )

    async def read(_: web.Request) -> web.Response:
        return shown()

    async def move(request: web.Request) -> web.Response:
        body = await request.json()
        step = str(body.get("step", "")) if isinstance(body, dict) else ""
        if step not in STEPS:
            return web.json_response({"error": f"step is one of {', '.join(STEPS)}"}, status=400)
        before = clock.now()
        clock.jump(step)
        emulator.offset = clock.offset.total_seconds()  # the chats' messages grow older with it
        # What fell due meanwhile runs now, with the desks' digests and the Monday messages of every day
        # the jump passed (the scheduler's morning job never ran on those days).
        await plan_digests(
            core.periodic(), core.due_runner(), days_passed(before, clock.now(), clock.hours.zone)
        )
        log.info("sandbox_clock", step=step, now=clock.now().isoformat())
        return shown()

    app.router.add_get("/sandbox/clock", read)
    app.router.add_post("/sandbox/clock", move)


def prepare(base: Settings, data_dir: Path, port: int) -> Settings:
    """Make the data folder and its key; return the settings the sandbox runs with."""
    data_dir.mkdir(parents=True, exist_ok=True)
    return sandbox_settings(base, data_dir, port, real=base.telegram_token is not None)


async def run_sandbox(settings: Settings, data_dir: Path, port: int, host: str = "127.0.0.1") -> None:
    """Start everything and serve until interrupted (Ctrl-C or SIGTERM)."""
    real = settings.api_base is None
    await upgrade_async(settings.database_url)
    region = load_region(settings.region_file)
    clock = ShiftedClock.load(data_dir / OFFSET_FILE, region.hours())
    core = build_core(settings, clock)
    emulator = Emulator(SANDBOX_TOKEN)
    async with UnitOfWork(core.sessions) as uow:
        added = await seed(uow, core.clock, core.region)
        await seed_counts(uow, core.region, core.clock.now())  # a made-up year for the regiobeeld
        invite = await create_invite(uow, core.clock, InviteSpec("veldwerker", "Sandbox", ("assen",)), 72)
        # The chats start empty again, but the data folder kept what the bot saw: number on from there.
        emulator.continue_after(await uow.inbox.last_update_id(), await uow.outbox.last_message_id())
        await uow.commit()
    runner: web.AppRunner | None = None
    runtime = build_runtime(core, polling_timeout=10 if real else 2)
    if not real:
        desks = {m.id: m.chat_id for m in core.region.meldpunten.values()}
        emulator.offset = clock.offset.total_seconds()
        runner = web.AppRunner(page_app(emulator, desks, core, clock, runtime.sender.wake), access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    _banner(data_dir, port, real, added, invite, {m.id: m.chat_id for m in core.region.meldpunten.values()})
    ready(core)
    try:
        await runtime.run(stop)
    finally:
        if runner is not None:
            await runner.cleanup()
        await core.close()


def _banner(data_dir: Path, port: int, real: bool, added: int, invite: str, desks: dict[str, int]) -> None:
    lines = [
        "Waakvlam sandbox",
        f"  data:      {data_dir.resolve()} (SQLite, signing key, data key; {added} demo users added)",
    ]
    if real:
        lines.append("  telegram:  REAL Telegram (WAAKVLAM_TELEGRAM_TOKEN is set)")
    else:
        lines += [
            f"  chat page: http://127.0.0.1:{port}/",
            f"  emulator:  http://127.0.0.1:{port}/  (Bot API at /bot<token>/<method>, control API at /control/*)",
            "  users (telegram id = private chat id):",
            *[
                f"    {p.telegram_id}  {p.name}"
                + (f"  member of {p.meldpunt_id} (desk chat {desks[p.meldpunt_id]})" if p.meldpunt_id else "")
                for p in PERSONAS
            ],
        ]
    lines.append(f"  invite:    /start {invite}  (veldwerker, Assen, valid 72 h)")
    if not real:
        lines.append(
            f"  regiobeeld: as Carla (3001) send /regiobeeld on the chat page and open the link "
            f"(http://127.0.0.1:{port}/regiobeeld)"
        )
        lines.append(
            "  forms:     text about a resident is typed on the bot's own form: tap ✏️ Invullen at a question "
            "(it opens over the chat, as a Telegram Mini App); 📄 Openen shows a signal's text"
        )
        lines.append(
            "  regie:     as Gerda in the GGD chat tap 🧭 Regie under a signal; Sanne (2004) accepts; /regie "
            "opens the card (plan, ⬆ Opschalen to Mirjam 4001 … Bert 4002; +1 werkdag lets it climb)"
        )
    lines.append("  stop with Ctrl-C")
    print("\n".join(lines), flush=True)
