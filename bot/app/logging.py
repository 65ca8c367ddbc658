"""Structured logs (structlog): readable on a terminal, JSON lines in production, all on standard error.

The libraries' own records (aiogram, python-telegram-bot, aiohttp, Alembic) go through the same renderer,
so with `log_json` every line is one JSON object. What is logged is ours to choose: update ids, chat kinds
(private or group, never the chat's id), outcomes and counts; never a message's text or a person's name."""

from __future__ import annotations

import logging
import re
import sys

import structlog

SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.processors.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", key="time"),
]


# Libraries whose records never carry what a person typed (migrations, the scheduler): kept whole.
KEPT_WHOLE = ("alembic", "apscheduler")


class _LibraryRecord(logging.Filter):
    """A library's record keeps its template, not its arguments, and of an exception only its kind: both
    can quote an update (aiogram's validation errors, python-telegram-bot's batches). Python's warnings come
    here too (`captureWarnings`), with the warning's category."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.split(".")[0] in KEPT_WHOLE:
            return True
        if record.name == "py.warnings":
            category = re.search(r"\b(\w*Warning)\b", record.getMessage())
            record.msg = f"python warning: {category.group(1) if category else 'unknown'}"
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.msg} ({record.exc_info[0].__name__})"
        record.msg, record.args, record.exc_info, record.exc_text = str(record.msg), (), None, None
        record.stack_info = None
        return True


class _Stderr:
    """Standard error as it is when a line is written (a test's captured stream may be swapped after)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure(level: str = "INFO", json: bool = False) -> None:
    """Set up logging once, at the entry point."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    handler = logging.StreamHandler(_Stderr())
    handler.addFilter(_LibraryRecord())
    logging.captureWarnings(True)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[*SHARED, structlog.stdlib.add_logger_name],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # python-telegram-bot's client logs every call
    logging.getLogger("apscheduler").setLevel(logging.WARNING)  # a line per job run, every 30 s
    structlog.configure(
        processors=[*SHARED, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(_Stderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )
