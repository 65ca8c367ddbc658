"""What an operator can watch: Prometheus metrics (prometheus-client); `chat_kind`, what a log line may say of a chat.

Labels are outcomes, Bot API methods and reasons, never a chat, a person or a text: a scrape of /metrics
shows no personal data. Each runtime has its own registry (several run in one test process)."""

from __future__ import annotations

from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from bot.domain.incoming import chat_kind as chat_kind

# Handling an update takes milliseconds; a slow database or a long flow shows in the upper buckets.
HANDLING_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self, instance: str) -> None:
        r = self.registry = CollectorRegistry()
        self.updates = Counter(
            "waakvlam_updates",
            "Updates by outcome: handled, failed (apologised), duplicate, refused (front door), unreadable",
            ["outcome"],
            registry=r,
        )
        self.handling = Histogram(
            "waakvlam_update_handling_seconds",
            "Time from taking an update to its commit",
            buckets=HANDLING_BUCKETS,
            registry=r,
        )
        self.calls = Counter(
            "waakvlam_telegram_calls",
            "Bot API calls the outbox made, by method and result: ok, retry_after (429), transient, refused",
            ["method", "result"],
            registry=r,
        )
        self.outbox_backlog = Gauge(
            "waakvlam_outbox_backlog", "Messages waiting to be sent (all instances)", registry=r
        )
        self.outbox_oldest = Gauge(
            "waakvlam_outbox_oldest_seconds", "Age of the oldest message waiting to be sent", registry=r
        )
        self.due_lag = Gauge(
            "waakvlam_due_work_lag_seconds",
            "How long the longest-waiting due work is past its time",
            registry=r,
        )
        self.outbox_share = Gauge(
            "waakvlam_outbox_share",
            "This instance's part of the bot's sending rate (1 alone, 0.5 beside another, 0 waiting for room)",
            registry=r,
        )
        self.outbox_share.set(1)
        self.poller = Gauge(
            "waakvlam_poller_leading",
            "1 when this instance holds the poller's lease and polls Telegram, else 0",
            ["instance"],
            registry=r,
        )
        self.poller_holder = Gauge(
            "waakvlam_poller_lease_held",
            "1 when some instance holds the poller's lease (polling mode)",
            registry=r,
        )
        self.instance = instance
        # The children counted on every update and every message, looked up once.
        self.handled = self.updates.labels("handled")
        self._sent: dict[str, Any] = {}

    def sent(self, method: str) -> Any:
        """The counter of successful calls of one Bot API method."""
        child = self._sent.get(method)
        if child is None:
            child = self._sent[method] = self.calls.labels(method, "ok")
        return child
