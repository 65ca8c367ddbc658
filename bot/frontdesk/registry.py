"""Every conversation the bot holds, as one value each: the flow, the context it is asked in, and what its
outcome does. The runner looks a flow up here; no service hands its hooks around."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from flows import engine
from flows.engine import Context, Outcome
from flows.model import Flow
from storage.models import User
from storage.ports import Work

# A flow's end: the unit of work, who, which chat, the outcome, and the message the last tap turned into
# (the screen with the confirmed answers, when the flow's last reply replaced it), if any.
OutcomeHandler = Callable[[Work, User, int, Outcome, int | None], Awaitable[None]]
# The options a flow's questions offer this person (their gemeenten, colleagues, desks), given the answers
# so far (a flow started from a signal has some filled in).
ContextOf = Callable[[Work, User, engine.Answers], Awaitable[Context]]


async def no_context(uow: Work, user: User, answers: engine.Answers) -> Context:
    """No options: a flow whose questions offer only fixed choices."""
    return {}


@dataclass(frozen=True)
class FlowSpec:
    flow: Flow
    on_outcome: OutcomeHandler
    context: ContextOf = no_context

    @property
    def id(self) -> str:
        """The flow's id, as conversations store it."""
        return self.flow.id


class FlowRegistry:
    """The flows by id. Each service registers its own when the composition root builds it."""

    def __init__(self, *specs: FlowSpec) -> None:
        self._specs: dict[str, FlowSpec] = {}
        self.add(*specs)

    def add(self, *specs: FlowSpec) -> None:
        """Register flows; a flow registered twice is a wiring mistake and stops the start."""
        for spec in specs:
            if spec.id in self._specs:
                raise ValueError(f"flow {spec.id!r} is registered twice")
            self._specs[spec.id] = spec

    def __getitem__(self, flow_id: str) -> FlowSpec:
        return self._specs[flow_id]

    def __contains__(self, flow_id: object) -> bool:
        return flow_id in self._specs
