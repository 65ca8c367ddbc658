"""Library log records: a Telegram library's keeps its template and never its arguments (they can quote an
update); a migration's keeps its words, so an operator reads which migration ran."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest
import structlog

from bot.app.logging import configure


@pytest.fixture
def json_logs() -> Iterator[None]:
    configure("INFO", json=True)
    yield
    logging.getLogger().handlers.clear()
    logging.captureWarnings(False)
    structlog.reset_defaults()


def test_a_telegram_librarys_arguments_are_dropped_a_migrations_are_kept(
    json_logs: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logging.getLogger("aiogram.event").warning("Update %s not handled", '{"text": "mevrouw Jansen"}')
    logging.getLogger("telegram.ext").error("batch %r", [{"text": "BSN 111222333"}])
    logging.getLogger("alembic.runtime.migration").info("Running %s", "upgrade 0011 -> 0012")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert [line["event"] for line in lines] == [
        "Update %s not handled",
        "batch %r",
        "Running upgrade 0011 -> 0012",
    ]
