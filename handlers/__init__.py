"""Transport adapters: Telegram updates in, engine inputs out; replies out as messages and keyboards."""
