"""A local Telegram Bot API: the methods Waakvlam uses, plus a control API to act as users.

The bot talks to `/bot<token>/<method>` exactly as to api.telegram.org; tests, the sandbox page and
tools drive `/control/*` (documented in the README, section "Emulator control API").
"""

from __future__ import annotations

import asyncio
import collections
import json
import time
from contextlib import AbstractAsyncContextManager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, ClientTimeout, web

from bot.forms.initdata import sign
from bot.sandbox.limits import FloodLimits

TEXT_FIELDS = frozenset(
    {"text", "callback_query_id", "url", "parse_mode", "secret_token", "inline_message_id"}
)
COUNTED = frozenset({"sendMessage"})
DELETE_WITHIN = 48 * 3600


@dataclass
class ChatMessage:
    message_id: int
    chat_id: int
    sender: dict[str, Any]
    text: str
    date: int
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    edited: bool = False

    def view(self) -> dict[str, Any]:
        """The message as the sandbox page shows it."""
        return {
            "message_id": self.message_id,
            "from_bot": bool(self.sender.get("is_bot")),
            "text": self.text,
            "buttons": [[b["text"] for b in row] for row in self.keyboard],
            # A link button's address, by its label (the page opens it; a press sends nothing).
            "links": {b["text"]: b["url"] for row in self.keyboard for b in row if "url" in b},
            # A Mini App button's page, by its label: the page opens it in a panel, with signed initData.
            "apps": {b["text"]: b["web_app"]["url"] for row in self.keyboard for b in row if "web_app" in b},
            "edited": self.edited,
            "date": self.date,
        }

    def as_telegram(self) -> dict[str, Any]:
        """The message as the Bot API would give it."""
        chat_type = "private" if self.chat_id > 0 else "group"
        out: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": {
                "id": self.chat_id,
                "type": chat_type,
                **({"title": "desk"} if self.chat_id < 0 else {}),
            },
            "from": self.sender,
            "text": self.text,
        }
        if self.keyboard:
            out["reply_markup"] = {"inline_keyboard": self.keyboard}
        if self.text.startswith("/"):
            out["entities"] = [{"type": "bot_command", "offset": 0, "length": len(self.text.split()[0])}]
        return out


@dataclass
class Fault:
    method: str
    status: int
    remaining: int
    retry_after: int = 1


class TelegramError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.retry_after = status, description, retry_after


