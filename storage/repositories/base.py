"""What every repository shares: the session, the database kind, and the conflict error."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class StaleState(Exception):
    """Someone changed this conversation or signal first (a double tap, another desk or instance)."""


class Conflict(StaleState):
    """A row that must be unique was written first by someone else (the database said so): run again on
    fresh state. The unit of work raises it in place of the driver's integrity error."""


class _Repo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _postgres(self) -> bool:
        return self.session.get_bind().dialect.name == "postgresql"
