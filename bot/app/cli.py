"""The `waakvlam` command: sandbox, run, migrate, invite, region check."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from bot.app import cli_data
from bot.app.cli_support import (
    DEBUG,
    DataDir,
    load_settings,
    must_be_migrated,
    plainly,
    private_database,
    private_folder,
    sqlite_file_must_exist,
)
from bot.app.logging import configure
from bot.app.settings import Settings
from bot.domain.region import Region, RegionError, load_region

app = typer.Typer(help="Waakvlam: early signals routed to the right meldpunt.", no_args_is_help=True)
region_app = typer.Typer(help="Region files: meldpunten and routing rules.")
app.add_typer(region_app, name="region")
app.add_typer(cli_data.users_app, name="user")
app.command("audit")(cli_data.audit)
app.command("purge")(cli_data.purge)
app.command("export-person")(cli_data.export_person)
app.command("erase-person")(cli_data.erase_person)
INVITE_HOURS = (1, 720)


@app.callback()
def main(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback when something goes wrong")
    ] = False,
) -> None:
    """Waakvlam: early signals routed to the right meldpunt."""
    DEBUG["on"] = debug


@app.command()
def sandbox(
    data_dir: Annotated[Path, typer.Option(help="Folder for the SQLite file and the local key")] = Path(
        "sandbox-data"
    ),
    port: Annotated[int, typer.Option(help="Port of the chat page and the Bot API emulator")] = 8080,
) -> None:
    """Run locally with the Bot API emulator and a chat page; no Telegram token needed."""
    from bot.sandbox.run import prepare, run_sandbox

    with plainly():
        private_folder(data_dir)
        settings = prepare(load_settings(), data_dir, port)
    configure(settings.log_level, settings.log_json)
    _check_region(settings)
    asyncio.run(run_sandbox(settings, data_dir, port))


@app.command()
def run() -> None:
    """Run for real: Telegram token, database and mode from WAAKVLAM_* settings."""
    from bot.app.core import build_core
    from bot.app.runtimes import build_runtime, ready
    from storage.migrate import upgrade_async

    with plainly():
        settings = load_settings()
    configure(settings.log_level, settings.log_json)
    try:
        settings.require_production_secrets()
    except ValueError as exc:
        typer.echo(f"waakvlam: {exc}", err=True)
        raise typer.Exit(2) from exc
    _check_region(settings)

    async def main() -> None:
        import signal

        await upgrade_async(settings.database_url)
        core = build_core(settings)
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        runtime = build_runtime(core)
        ready(core)
        try:
            await runtime.run(stop)
        finally:
            await core.close()

    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        runner.run(main())


def _loop_factory() -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop where it is installed (Linux, macOS): the event loop and aiohttp's I/O cost less CPU per
    update (bench.throughput); the standard loop elsewhere."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


@app.command("check-config")
def check_config(data_dir: DataDir = None) -> None:
    """Say what is missing or weak in the settings, and whether the data keys open the stored data."""
    from pydantic import ValidationError

    from bot.app.check_config import of_database, of_settings, of_validation

    try:
        settings = load_settings(data_dir, plain=False)
    except ValidationError as exc:
        found = of_validation(exc)
    else:
        found = of_settings(settings)
        found += asyncio.run(of_database(settings))
    for finding in found:
        typer.echo(f"{'problem' if finding.problem else 'warning'}: {finding.text}", err=finding.problem)
    problems = sum(f.problem for f in found)
    if problems:
        typer.echo(f"waakvlam: {problems} problem(s): not ready to run", err=True)
        raise typer.Exit(1)
    typer.echo("settings are ready to run" + (f" ({len(found)} warning(s))" if found else ""))


@app.command("new-key")
def new_key_command() -> None:
    """Print a new data key (Fernet-format, 32 random bytes) for WAAKVLAM_DATA_KEYS."""
    from storage.crypto import new_key

    typer.echo(new_key())


@app.command("rotate-keys")
def rotate_keys(data_dir: DataDir = None) -> None:
    """Re-encrypt all stored data with the first key in WAAKVLAM_DATA_KEYS (keep the old ones after it)."""
    from bot.accounts.audit import record
    from bot.accounts.keys import rotate
    from bot.domain.clock import SystemClock
    from storage.crypto import Cipher, install
    from storage.db import make_engine, make_sessionmaker
    from storage.uow import UnitOfWork

    with plainly():
        settings = load_settings(data_dir)
    with plainly(settings.database_url):
        cipher = Cipher(settings.data_key_list())
        install(cipher)
        sqlite_file_must_exist(settings.database_url)

    async def main() -> int:
        engine = make_engine(settings.database_url)
        sessions = make_sessionmaker(engine)
        try:
            await must_be_migrated(engine, settings.database_url)
            count = await rotate(sessions, cipher)
            async with UnitOfWork(sessions) as uow:
                await record(uow, SystemClock(), "keys_rotated", values=count)
                await uow.commit()
            return count
        finally:
            await engine.dispose()

    with plainly(settings.database_url):
        count = asyncio.run(main())
    typer.echo(f"re-encrypted {count} values with the first key; the other keys can now be removed")


@app.command()
def migrate(data_dir: DataDir = None) -> None:
    """Bring the database to the newest schema (made when there is none yet)."""
    from storage.migrate import upgrade

    with plainly():
        settings = load_settings(data_dir)
    with plainly(settings.database_url):
        private_database(settings.database_url)
        upgrade(settings.database_url)
        private_database(settings.database_url)  # the journal files SQLite made meanwhile
    typer.echo("database is up to date")


@app.command()
def invite(
    role: Annotated[
        str, typer.Option(help="veldwerker, meldpunt, coordinator, manager, bestuurder or admin")
    ],
    org: Annotated[str, typer.Option(help="Organisation, e.g. 'Politie Drenthe'")],
    gemeente: Annotated[list[str], typer.Option(help="Gemeente name or id; repeat for several")],
    meldpunt: Annotated[str | None, typer.Option(help="Desk id, for desk staff")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Kind of organisation for the regiobeeld: politie, woningcorporatie, welzijn, huisarts, "
            "ggz, zorg, gemeente, meldpunt or anders (default: guessed from --org)"
        ),
    ] = None,
    hours: Annotated[
        int | None,
        typer.Option(help="Hours the code stays valid (1 to 720)", min=INVITE_HOURS[0], max=INVITE_HOURS[1]),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Create a single-use invite code for one professional."""
    from bot.accounts.invites import InviteSpec, check_spec, create_invite
    from bot.domain.clock import Clock, SystemClock
    from bot.sandbox.clock import OFFSET_FILE, ShiftedClock
    from storage.db import make_engine, make_sessionmaker
    from storage.uow import UnitOfWork

    with plainly():
        settings = load_settings(data_dir)
    region = _check_region(settings)
    # In a sandbox's folder, its own time: a code made there is valid from the sandbox's "now".
    clock: Clock = (
        ShiftedClock.load(data_dir / OFFSET_FILE, region.hours()) if data_dir is not None else SystemClock()
    )
    by_name = {g.name.lower(): g.id for g in region.gemeenten.values()}
    ids = tuple(by_name.get(g.lower(), g.lower()) for g in gemeente)
    spec = InviteSpec(role, org, ids, meldpunt, kind or "")
    try:
        check_spec(region, spec)
    except ValueError as exc:
        typer.echo(f"waakvlam: {exc}", err=True)
        raise typer.Exit(2) from exc

    async def main() -> str:
        engine = make_engine(settings.database_url)
        try:
            await must_be_migrated(engine, settings.database_url)
            async with UnitOfWork(make_sessionmaker(engine)) as uow:
                code = await create_invite(uow, clock, spec, hours or settings.invite_hours)
                await uow.commit()
            return code
        finally:
            await engine.dispose()

    with plainly(settings.database_url):
        sqlite_file_must_exist(settings.database_url)
        code = asyncio.run(main())
    typer.echo(f"Invite code: {code}  (counted in the regiobeeld as: {spec.kind})")
    typer.echo(f"The invitee sends: /start {code}")
    if settings.bot_username:
        typer.echo(f"Or opens: https://t.me/{settings.bot_username}?start={code}")


def _check_region(settings: Settings) -> Region:
    """Load the region file or stop with its file, line and problem (no traceback)."""
    try:
        return load_region(settings.region_file)
    except RegionError as exc:
        typer.echo(f"waakvlam: region file: {exc}", err=True)
        raise typer.Exit(2) from exc


@region_app.command("check")
def region_check(
    file: Annotated[Path | None, typer.Argument(help="Region file (default: the configured one)")] = None,
) -> None:
    """Validate a region file and list its desks and rules."""
    with plainly():
        configured = load_settings().region_file
    try:
        region = load_region(file or configured)
    except RegionError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"{region.info.name}: {len(region.gemeenten)} gemeenten, {len(region.meldpunten)} meldpunten, {len(region.rules)} rules — OK"
    )


if __name__ == "__main__":
    app()
