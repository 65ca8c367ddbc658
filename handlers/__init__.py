"""Transport adapters: a Telegram update in, a command for the front desk out; replies out as messages."""
