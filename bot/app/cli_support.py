"""What every command of the `waakvlam` tool shares: its settings (from the environment, or a sandbox's data
folder with --data-dir), a database that must exist and be migrated, and one plain line instead of a
traceback when something is wrong (the traceback stays behind --debug)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from pydantic import SecretStr, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app.settings import Settings
from storage.crypto import DataKeyError
from storage.db import sqlite_file

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="A sandbox's data folder: use its database and keys (as `waakvlam sandbox --data-dir` does)",
    ),
]
DEBUG = {"on": False}
SANDBOX_FILES = ("waakvlam.db", "secret.key", "data.key")


class Refused(Exception):
    """A command cannot go on: the message says why and what to do."""


def load_settings(data_dir: Path | None = None, plain: bool = True) -> Settings:
    """The settings from the environment; with a sandbox's data folder, its database and keys. Settings
    that cannot be read stop with one plain line (`plain`), or raise pydantic's error."""
    try:
        # Docker's and Kubernetes' secrets: one file per setting (waakvlam_telegram_token, …) in this folder.
        settings = Settings(_secrets_dir=os.environ.get("WAAKVLAM_SECRETS_DIR") or None)  # type: ignore[call-arg]
    except ValidationError as exc:
        if not plain:
            raise
        raise Refused(_settings_problem(exc)) from exc
    if data_dir is None:
        return settings
    missing = [name for name in SANDBOX_FILES if not (data_dir / name).is_file()]
    if missing:
        raise Refused(
            f"{data_dir} is not a sandbox's data folder (no {', '.join(missing)}); "
            "start one with `waakvlam sandbox --data-dir DIR`"
        )
    return settings.model_copy(
        update={
            "database_url": f"sqlite:///{(data_dir / 'waakvlam.db').resolve()}",
            "secret_key": SecretStr((data_dir / "secret.key").read_text().strip()),
            "data_keys": SecretStr((data_dir / "data.key").read_text().strip()),
        }
    )


def where(url: str) -> str:
    """The database as a person reads it: the file, or host and name (never the password)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database or "").resolve())
    return parsed.render_as_string(hide_password=True)


def sqlite_file_must_exist(url: str) -> None:
    """Opening SQLite makes an empty file where none was: refuse before that happens."""
    file = sqlite_file(url)
    if file is not None:
        path = Path(file)
        if not path.exists():
            raise Refused(
                f"there is no database at {path.resolve()}: run `waakvlam migrate` to make one, "
                "or give a running sandbox's folder with --data-dir"
            )


async def must_be_migrated(engine: AsyncEngine, url: str) -> None:
    """Stop with a plain answer on a database that was never migrated."""
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    if "alembic_version" not in tables or "audit_log" not in tables:
        raise Refused(f"the database at {where(url)} has no tables: run `waakvlam migrate`")


@contextmanager
def plainly(url: str | None = None) -> Iterator[None]:
    """Turn what goes wrong into one line and exit status 2 (with --debug, the traceback instead)."""
    try:
        yield
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except Exception as exc:
        if DEBUG["on"]:
            raise
        typer.echo(f"waakvlam: {explain(exc, url)}", err=True)
        raise typer.Exit(2) from exc


def explain(exc: BaseException, url: str | None) -> str:
    """One line: what went wrong and what to do."""
    place = where(url) if url else "the database"
    if isinstance(exc, Refused):
        return str(exc)
    if isinstance(exc, ValidationError):
        return _settings_problem(exc)
    if isinstance(exc, DataKeyError):
        return f"{exc}; or give a sandbox's data folder with --data-dir"
    text = str(getattr(exc, "orig", exc))
    if isinstance(exc, (OperationalError, ProgrammingError)) and (
        "no such table" in text or ("does not exist" in text and "relation" in text)
    ):
        return f"the database at {place} has no tables: run `waakvlam migrate`"
    if isinstance(exc, (DBAPIError, OSError)):
        return f"cannot use the database at {place}: {text.splitlines()[0] if text else type(exc).__name__}"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'unexpected'} (run with --debug for details)"


def _settings_problem(exc: ValidationError) -> str:
    return f"setting {describe(exc.errors()[0])}"


def describe(error: ErrorDetails) -> str:
    """One setting pydantic could not read, in a line: its variable and what is wrong."""
    field = "_".join(str(p) for p in error.get("loc", ()) if p)
    name = f"WAAKVLAM_{field.upper()}: " if field else ""
    return f"{name}{error.get('msg', 'invalid')}".replace("Value error, ", "")


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner reads: a new file made 0600 beside it, then renamed over it, so an
    existing file (another user's, readable by others) never holds the text, not even for a moment."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:  # mkstemp makes it 0600
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def private_database(url: str) -> None:
    """A SQLite database named by its URL as a data folder has it: the file 0600, a folder made for it
    0700, and its journal files 0600 (a server database is the server's business)."""
    file = sqlite_file(url)
    if file is None:
        return
    database = Path(file)
    if not database.parent.exists():
        database.parent.mkdir(parents=True, mode=0o700)
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    for path in (database, *(database.with_name(database.name + s) for s in ("-wal", "-shm", "-journal"))):
        if path.exists():
            path.chmod(0o600)


def private_folder(data_dir: Path) -> None:
    """A data folder only its owner reads: the folder 0700, every file in it 0600 (the database's journal
    files take the database's own mode)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)
    database = data_dir / "waakvlam.db"
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))
    for path in data_dir.iterdir():
        if path.is_file():
            path.chmod(0o600)