class Emulator:
    """In-memory chats, an update queue with long polling, webhooks, flood limits and faults."""

    def __init__(self, token: str, strict: bool = False) -> None:
        self.token = token
        # The Bot API's bot id is the number before the colon in the token.
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Waakvlam",
            "username": "waakvlam_sandbox_bot",
        }
        self.strict = strict
        self.reset()

    def reset(self) -> None:
        """Forget every chat, update, fault and limit: a fresh Telegram."""
        self.chats: dict[int, list[ChatMessage]] = {}
        self.updates: list[dict[str, Any]] = []
        self.next_update_id = 1
        self.next_message_id: dict[int, int] = {}
        self.first_message_id = 1
        self.answers: dict[str, dict[str, Any]] = {}
        self.faults: list[Fault] = []
        # Freezing: after `freeze_after` more calls of `freeze_method`, hold each further call (as a
        # network that swallowed the request); on thaw the held calls fail and deliver nothing.
        self.freeze_method: str | None = None
        self.freeze_after = 0
        self.frozen = 0
        self._thaw = asyncio.Event()
        self.calls: dict[str, int] = {}
        self.in_flight = (
            0  # Bot API calls begun and not yet answered (a long poll waits by design: not counted)
        )
        # The chats of the messages sent, in the order they reached "Telegram" (the newest 100,000).
        self.delivered: collections.deque[int] = collections.deque(maxlen=100_000)
        self.too_many = 0
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.limits = FloodLimits()
        self.speed = 1.0
        self._changed = asyncio.Event()
        # getUpdates calls so far: a newer one ends a waiting older one with 409, as Telegram does.
        self.polls = 0
        self.conflicts = 0
        # Seconds added to the wall clock: a test ages the messages (deleteMessage's 48 hours).
        self.offset = 0.0
        # Everything that passed "through Telegram": each Bot API call with its answer, each update. The
        # proof that typed text stays on the region's server reads it (tests/e2e/test_text_on_server.py).
        self.traffic: collections.deque[str] = collections.deque(maxlen=200_000)

    def now(self) -> float:
        """The emulator's wall clock (a test may age its messages)."""
        return time.time() + self.offset

    def continue_after(self, update_id: int, message_id: int) -> None:
        """Number new updates and messages after these, as Telegram does across a restart of the bot: a
        fresh emulator beside a kept database would reuse ids the bot has stored (an update already
        handled is skipped; an edit of an old question would hit a new message)."""
        self.next_update_id = max(self.next_update_id, update_id + 1)
        self.first_message_id = max(self.first_message_id, message_id + 1)

    def fast_forward(self, speed: float) -> None:
        """Run the flood-limit clock `speed` times faster: 30/s becomes 30×speed per real second.
        Load tests use it to check pacing against Telegram's shape of limits in seconds, not minutes."""
        self.speed = speed
        self.limits = FloodLimits(clock=lambda: time.monotonic() * speed)

    def freeze(self, method: str, after: int) -> None:
        """After `after` more calls of `method`, hold each further one until thawed (a swallowed request)."""
        self.freeze_method, self.freeze_after, self.frozen = method, after, 0
        self._thaw = asyncio.Event()

    def thaw(self) -> None:
        """Let held calls fail (they delivered nothing) and stop holding."""
        self.freeze_method = None
        self._thaw.set()

    # ---- the Bot API side ------------------------------------------------------------------------
    async def call(self, method: str, params: dict[str, Any]) -> Any:
        """Answer one Bot API call as Telegram would (counted while it is in flight, but for long polls)."""
        counted = method != "getUpdates"
        self.in_flight += counted
        try:
            result = await self._call(method, params)
            self.traffic.append(json.dumps({"call": method, "params": params, "result": result}, default=str))
            return result
        except TelegramError as exc:
            self.traffic.append(
                json.dumps({"call": method, "params": params, "error": exc.description}, default=str)
            )
            raise
        finally:
            self.in_flight -= counted

    def init_data(
        self, user_id: int, name: str = "", language: str | None = None, at: int | None = None
    ) -> str:
        """What a Telegram client hands a Mini App this person opens: their signed launch data (at `at`, unix
        seconds: a test's clock; the emulator's own by default)."""
        user: dict[str, object] = {"id": user_id, "first_name": name or f"User {user_id}"}
        if language:
            user["language_code"] = language
        data = sign(self.token, user, at if at is not None else int(self.now()))
        self.traffic.append(json.dumps({"init_data": data}))
        return data

    async def _call(self, method: str, params: dict[str, Any]) -> Any:
        self.calls[method] = self.calls.get(method, 0) + 1
        if method == self.freeze_method:
            if self.freeze_after <= 0:
                self.frozen += 1
                await self._thaw.wait()
                raise TelegramError(502, "Bad Gateway: held while frozen, not delivered")
            self.freeze_after -= 1
        for fault in self.faults:
            if fault.method in (method, "*") and fault.remaining > 0:
                fault.remaining -= 1
                raise TelegramError(
                    fault.status, "Injected fault", fault.retry_after if fault.status == 429 else None
                )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            raise TelegramError(404, "Not Found: method not found")
        if self.strict and method in COUNTED:
            wait = self.limits.check(int(params.get("chat_id", 0)))
            if wait:
                self.too_many += 1
                raise TelegramError(429, f"Too Many Requests: retry after {wait}", wait)
        return await handler(params)

    async def _m_getMe(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _m_getUpdates(self, params: dict[str, Any]) -> Any:
        if self.webhook_url:
            self.conflicts += 1
            raise TelegramError(409, "Conflict: can't use getUpdates method while webhook is active")
        self.polls += 1
        mine = self.polls
        self._changed.set()  # wakes an older waiting call, which then ends with 409
        offset = int(params.get("offset", 0) or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + min(float(params.get("timeout", 0) or 0), 50)
        limit = int(params.get("limit", 100) or 100)
        while True:
            if self.polls != mine:
                self.conflicts += 1
                raise TelegramError(409, "Conflict: terminated by other getUpdates request")
            ready = [u for u in self.updates if u["update_id"] >= offset][:limit]
            remaining = deadline - time.monotonic()
            if ready or remaining <= 0:
                return ready
            self._changed.clear()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook_url = params.get("url") or None
        self.webhook_secret = params.get("secret_token")
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self.webhook_url = None
        if params.get("drop_pending_updates"):
            self.updates.clear()
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        return {"url": self.webhook_url or "", "has_custom_certificate": False, "pending_update_count": 0}

    async def _m_setMyCommands(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        if not text or len(text) > 4096:
            raise TelegramError(400, "Bad Request: message text is empty or too long")
        keyboard = self._keyboard(params.get("reply_markup"), chat_id)
        msg = self._append(chat_id, self.bot_user, text, keyboard)
        self.delivered.append(chat_id)
        return msg.as_telegram()

    async def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        msg = self._find(int(params["chat_id"]), int(params["message_id"]))
        text = str(params.get("text", ""))
        keyboard = self._keyboard(params.get("reply_markup"), msg.chat_id)
        if not text or len(text) > 4096:
            raise TelegramError(400, "Bad Request: message text is empty or too long")
        if msg.text == text and msg.keyboard == keyboard:
            raise TelegramError(400, "Bad Request: message is not modified")
        msg.text, msg.keyboard, msg.edited = text, keyboard, True
        self._changed.set()
        return msg.as_telegram()

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        msg = self._find(int(params["chat_id"]), int(params["message_id"]))
        keyboard = self._keyboard(params.get("reply_markup"), msg.chat_id)
        if msg.keyboard == keyboard:
            raise TelegramError(400, "Bad Request: message is not modified")
        msg.keyboard, msg.edited = keyboard, True
        self._changed.set()
        return msg.as_telegram()

    async def _m_deleteMessage(self, params: dict[str, Any]) -> Any:
        """As Telegram: a bot deletes its own messages, and others' in a private chat, only within 48 hours
        of sending; anything else is refused with 400."""
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        chat = self.chats.get(chat_id, [])
        msg = next((m for m in chat if m.message_id == message_id), None)
        if msg is None:
            raise TelegramError(400, "Bad Request: message to delete not found")
        own = msg.sender.get("id") == self.bot_user["id"]
        if (not own and chat_id < 0) or self.now() - msg.date > DELETE_WITHIN:
            raise TelegramError(400, "Bad Request: message can't be deleted for everyone")
        chat.remove(msg)
        self._changed.set()
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        self.answers[str(params["callback_query_id"])] = {
            "text": params.get("text"),
            "show_alert": bool(params.get("show_alert")),
        }
        return True

    async def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    def _keyboard(self, markup: Any, chat_id: int) -> list[list[dict[str, Any]]]:
        if isinstance(markup, str):
            markup = json.loads(markup)
        rows = (markup or {}).get("inline_keyboard") or []
        kept: list[list[dict[str, Any]]] = []
        for row in rows:
            kept.append([])
            for button in row:
                app = (
                    (button.get("web_app") or {}).get("url")
                    if isinstance(button.get("web_app"), dict)
                    else None
                )
                if app is not None:  # a Mini App: Telegram allows it in private chats only
                    if chat_id < 0:
                        raise TelegramError(400, "Bad Request: BUTTON_TYPE_INVALID")
                    if not str(app).startswith(("https://", "http://")):
                        raise TelegramError(400, "Bad Request: BUTTON_URL_INVALID")
                    kept[-1].append({"text": button["text"], "web_app": {"url": str(app)}})
                    continue
                url = button.get("url")
                if url is not None:  # a link: opened by the client, never a callback
                    if not str(url).startswith(("https://", "http://", "tg://")):
                        raise TelegramError(400, "Bad Request: BUTTON_URL_INVALID")
                    kept[-1].append({"text": button["text"], "url": str(url)})
                    continue
                data = button.get("callback_data", "")
                if not 1 <= len(data.encode()) <= 64:
                    raise TelegramError(400, "Bad Request: BUTTON_DATA_INVALID")
                kept[-1].append({"text": button["text"], "callback_data": data})
        return kept

    def _find(self, chat_id: int, message_id: int) -> ChatMessage:
        for msg in self.chats.get(chat_id, []):
            if msg.message_id == message_id:
                return msg
        raise TelegramError(400, "Bad Request: message to edit not found")

    def _append(self, chat_id: int, sender: dict[str, Any], text: str, keyboard: list[Any]) -> ChatMessage:
        message_id = self.next_message_id.get(chat_id, self.first_message_id)
        self.next_message_id[chat_id] = message_id + 1
        msg = ChatMessage(message_id, chat_id, sender, text, int(self.now()), keyboard)
        self.chats.setdefault(chat_id, []).append(msg)
        self._changed.set()
        return msg

    # ---- the control side ------------------------------------------------------------------------
    def user_sends(
        self, user_id: int, chat_id: int, text: str, name: str = "", language: str | None = None
    ) -> int:
        """A person types `text` in a chat: the update is queued; return its message id."""
        sender = {"id": user_id, "is_bot": False, "first_name": name or f"User {user_id}"}
        if language:
            sender["language_code"] = language
        msg = self._append(chat_id, sender, text, [])
        return self._queue({"message": msg.as_telegram()})

    def user_presses(self, user_id: int, chat_id: int, message_id: int, button: str, name: str = "") -> int:
        """A person presses a button on a message: the callback update is queued; return its update id."""
        msg = self._find(chat_id, message_id)
        for row in msg.keyboard:
            for b in row:
                if b["text"] == button and "callback_data" in b:
                    sender = {"id": user_id, "is_bot": False, "first_name": name or f"User {user_id}"}
                    update_id = self.next_update_id
                    query = {
                        "id": str(update_id),
                        "from": sender,
                        "message": msg.as_telegram(),
                        "chat_instance": str(chat_id),
                        "data": b["callback_data"],
                    }
                    return self._queue({"callback_query": query})
        raise KeyError(button)

    def _queue(self, body: dict[str, Any]) -> int:
        update = {"update_id": self.next_update_id, **body}
        self.next_update_id += 1
        self.updates.append(update)
        self._changed.set()
        if self.webhook_url:
            asyncio.get_running_loop().create_task(self._deliver(update))
        return int(update["update_id"])

    def _delivery_session(self) -> AbstractAsyncContextManager[ClientSession]:
        """The HTTP client for one delivery (a benchmark shares one across deliveries)."""
        return ClientSession(timeout=ClientTimeout(total=30))

    async def _deliver(self, update: dict[str, Any]) -> None:
        """Post an update to the webhook until it answers 200, as Telegram retries."""
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret} if self.webhook_secret else {}
        async with self._delivery_session() as http:
            for attempt in range(10):
                try:
                    async with http.post(str(self.webhook_url), json=update, headers=headers) as resp:
                        if resp.status == 200:
                            self.updates = [u for u in self.updates if u is not update]
                            return
                except OSError:
                    pass
                await asyncio.sleep(min(2**attempt * 0.1, 5))


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body) if isinstance(body, dict) else {}
    form = await request.post() if request.can_read_body else request.query
    params: dict[str, Any] = dict(request.query)
    for key, value in form.items():
        if not isinstance(value, str):
            continue
        if key in TEXT_FIELDS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def make_app(emulator: Emulator) -> web.Application:
    """Serve the Bot API and the control API on one aiohttp application."""
    routes = web.RouteTableDef()

    @routes.route("*", "/bot{token}/{method}")
    async def bot_api(request: web.Request) -> web.Response:
        if request.match_info["token"] != emulator.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        try:
            result = await emulator.call(request.match_info["method"], await _params(request))
        except TelegramError as exc:
            body: dict[str, Any] = {"ok": False, "error_code": exc.status, "description": exc.description}
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(body, status=exc.status)
        return web.json_response({"ok": True, "result": result})

    @routes.post("/control/send")
    async def control_send(request: web.Request) -> web.Response:
        body = await request.json()
        user_id = int(body["user_id"])
        update_id = emulator.user_sends(
            user_id,
            int(body.get("chat_id", user_id)),
            str(body["text"]),
            body.get("name", ""),
            body.get("language"),
        )
        return web.json_response({"update_id": update_id})

    @routes.post("/control/press")
    async def control_press(request: web.Request) -> web.Response:
        body = await request.json()
        user_id = int(body["user_id"])
        try:
            update_id = emulator.user_presses(
                user_id, int(body.get("chat_id", user_id)), int(body["message_id"]), str(body["button"])
            )
        except (KeyError, TelegramError):
            return web.json_response({"error": "no such message or button"}, status=404)
        return web.json_response({"update_id": update_id})

    @routes.post("/control/update")
    async def control_update(request: web.Request) -> web.Response:
        """Queue a raw update body (without update_id), e.g. a callback with forged data."""
        body = await request.json()
        return web.json_response({"update_id": emulator._queue(dict(body))})

    @routes.get("/control/chats/{chat_id}/messages")
    async def control_messages(request: web.Request) -> web.Response:
        chat = emulator.chats.get(int(request.match_info["chat_id"]), [])
        return web.json_response([m.view() for m in chat])

    @routes.get("/control/callbacks/{callback_id}")
    async def control_callback(request: web.Request) -> web.Response:
        answer = emulator.answers.get(request.match_info["callback_id"])
        return web.json_response(answer) if answer is not None else web.json_response({}, status=404)

    @routes.get("/control/init_data/{user_id}")
    async def control_init_data(request: web.Request) -> web.Response:
        """What a Telegram client signs for this person when they open a Mini App (the page's panel)."""
        at = request.query.get("at", "")
        data = emulator.init_data(
            int(request.match_info["user_id"]),
            language=request.query.get("language"),
            at=int(at) if at.isdecimal() else None,
        )
        return web.json_response({"init_data": data})

    @routes.post("/control/reset")
    async def control_reset(request: web.Request) -> web.Response:
        emulator.reset()
        return web.json_response({"ok": True})

    @routes.post("/control/freeze")
    async def control_freeze(request: web.Request) -> web.Response:
        body = await request.json()
        emulator.freeze(str(body["method"]), int(body.get("after", 0)))
        return web.json_response({"ok": True})

    @routes.post("/control/thaw")
    async def control_thaw(request: web.Request) -> web.Response:
        emulator.thaw()
        return web.json_response({"ok": True, "held": emulator.frozen})

    @routes.post("/control/faults")
    async def control_faults(request: web.Request) -> web.Response:
        body = await request.json()
        emulator.faults.append(
            Fault(
                body.get("method", "*"),
                int(body["status"]),
                int(body.get("count", 1)),
                int(body.get("retry_after", 1)),
            )
        )
        return web.json_response({"ok": True})

    @routes.post("/control/strict")
    async def control_strict(request: web.Request) -> web.Response:
        body = await request.json()
        emulator.strict = bool(body.get("strict", True))
        if "speed" in body:
            emulator.fast_forward(float(body["speed"]))
        return web.json_response({"strict": emulator.strict})

    @routes.post("/control/clock")
    async def control_clock(request: web.Request) -> web.Response:
        """Move the emulator's clock on by `advance` seconds (messages grow older)."""
        body = await request.json()
        emulator.offset += float(body.get("advance", 0))
        return web.json_response({"offset": emulator.offset})

    @routes.get("/control/stats")
    async def control_stats(request: web.Request) -> web.Response:
        stats = {
            "calls": emulator.calls,
            "too_many_requests": emulator.too_many,
            "in_flight": emulator.in_flight,
        }
        return web.json_response(stats)

    app = web.Application()
    app.add_routes(routes)
    return app
