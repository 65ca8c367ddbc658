"""SQLite's WAL checkpoints on a thread of their own, not on the event loop's.

SQLite copies the write-ahead log back into the database file every 1,000 pages, inside whichever commit
crosses that mark, and a checkpoint ends with an fsync of the database file. On the bot's connection
that commit runs on the event loop's thread (storage/sqlite_inline.py): every update waits behind it,
~7 ms on a quiet disk and far longer on a busy one (a cause of answers that took a second or two on
SQLite, issue 40). The bot's connection therefore leaves checkpoints alone (`wal_autocheckpoint=0`,
storage/db.py) and this thread, with its own connection, runs a PASSIVE checkpoint every second: it never
waits for the writer, and sqlite3 lets go of the GIL while SQLite works. When the process ends, the last
connection to close checkpoints what is left, as SQLite always does."""

from __future__ import annotations

import sqlite3
import threading
from urllib.parse import quote

import structlog

log = structlog.get_logger()


class Checkpointer:
    def __init__(self, path: str, every: float = 1.0) -> None:
        self.path, self.every = path, every
        self._stop = threading.Event()
        self.copied = threading.Event()  # set after each round that copied every frame back
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start checkpointing in the background (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            self._thread.start()

    @property
    def running(self) -> bool:
        """Started and not stopped."""
        return self._thread is not None

    def stop(self) -> None:
        """Stop, after the round in progress."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def once(self, conn: sqlite3.Connection) -> tuple[int, int, int]:
        """One PASSIVE checkpoint: (busy, frames in the log, frames copied back)."""
        busy, logged, copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(busy), int(logged), int(copied)

    def _run(self) -> None:
        conn: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(self.every):
                try:
                    # Only a database that exists (mode=rw): a process pointed at a wrong path creates nothing.
                    uri = f"file:{quote(self.path)}?mode=rw"
                    conn = conn or sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
                    busy, logged, copied = self.once(conn)
                    if not busy and copied == logged:
                        self.copied.set()
                except sqlite3.Error as exc:  # missing or locked: the next round tries again
                    log.info("sqlite_checkpoint_skipped", error=str(exc))
        finally:
            if conn is not None:
                conn.close()
