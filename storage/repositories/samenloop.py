"""Samenloop and the routeeroverleg: match keys' pseudonyms, overleggen and the desks taking part."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Unpack

from sqlalchemy import delete, select, update

from bot.domain.overleg import OverlegStatus
from storage.changes import OverlegChange, PartChange
from storage.models import AdviceQuestion, MatchKey, Overleg, OverlegPart, User
from storage.repositories.base import StaleState, _Repo


class Samenloop(_Repo):
    async def add_key(self, key: MatchKey) -> MatchKey:
        """Store a pseudonym given on a signal, regie or waakvlam."""
        self.session.add(key)
        await self.session.flush()
        return key

    async def keys_like(self, pseudonyms: Collection[str], besides: int) -> list[MatchKey]:
        """Every other stored key with one of these pseudonyms (the same key under each data key)."""
        q = select(MatchKey).where(MatchKey.pseudonym.in_(list(pseudonyms)), MatchKey.id != besides)
        return list(await self.session.scalars(q.order_by(MatchKey.id)))

    async def key(self, key_id: int) -> MatchKey | None:
        """The stored key with this id, if any."""
        return await self.session.get(MatchKey, key_id)

    async def staff_of(self, desks: Collection[str]) -> list[User]:
        """The active staff of these desks."""
        q = select(User).where(User.meldpunt_id.in_(list(desks)), User.active).order_by(User.id)
        return list(await self.session.scalars(q))

    async def add_overleg(self, overleg: Overleg, desks: Collection[str]) -> Overleg:
        """Store a new overleg with a part for each desk taking part."""
        self.session.add(overleg)
        await self.session.flush()
        await self.add_parts(overleg.id, desks)
        return overleg

    async def add_parts(self, overleg_id: int, desks: Collection[str]) -> None:
        """Desks join an overleg."""
        self.session.add_all(OverlegPart(overleg_id=overleg_id, meldpunt_id=d) for d in desks)
        await self.session.flush()

    async def overleg(self, overleg_id: int) -> Overleg | None:
        """The overleg with this id, if any."""
        return await self.session.get(Overleg, overleg_id)

    async def overleg_by_ref(self, ref: str) -> Overleg | None:
        """The overleg with this code (O-…), if any."""
        return await self.session.scalar(select(Overleg).where(Overleg.ref == ref))

    async def open_on(self, signal_id: int) -> Overleg | None:
        """The signal's overleg that is still open, if any."""
        q = select(Overleg).where(Overleg.signal_id == signal_id, Overleg.status == OverlegStatus.OPEN)
        return await self.session.scalar(q.limit(1))

    async def of_signal(self, signal_id: int) -> list[Overleg]:
        """Every overleg on this signal, oldest first (export)."""
        q = select(Overleg).where(Overleg.signal_id == signal_id).order_by(Overleg.id)
        return list(await self.session.scalars(q))

    async def open_for(self, desks: Collection[str]) -> list[Overleg]:
        """The open overleggen these desks take part in, oldest first."""
        q = (
            select(Overleg)
            .join(OverlegPart, OverlegPart.overleg_id == Overleg.id)
            .where(Overleg.status == OverlegStatus.OPEN, OverlegPart.meldpunt_id.in_(list(desks)))
            .distinct()
            .order_by(Overleg.created_at)
        )
        return list(await self.session.scalars(q))

    async def parts(self, overleg_id: int) -> list[OverlegPart]:
        """The desks taking part, in the order they joined."""
        q = select(OverlegPart).where(OverlegPart.overleg_id == overleg_id).order_by(OverlegPart.id)
        return list(await self.session.scalars(q))

    async def change(self, overleg: Overleg, **values: Unpack[OverlegChange]) -> None:
        """Apply a change unless someone changed the overleg since it was read (compare-and-set)."""
        result = await self.session.execute(
            update(Overleg)
            .where(Overleg.id == overleg.id, Overleg.version == overleg.version)
            .values(version=overleg.version + 1, **values)
            .execution_options(synchronize_session=False)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            raise StaleState(0, overleg.id)
        await self.session.refresh(overleg)

    async def change_part(self, part: OverlegPart, **values: Unpack[PartChange]) -> None:
        """Set what one desk said."""
        for name, value in values.items():
            setattr(part, name, value)
        await self.session.flush()

    async def reset_votes(self, overleg_id: int) -> None:
        """A new proposal: every desk votes again."""
        await self.session.execute(
            update(OverlegPart)
            .where(OverlegPart.overleg_id == overleg_id)
            .values(vote=None)
            .execution_options(synchronize_session=False)
        )
        for part in await self.parts(overleg_id):
            await self.session.refresh(part)

    async def add_advice(self, question: AdviceQuestion) -> AdviceQuestion:
        """Store an advice question."""
        self.session.add(question)
        await self.session.flush()
        return question

    async def advice(self, advice_id: int) -> AdviceQuestion | None:
        """The advice question with this id, if any."""
        return await self.session.get(AdviceQuestion, advice_id)

    async def advice_by_ref(self, ref: str) -> AdviceQuestion | None:
        """The advice question with this code (A-…), if any."""
        return await self.session.scalar(select(AdviceQuestion).where(AdviceQuestion.ref == ref))

    async def advice_before(self, before: datetime) -> list[int]:
        """Advice questions asked before this moment (the retention purge)."""
        q = select(AdviceQuestion.id).where(AdviceQuestion.created_at < before)
        return list(await self.session.scalars(q))

    async def forget_advice(self, ids: list[int]) -> int:
        """Delete these advice questions."""
        if not ids:
            return 0
        result = await self.session.execute(delete(AdviceQuestion).where(AdviceQuestion.id.in_(ids)))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
