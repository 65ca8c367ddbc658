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


def ready(core: Core) -> None:
    """The last step of a long-running start-up (`waakvlam run`, the sandbox), with the runtime built: read
    this year's and next year's public holidays (their first read imports a country module, ~95 ms, which
    the first signal filed after a start used to wait for), then leave what is alive now out of the
    garbage collector's view (bot/runtime/collector.py)."""
    from bot.domain.calendar import load_holidays
    from bot.runtime.collector import freeze_startup

    load_holidays(core.clock.now().date())
    freeze_startup()
