"""The webhook endpoint both adapters serve: Telegram gets its 200 only once the update is stored and
handled (a failure answers 500, so Telegram delivers it again), and only with the secret it was given."""

from __future__ import annotations

import hmac
import json
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from aiohttp import web

log = structlog.get_logger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
Feed = Callable[[dict[str, Any]], Awaitable[None]]


def add_webhook(app: web.Application, feed: Feed, secret: str, path: str = "/webhook") -> None:
    """Take Telegram's deliveries at `path` on `app`."""
    if not secret:
        raise ValueError("the webhook needs its secret")  # Settings refuse to start without one

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        # Constant time: how far a guess matched must not show in how long the refusal takes. A header
        # aiohttp read with odd bytes holds surrogates: kept as they came, so it is simply not the secret.
        if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), secret.encode()):
            return web.json_response({"ok": False}, status=401)
        if request.content_type != "application/json":  # what Telegram sends; nothing else is read
            return web.json_response({"ok": False}, status=415)
        try:
            update = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):  # nested past Python's depth
            return web.json_response({"ok": False}, status=400)
        if not isinstance(update, dict) or not isinstance(update.get("update_id"), int):
            return web.json_response({"ok": False}, status=400)
        try:
            await feed(update)
        except Exception:
            log.exception("webhook_update_failed", update_id=update["update_id"])
            return web.json_response({"ok": False}, status=500)
        return web.json_response({"ok": True})

    app.router.add_post(path, receive)
