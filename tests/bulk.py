"""Many agreements with a check-in due at once: for load tests, crash tests and benchmarks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import insert, select

from bot.domain.jobs import SendCheckIn
from storage.models import Agreement, CheckIn, DueWork, User
from storage.uow import UnitOfWork

FIRST_OWNER = 500_000


async def due_checkins(
    uow: UnitOfWork, count: int, owners: int, due_at: datetime, end_on: date = date(2099, 12, 31)
) -> list[str]:
    """Add `owners` professionals in Assen and `count` active agreements spread over them, each with one
    check-in due at `due_at` (planned as due work). Return the agreement references."""
    s = uow.session
    await professionals(uow, owners, FIRST_OWNER, due_at)
    ids = list(
        await s.scalars(select(User.id).where(User.telegram_id >= FIRST_OWNER).order_by(User.telegram_id))
    )
    refs = [f"W-L{i:06d}" for i in range(count)]
    await s.execute(
        insert(Agreement),
        [
            {
                "ref": ref,
                "signal_id": None,
                "resident_ref": f"R{i}",
                "resident_key": f"{i:064d}",
                "gemeente": "assen",
                "status": "active",
                "version": 0,
                "owner_id": ids[i % owners],
                "rhythm": "d:7",
                "end_on": end_on,
                "warning_categories": [],
                "warning_signs": "",
                "return_desk": "ggd-mzg",
                "no_contact_streak": 0,
                "at_risk": False,
                "created_by": ids[i % owners],
                "created_at": due_at,
            }
            for i, ref in enumerate(refs)
        ],
    )
    agreement_ids = list(
        await s.scalars(select(Agreement.id).where(Agreement.ref.like("W-L%")).order_by(Agreement.id))
    )
    await s.execute(
        insert(CheckIn),
        [{"agreement_id": a, "seq": 1, "due_at": due_at, "status": "planned"} for a in agreement_ids],
    )
    rows = await s.execute(
        select(CheckIn.id)
        .join(Agreement, Agreement.id == CheckIn.agreement_id)
        .where(Agreement.ref.like("W-L%"))
    )
    await s.execute(
        insert(DueWork),
        [
            {
                "kind": SendCheckIn.kind,
                "key": SendCheckIn(c).key(),
                "due_at": due_at,
                "payload": {"checkin": c},
                "status": "pending",
                "attempts": 0,
            }
            for (c,) in rows
        ],
    )
    return refs


async def professionals(uow: UnitOfWork, count: int, first: int, now: datetime) -> list[int]:
    """Add `count` field workers in Assen with Telegram ids from `first`; return those ids."""
    ids = list(range(first, first + count))
    await uow.session.execute(
        insert(User),
        [
            {
                "telegram_id": t,
                "display_name": f"Veld {t}",
                "role": "veldwerker",
                "org": "Load",
                "gemeenten": ["assen"],
                "meldpunt_id": None,
                "locale": "nl",
                "active": True,
                "created_at": now,
            }
            for t in ids
        ],
    )
    return ids
