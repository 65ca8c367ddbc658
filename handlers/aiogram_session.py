"""aiogram's HTTP session, sending each Bot API call as one JSON body instead of form fields, and taking
the outbox's calls as plain JSON both ways.

The Bot API takes both. aiogram builds a form field by field, each nested object dumped to its own JSON
string (6% of the bot's CPU under load in the profile); one JSON body is built in one pass. A call with a
file attached still goes as a form.

The outbox's own calls (send, edit, answer a button) skip aiogram's models altogether (`call`): aiogram
builds a pydantic model of the call, dumps it again, and parses Telegram's answer into a `Message` with
its chat and sender, where the outbox needs one number of it (BENCHMARKS.md, profile 19)."""

from __future__ import annotations

import json
from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiohttp import ClientTimeout, FormData, JsonPayload

JSON = {"Content-Type": "application/json"}


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def _loads(data: str | bytes) -> Any:
    """orjson, or the stdlib's json for what orjson refuses and Telegram may still send (a lone surrogate
    escaped in a text, "\\ud800"): bot/runtime/admission.py lets such an update in as unreadable rather
    than have it stop polling for everyone."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)


class JsonSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        # orjson reads and writes Telegram's JSON in a fraction of the stdlib's time (every call, every
        # batch of updates); aiogram takes any loader and dumper.
        super().__init__(**{"json_loads": _loads, "json_dumps": _dumps, **kwargs})

    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        """The call's parameters as a JSON body (None left out, as aiogram's form does)."""
        files: dict[str, Any] = {}
        body = self.prepare_value(method.model_dump(warnings=False), bot=bot, files=files, _dumps_json=False)
        if files:
            return super().build_form_data(bot, method)
        # aiohttp sends any payload given as `data`; aiogram only hands this on to `session.post`.
        return JsonPayload(body, dumps=self.json_dumps)  # type: ignore[return-value]

    async def call(
        self, bot: Bot, method: str, params: dict[str, Any], limit: float | None = None, exact: bool = False
    ) -> tuple[int, dict[str, Any]]:
        """Make one Bot API call with `params` as its JSON body; return the HTTP status and Telegram's
        answer as JSON. Network errors (aiohttp's, a timeout) and an answer that is not JSON are raised.
        `exact`: read the answer with the stdlib, whose numbers keep every digit (orjson reads a number past
        64 bits as a float): updates, which the inbox and both adapters must see as they came."""
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method)
        body = orjson.dumps(params)
        timeout = ClientTimeout(total=limit or self.timeout)
        async with session.post(url, data=body, headers=JSON, timeout=timeout) as resp:
            # JSON is UTF-8: no charset to guess
            answer = (json.loads if exact else self.json_loads)(await resp.read())
            return resp.status, answer if isinstance(answer, dict) else {}
