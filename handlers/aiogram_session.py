"""aiogram's HTTP session, sending each Bot API call as one JSON body instead of form fields, and taking
the outbox's calls as plain JSON both ways.

The Bot API takes both. aiogram builds a form field by field, each nested object dumped to its own JSON
string (6% of the bot's CPU under load in the profile); one JSON body is built in one pass. A call with a
file attached still goes as a form.

The outbox's own calls (send, edit, answer a button) skip aiogram's models altogether (`call`): aiogram
builds a pydantic model of the call, dumps it again, and parses Telegram's answer into a `Message` with
its chat and sender, where the outbox needs one number of it (BENCHMARKS.md, profile 19)."""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiohttp import ClientTimeout, FormData, JsonPayload

JSON = {"Content-Type": "application/json"}


class JsonSession(AiohttpSession):
    def build_form_data(self, bot: Bot, method: TelegramMethod[Any]) -> FormData:
        """The call's parameters as a JSON body (None left out, as aiogram's form does)."""
        files: dict[str, Any] = {}
        body = self.prepare_value(method.model_dump(warnings=False), bot=bot, files=files, _dumps_json=False)
        if files:
            return super().build_form_data(bot, method)
        # aiohttp sends any payload given as `data`; aiogram only hands this on to `session.post`.
        return JsonPayload(body, dumps=self.json_dumps)  # type: ignore[return-value]

    async def call(
        self, bot: Bot, method: str, params: dict[str, Any], limit: float | None = None
    ) -> tuple[int, dict[str, Any]]:
        """Make one Bot API call with `params` as its JSON body; return the HTTP status and Telegram's
        answer as JSON. Network errors (aiohttp's, a timeout) and an answer that is not JSON are raised."""
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method)
        body = self.json_dumps(params).encode()
        timeout = ClientTimeout(total=limit or self.timeout)
        async with session.post(url, data=body, headers=JSON, timeout=timeout) as resp:
            answer = self.json_loads(await resp.read())  # JSON is UTF-8: no charset to guess
            return resp.status, answer if isinstance(answer, dict) else {}
