"""Transport adapters: Telegram updates in, engine inputs out; replies out as messages and keyboards."""

from handlers.aiogram_models import import_deferred

# Before any adapter imports aiogram: its Telegram types are then built when first used, not all at once
# (about 100 MB less memory; see handlers/aiogram_models.py).
import_deferred()
