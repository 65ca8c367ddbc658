"""aiogram's pydantic models: import them without building all of them, build the ones the bot uses.

aiogram's `types/__init__.py` calls `model_rebuild()` on each of its ~300 Telegram types at import, and each
rebuild builds a validator and a serializer with every nested type copied in: about 100 MB of the bot's
memory, for types it never sees (aiogram issue #1513; bench.memory: importing aiogram took 165 MB of a
253 MB process). Its base model asks pydantic to defer building (`defer_build`); `import_deferred` lets it,
and gives every model the namespace that loop would have resolved their forward references in. A model is
then built the first time it is used, and `build_used` builds the ones the bot uses when it starts, so that
a name that cannot be resolved stops the start, not an update.
"""

from __future__ import annotations

import sys
from typing import Any

from pydantic import BaseModel

# The releases this patch was checked against (tests/unit/test_aiogram_models.py fails outside them, and
# pyproject.toml pins the same range): a new aiogram or pydantic is checked again before it is let in.
CHECKED_WITH = {"aiogram": ("3.13", "3.32"), "pydantic": ("2.6", "2.14")}
# The Bot API methods the bot calls through aiogram's models: polling, the webhook and the bot's own name.
# Sending, editing and answering buttons go as plain JSON (handlers/aiogram_session.py), not as models.
USED_METHODS = ("DeleteWebhook", "GetMe", "GetUpdates", "SetWebhook")
# Responses parsed as `Response[method.__returning__]`: pydantic keeps parametrised models in a weak cache
# only, so after each garbage collection the next call rebuilt one (6-10 ms, 10% of the bot's CPU under
# load in the profile). `build_used` keeps them here.
_kept: list[type[BaseModel]] = []


def import_deferred() -> None:
    """Import aiogram with its Telegram types left unbuilt until first use (once per process)."""
    if "aiogram" in sys.modules:
        return  # imported already (by a tool or a test): its models are built, nothing to save
    original = BaseModel.model_rebuild.__func__  # type: ignore[attr-defined]
    namespace: dict[str, Any] = {}

    def record(cls: type[BaseModel], /, **kwargs: Any) -> bool | None:
        given = kwargs.get("_types_namespace")
        if given is not None and not kwargs.get("force") and cls.__module__.startswith("aiogram."):
            namespace.update(given)
            return None
        rebuilt: bool | None = original(cls, **kwargs)
        return rebuilt

    BaseModel.model_rebuild = classmethod(record)  # type: ignore[method-assign, assignment]
    try:
        import aiogram  # noqa: F401
    finally:
        BaseModel.model_rebuild = classmethod(original)  # type: ignore[method-assign, assignment]
    # A model built later resolves its (and its nested models') forward references in its own parent
    # namespace: give each of aiogram's models the one its loop used. `Response[Message]` and the like are
    # made later and take theirs from `Response`.
    for model in _subclasses(BaseModel):
        if model.__module__.startswith("aiogram."):
            model.__pydantic_parent_namespace__ = namespace


def build_used() -> None:
    """Build the update model, the methods the bot calls and their responses now, not mid-update."""
    from aiogram import methods
    from aiogram.methods.base import Response
    from aiogram.types import Update

    Update.model_rebuild()
    used = [getattr(methods, name) for name in USED_METHODS]
    for method in used:
        method.model_rebuild()
    if not _kept:  # once per process, however many runtimes are built (the tests build many)
        _kept.extend(Response[method.__returning__] for method in used)  # type: ignore[name-defined]


def _subclasses(base: type[BaseModel]) -> list[type[BaseModel]]:
    found, todo = [], list(base.__subclasses__())
    while todo:
        model = todo.pop()
        found.append(model)
        todo.extend(model.__subclasses__())
    return found
