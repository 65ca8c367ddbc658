"""Desk queries at scale on PostgreSQL (or SQLite): 1,000,000 signals over 12 gemeenten and 5 years.

    python -m bench.queries [--signals 1000000] [--runs 5] [--db postgres|sqlite]

Times `/open` for a busy desk, the daily digest's counts, the regional counts (gemeente × category ×
month) and the whole region's regiobeeld page (its figures and its rendering), and prints each query plan
so the indexes used are on record."""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.common import report
from bot.domain.clock import SystemClock
from bot.domain.region import Region, load_region
from bot.regiobeeld.access import Links, Sessions
from bot.regiobeeld.figures import Filters, Scope, figures
from bot.regiobeeld.web import RegiobeeldWeb
from bot.sandbox.seed import seed
from bot.views.i18n import Translator, load_catalogs
from flows.intake import CATEGORY_VALUES
from storage.crypto import Cipher, install
from storage.db import make_engine, make_sessionmaker
from storage.migrate import upgrade_async
from storage.models import Signal, SignalRoute, Tally, User
from storage.uow import UnitOfWork
from tests import pg
from tests.e2e.harness import DATA_KEY

CHUNK = 20_000
START = datetime(2021, 11, 1, tzinfo=UTC)


async def fill(url: str, count: int) -> None:
    """Signals over five years; nearly all closed, a few hundred open per desk, as in a real region."""
    region = load_region()
    gemeenten = list(region.gemeenten)
    cats = sorted(CATEGORY_VALUES)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with UnitOfWork(sessions) as uow:
        await seed(uow, SystemClock(), region)
        await uow.commit()
        filer = await uow.session.scalar(select(User.id).where(User.telegram_id == 1003))
    rng = random.Random(7)
    span = (datetime(2026, 11, 1, tzinfo=UTC) - START).total_seconds()
    for first in range(0, count, CHUNK):
        rows, routes, tallies = [], [], {}
        for i in range(first, min(count, first + CHUNK)):
            created = START + timedelta(seconds=rng.random() * span)
            open_ = rng.random() < 0.002
            g = rng.choice(gemeenten)
            c = [rng.choice(cats)]
            rows.append(
                {
                    "ref": f"S-{i:07d}",
                    "filer_id": filer,
                    "gemeente": g,
                    "categories": c,
                    "resident_ref": f"R{i}",
                    "resident_key": f"{i:064d}",
                    "area": "9401",
                    "description": "Zorgen over de bewoner.",
                    "care_involved": "no",
                    "resident_knows": "no",
                    "joint_triage": False,
                    "status": "nieuw" if open_ else "afgesloten",
                    "version": 0,
                    "created_at": created,
                    "closed_at": None if open_ else created + timedelta(days=3),
                }
            )
            key = (g, c[0], created.strftime("%Y-%m"))
            tallies[key] = tallies.get(key, 0) + 1
        async with UnitOfWork(sessions) as uow:
            ids = list(await uow.session.scalars(insert(Signal).returning(Signal.id), rows))
            for signal_id, row in zip(ids, rows, strict=True):
                desk = (
                    "ggd-mzg"
                    if row["categories"][0] in ("confused", "nuisance")
                    else f"wijkteam-{row['gemeente']}"
                )
                routes.append({"signal_id": signal_id, "meldpunt_id": desk, "rule_ids": ["bench"]})
            await uow.session.execute(insert(SignalRoute), routes)
            for (g, c, m), n in tallies.items():
                await uow.session.execute(
                    text(
                        "insert into tallies (kind, gemeente, category, month, count) values ('signal', :g, :c, :m, :n) "
                        "on conflict (kind, gemeente, category, month) do update set count = tallies.count + :n"
                    ),
                    {"g": g, "c": c, "m": m, "n": n},
                )
            await uow.commit()
        print(f"  {min(count, first + CHUNK):,} signals", flush=True)
    async with engine.connect() as conn:
        await conn.execute(text("analyze"))
        await conn.commit()
    await engine.dispose()


async def timed(url: str) -> dict[str, float]:
    region = load_region()
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    out: dict[str, float] = {}
    async with UnitOfWork(sessions) as uow:
        t = time.perf_counter()
        open_ = await uow.signals.open_for_desk("ggd-mzg", "afgesloten")
        out["open_ms"] = (time.perf_counter() - t) * 1000
        out["open_rows"] = len(open_)
        # The digest reads the desk's open signals and when its previous digest went.
        t = time.perf_counter()
        await uow.signals.open_for_desk(region.meldpunten["ggd-mzg"].id, "afgesloten")
        await uow.due.last_done("digest:ggd-mzg:")
        out["digest_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        q = select(Tally.gemeente, Tally.category, Tally.month, func.sum(Tally.count)).where(
            Tally.kind == "signal"
        )
        rows = (await uow.session.execute(q.group_by(Tally.gemeente, Tally.category, Tally.month))).all()
        out["regional_ms"] = (time.perf_counter() - t) * 1000
        out["regional_rows"] = len(rows)
        # The regiobeeld page for the whole region (an admin): its figures, then the page itself.
        web, admin, scope = _regiobeeld(region, sessions)
        t = time.perf_counter()
        f = await figures(uow, region, scope, Filters(12), datetime(2026, 11, 15, tzinfo=UTC))
        out["regiobeeld_figures_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        html = web.render(admin, scope, Filters(12), f)
        out["regiobeeld_render_ms"] = (time.perf_counter() - t) * 1000
        out["regiobeeld_ms"] = out["regiobeeld_figures_ms"] + out["regiobeeld_render_ms"]
        out["regiobeeld_kb"] = len(html) / 1024
    await engine.dispose()
    return out


def _regiobeeld(
    region: Region, sessions: async_sessionmaker[AsyncSession]
) -> tuple[RegiobeeldWeb, User, Scope]:
    clock = SystemClock()
    tr = Translator(load_catalogs(), region.info.timezone)
    web = RegiobeeldWeb(region, tr, clock, sessions, Links(region, clock, None), Sessions(b"k" * 32))
    admin = User(id=0, display_name="bench", role="admin", gemeenten=[], locale="nl", active=True)
    return web, admin, Scope(tuple(region.gemeenten), tuple(region.meldpunten))


async def plans(url: str) -> None:
    engine = make_engine(url)
    async with engine.connect() as conn:
        for name, sql in (
            (
                "/open",
                "select s.* from signals s join signal_routes r on r.signal_id = s.id "
                "where r.meldpunt_id = 'ggd-mzg' and s.status != 'afgesloten' order by s.created_at, s.id",
            ),
        ):
            plan = (await conn.execute(text(f"explain analyze {sql}"))).scalars().all()
            print(f"plan {name}:\n  " + "\n  ".join(plan))
    await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    args = parser.parse_args()
    install(Cipher([DATA_KEY]))
    cluster = pg.start_cluster() if args.db == "postgres" else None
    folder = tempfile.TemporaryDirectory(prefix="waakvlam-queries-")
    try:
        url = cluster.url("postgres") if cluster else f"sqlite:///{folder.name}/bench.db"
        asyncio.run(upgrade_async(url))
        started = time.perf_counter()
        asyncio.run(fill(url, args.signals))
        print(f"filled in {time.perf_counter() - started:.0f} s")
        if cluster:
            asyncio.run(plans(url))
        results = [asyncio.run(timed(url)) for _ in range(args.runs)]
        report(f"queries signals={args.signals} db={args.db}", results)
    finally:
        if cluster:
            cluster.stop()
        folder.cleanup()


if __name__ == "__main__":
    main()
