"""Translatable text as values: the engine speaks in message ids, renderers translate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

Param = Union[str, int, "Msg", tuple["Msg", ...]]


def N_(msgid: str) -> str:  # noqa: N802 - the gettext marker Babel extracts
    """Mark a message id for extraction without translating it (gettext's convention)."""
    return msgid


@dataclass(frozen=True)
class Msg:
    """A message id with named parameters; parameters may themselves be messages."""

    msgid: str
    params: dict[str, Param] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash((self.msgid, tuple(sorted(self.params))))
