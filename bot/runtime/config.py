"""What the host and the adapters are told at start-up, as plain values (from bot.app.settings)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HostConfig:
    """The settings the host and the adapters read, as plain values."""

    token: str = ""
    api_base: str | None = None
    mode: str = "polling"
    update_concurrency: int = 8
    sender_burst: int = 60  # bot.runtime.budget: what one sender may cause
    sender_per_second: float = 1.0
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"  # noqa: S104 - a webhook listens for Telegram, behind TLS
    webhook_port: int = 8443
    webhook_secret: str = ""
    default_locale: str = "nl"
    # The application's own web pages (the regiobeeld), on their own port; off when None.
    web_listen: str = "127.0.0.1"
    web_port: int | None = None
    # This instance's name, as the poller's lease and the metrics show it (host and process id).
    instance: str = "waakvlam"
    metrics: bool = False  # serve /metrics beside /healthz and /readyz
