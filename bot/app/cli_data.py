"""Command-line tools for the data: users, audit, retention, and one resident's data (AVG requests)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bot.app.cli_support import (
    DataDir,
    load_settings,
    must_be_migrated,
    plainly,
    sqlite_file_must_exist,
    write_private,
)
from bot.app.settings import Settings
from bot.domain.clock import SystemClock
from storage.crypto import Cipher, install
from storage.db import make_engine, make_sessionmaker
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from bot.app.core import Core

T = TypeVar("T")
users_app = typer.Typer(help="Registered professionals.")


def with_data(work: Callable[[UnitOfWork, Settings], Awaitable[T]], data_dir: Path | None = None) -> T:
    """Open the (existing, migrated) database with the data keys, run `work` in one unit of work and commit
    it; anything that goes wrong is said in one line (bot.app.cli_support)."""
    with plainly():
        settings = load_settings(data_dir)
    with plainly(settings.database_url):
        install(Cipher(settings.data_key_list()))
        sqlite_file_must_exist(settings.database_url)

        async def main() -> T:
            engine = make_engine(settings.database_url)
            try:
                await must_be_migrated(engine, settings.database_url)
                async with UnitOfWork(make_sessionmaker(engine)) as uow:
                    result = await work(uow, settings)
                    await uow.commit()
                    return result
            finally:
                await engine.dispose()

        return asyncio.run(main())


@asynccontextmanager
async def _core(settings: Settings) -> AsyncIterator[Core]:
    """The services, for a command that acts as the bot does (messages go to the outbox, sent by the bot)."""
    from bot.app.core import build_core

    core = build_core(settings)
    try:
        yield core
    finally:
        await core.close()


def _day(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    except ValueError as exc:
        typer.echo(f"waakvlam: {text!r} is not a day: write it as YYYY-MM-DD", err=True)
        raise typer.Exit(2) from exc


@users_app.command("list")
def users_list(data_dir: DataDir = None) -> None:
    """List everyone registered, with role, organisation, gemeenten and desk."""

    async def work(uow: UnitOfWork, _: Settings) -> list[str]:
        return [
            f"{u.telegram_id}\t{u.display_name}\t{u.role}\t{u.org}\t{','.join(u.gemeenten)}\t"
            f"{u.meldpunt_id or '-'}\t{'active' if u.active else 'deactivated'}"
            for u in await uow.users.all()
        ]

    for line in with_data(work, data_dir):
        typer.echo(line)


@users_app.command("deactivate")
def users_deactivate(
    telegram_id: Annotated[int, typer.Argument(help="The person's Telegram id")], data_dir: DataDir = None
) -> None:
    """Switch a professional off at once: their next message is refused."""
    from bot.accounts.audit import record

    async def work(uow: UnitOfWork, settings: Settings) -> str | None:
        user = await uow.users.by_telegram_id(telegram_id)
        if user is None:
            return None
        user.active = False
        await record(uow, SystemClock(), "user_deactivated", subject=f"user:{user.id}", by="cli")
        # Their waakvlam agreements go to the coordinators for re-assignment, never silently dropped.
        async with _core(settings) as core:
            await core.waakvlam.setup.owner_left(uow, user)
        return user.display_name

    name = with_data(work, data_dir)
    if name is None:
        typer.echo(f"waakvlam: nobody with Telegram id {telegram_id}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{name} is deactivated")


def audit(
    user: Annotated[int | None, typer.Option(help="Telegram id of the actor")] = None,
    signal: Annotated[str | None, typer.Option(help="Signal reference, e.g. S-7K3Q9P")] = None,
    since: Annotated[str | None, typer.Option(help="From this day (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option(help="Before this day (YYYY-MM-DD)")] = None,
    data_dir: DataDir = None,
) -> None:
    """Show the audit log: who did what, when."""

    async def work(uow: UnitOfWork, _: Settings) -> list[str]:
        entries = await uow.audit.query(user, signal.upper() if signal else None, _day(since), _day(until))
        return [
            f"{e.at.isoformat(timespec='seconds')}\t{e.action}\t{e.actor_telegram_id or '-'}\t{e.subject or '-'}\t"
            f"{json.dumps(e.detail, ensure_ascii=False)}"
            for e in entries
        ]

    for line in with_data(work, data_dir):
        typer.echo(line)


def purge(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only count what would go")] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete what is past its retention period (the anonymous counts stay)."""
    from bot.accounts.retention import purge as run_purge

    async def work(uow: UnitOfWork, settings: Settings) -> str:
        async with _core(settings) as core:
            return str(
                await run_purge(uow, SystemClock(), settings.retention_policy(), core.take_down, dry_run)
            )

    result = with_data(work, data_dir)
    typer.echo(("would purge: " if dry_run else "purged: ") + result)


def export_person(
    ref: Annotated[str, typer.Argument(help="The resident reference used when filing")],
    out: Annotated[Path | None, typer.Option(help="Write JSON here instead of to the screen")] = None,
    data_dir: DataDir = None,
) -> None:
    """Export everything stored about one resident reference (an AVG request)."""
    from bot.accounts.persons import export_person as run_export
    from bot.app.core import index_key

    async def work(uow: UnitOfWork, settings: Settings) -> str:
        data = await run_export(uow, SystemClock(), index_key(settings), ref, actor="cli")
        return json.dumps(data, ensure_ascii=False, indent=2)

    text = with_data(work, data_dir)
    if out is None:
        typer.echo(text)
    else:
        write_private(out, text)
        typer.echo(f"written to {out}")


def erase_person(
    ref: Annotated[str, typer.Argument(help="The resident reference used when filing")],
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: this cannot be undone")] = False,
    data_dir: DataDir = None,
) -> None:
    """Erase every signal and waakvlam agreement stored under one resident reference (audited)."""
    from bot.accounts.persons import erase_person as run_erase
    from bot.app.core import index_key

    if not yes:
        typer.echo("waakvlam: erasing cannot be undone; add --yes to confirm", err=True)
        raise typer.Exit(2)

    async def work(uow: UnitOfWork, settings: Settings) -> tuple[int, int]:
        async with _core(settings) as core:
            return await run_erase(uow, SystemClock(), index_key(settings), ref, "cli", core.take_down)

    signals, agreements = with_data(work, data_dir)
    typer.echo(f"erased {signals} signals and {agreements} waakvlam agreements")
