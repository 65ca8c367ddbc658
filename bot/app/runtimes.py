"""The runtime of the adapter the settings name: aiogram by default, python-telegram-bot when asked."""

from __future__ import annotations

from bot.app.core import Core
from bot.runtime.host import Runtime


def build_runtime(core: Core, polling_timeout: int = 10) -> Runtime:
    """The runtime of the adapter the settings name (aiogram unless told otherwise); each adapter is
    imported only when chosen."""
    if core.settings.adapter == "ptb":
        from handlers.ptb_runtime import PtbRuntime

        return PtbRuntime(core.serving(), polling_timeout)
    from handlers.aiogram_models import import_deferred

    # Before aiogram is first imported: its Telegram types are then built when first used, not all at once
    # (about 100 MB less memory; see handlers/aiogram_models.py).
    import_deferred()
    from handlers.aiogram_runtime import AiogramRuntime

    return AiogramRuntime(core.serving(), polling_timeout)
