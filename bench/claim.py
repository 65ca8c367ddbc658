"""The outbox claim with a busy desk group: its sent history, and a backlog waiting behind a row held
back by the group's 20-a-minute limit. Every claim checks each due row for an earlier row of its chat
still to go; before migration 0005 that check walked the chat's whole history. `due` shapes: the same
backlog with nothing held back (the group's schedule passed), so the claim takes 200 of it in order; before
migration 0018 SQLite read and checked every due row first, each against all rows before it.

    python -m bench.claim [--database sqlite postgres] [--runs 5]"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.common import database, report
from bot.domain.clock import SystemClock
from storage.crypto import Cipher, install
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.models import OutboxMessage
from storage.uow import UnitOfWork
from tests.e2e.harness import DATA_KEY

GROUP = -1001001
# (sent, still to go, whether the first row still to go is held back)
SHAPES = [
    (0, 500, True),
    (2_000, 500, True),
    (10_000, 500, True),
    (10_000, 2_000, True),
    (10_000, 2_000, False),
]


def rows(sent: int, pending: int, held: bool) -> list[dict[str, object]]:
    now = SystemClock().now()
    base = dict(chat_id=GROUP, kind="send", payload={"text": "x", "buttons": []}, attempts=0, created_at=now)
    done = [base | dict(status="sent", not_before=now) for _ in range(sent)]
    # The first row still to go waits for the group's limit; the rest queue behind it.
    later = [
        base | dict(status="pending", not_before=now + timedelta(seconds=60 if i == 0 and held else 0))
        for i in range(pending)
    ]
    return done + later


async def one(kind: str, sent: int, pending: int, held: bool) -> float:
    """Milliseconds for one claim (the second of two: warm caches) on a fresh database of this shape."""
    with tempfile.TemporaryDirectory() as tmp, database(kind, Path(tmp)) as url:
        await upgrade_async(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        async with UnitOfWork(sessions) as uow:
            await uow.session.execute(insert(OutboxMessage), rows(sent, pending, held))
            await uow.commit()
        took = 0.0
        for _ in range(2):
            start = time.perf_counter()
            async with UnitOfWork(sessions) as uow:
                claimed = await uow.outbox.claim(SystemClock().now(), timedelta(seconds=60), 200)
                await uow.rollback()  # the same rows again for the second claim
            took = (time.perf_counter() - start) * 1000
            # Held: every row waits behind the held-back one; due: the first 200.
            assert len(claimed) == (0 if held else 200), len(claimed)
        await engine.dispose()
        return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    install(Cipher([DATA_KEY]))
    for kind in args.database:
        results = [
            {
                f"sent{s}_pending{p}{'' if held else '_due'}_ms": asyncio.run(one(kind, s, p, held))
                for s, p, held in SHAPES
            }
            for _ in range(args.runs)
        ]
        report(f"claim db={kind}", results)


if __name__ == "__main__":
    main()
