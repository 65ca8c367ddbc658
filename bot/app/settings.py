"""One typed settings object, read from the environment (WAAKVLAM_*) or .env, built once at start-up."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.accounts.retention import RetentionPolicy
from bot.domain.region import DEFAULT_REGION

# Telegram allows 1-256 characters for a webhook's secret token; we ask for enough not to be guessed.
WEBHOOK_SECRET_MIN = 32


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WAAKVLAM_", env_file=".env", extra="ignore")

    telegram_token: SecretStr | None = Field(default=None, description="Bot token from @BotFather")
    api_base: str | None = Field(default=None, description="A custom Bot API server, e.g. the emulator")
    database_url: str = "sqlite:///waakvlam.db"
    region_file: Path = DEFAULT_REGION
    secret_key: SecretStr = Field(
        default=SecretStr(""), description="Signs button data; required outside the sandbox (32+ characters)"
    )
    data_keys: SecretStr = Field(
        default=SecretStr(""),
        description=(
            "Data keys for encryption at rest (from waakvlam new-key), comma-separated; the first encrypts"
        ),
    )
    default_locale: Literal["nl", "en"] = "nl"
    timezone: str = "Europe/Amsterdam"
    mode: Literal["polling", "webhook"] = "polling"
    adapter: Literal["aiogram", "ptb"] = Field(
        default="aiogram", description="The Telegram library: aiogram, or python-telegram-bot (ptb)"
    )
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook listens for Telegram, behind TLS
    webhook_port: int = 8443
    webhook_secret: SecretStr | None = None
    web_url: str | None = Field(
        default=None,
        description="The regiobeeld page's address as people reach it (https://…); off when unset",
    )
    public_url: str | None = Field(
        default=None,
        description=(
            "Where Telegram's clients reach our forms (https://…): text about a resident is typed and read "
            "there, never in the chat; required outside the sandbox (the web_url when unset)"
        ),
    )
    web_listen: str = "127.0.0.1"
    web_port: int | None = Field(default=None, description="Serve the regiobeeld page on this port")
    invite_hours: int = Field(default=72, ge=1, le=720, description="How long an invite code is valid")
    retention_closed_days: int = Field(default=365, description="Keep closed signals this long after closing")
    retention_updates_days: int = 7
    retention_messages_days: int = 7
    retention_conversation_days: int = Field(default=30, description="Drop intakes left unfinished this long")
    bot_username: str | None = None
    rate_per_second: float = Field(
        default=29.0, description="Messages per second, all chats together (Telegram: ~30)"
    )
    rate_burst: float = Field(default=8.0, description="Messages that may go at once before the rate applies")
    rate_per_chat_burst: int = 3
    rate_per_group_minute: int = 19
    outbox_lease_seconds: int = Field(
        default=60,
        ge=2,
        description="How long a sender holds claimed messages; a crashed sender's come back after it",
    )
    due_lease_seconds: int = Field(
        default=300,
        ge=2,
        description="How long a runner holds claimed due work (check-ins, escalations, digests)",
    )
    sender_burst: int = Field(
        default=60, ge=1, description="Updates one sender may send at once before the front door drops more"
    )
    sender_per_second: float = Field(
        default=1.0, gt=0, description="Updates per second one sender may send on average, past the burst"
    )
    update_concurrency: int = Field(
        default=64, ge=1, description="Updates handled at once; more wait at Telegram, so memory stays flat"
    )
    database_pool_size: int | None = Field(
        default=None,
        ge=1,
        description="PostgreSQL connections per instance (default 10); SQLite always uses one",
    )
    instance_name: str = Field(
        default_factory=lambda: f"{socket.gethostname()}-{os.getpid()}"[:120],
        description="This instance's name in the poller's lease and the metrics (default: host and process)",
    )
    instances: int = Field(
        default=1, ge=1, description="How many instances run against this database (for check-config)"
    )
    metrics: bool = Field(default=False, description="Serve /metrics for Prometheus on the web port")
    log_level: str = "INFO"
    log_json: bool = False

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        """Without a secret the webhook takes any POST as an update from Telegram: refuse to start."""
        if self.mode == "webhook":
            secret = self.webhook_secret.get_secret_value() if self.webhook_secret else ""
            if len(secret) < WEBHOOK_SECRET_MIN:
                raise ValueError(
                    f"webhook mode needs WAAKVLAM_WEBHOOK_SECRET of at least {WEBHOOK_SECRET_MIN} characters "
                    "(A-Z, a-z, 0-9, _ and -; e.g. openssl rand -hex 32)"
                )
        return self

    def require_production_secrets(self) -> None:
        """Refuse to start for real Telegram without a token and a signing key."""
        if self.telegram_token is None or not self.telegram_token.get_secret_value().strip():
            raise ValueError("WAAKVLAM_TELEGRAM_TOKEN is not set")
        if len(self.secret_key.get_secret_value()) < 32:
            raise ValueError("WAAKVLAM_SECRET_KEY must be at least 32 characters")
        if not self.data_key_list():
            raise ValueError("WAAKVLAM_DATA_KEYS is not set (make one with: waakvlam new-key)")

    def retention_policy(self) -> RetentionPolicy:
        """How long each kind of data is kept, from the settings."""
        return RetentionPolicy(
            closed_signals=timedelta(days=self.retention_closed_days),
            handled_updates=timedelta(days=self.retention_updates_days),
            sent_messages=timedelta(days=self.retention_messages_days),
            idle_conversations=timedelta(days=self.retention_conversation_days),
        )

    def data_key_list(self) -> list[str]:
        """The data keys, newest first (the first encrypts; all decrypt)."""
        return [k.strip() for k in self.data_keys.get_secret_value().split(",") if k.strip()]
