"""Conversations as declarative data plus a pure engine. No I/O, no Telegram, no database."""
