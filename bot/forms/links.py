"""The addresses of our Mini App pages: a form for the question on screen, and the page that shows a signal's
or a waakvlam's text. A form's address carries a token bound to the person, the flow, the step and the
version of the question: a post for anything else (another person, a question answered since) changes
nothing, and once the question is answered the version moves on, so the token is spent."""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from urllib.parse import quote

from bot.domain.outgoing import Buttons, web_app


@dataclass(frozen=True)
class FormLinks:
    base_url: str | None  # the region's server as Telegram's clients reach it (https://…); None: not set up
    key: bytes

    def token(self, user_id: int, flow: str, step: str, version: int) -> str:
        """The form token for this person's question (flow, step) as shown at `version`."""
        body = f"{user_id}:{flow}:{step}:{version}".encode()
        return base64.urlsafe_b64encode(hmac.digest(self.key, body, "sha256")[:18]).decode()

    def valid(self, token: str, user_id: int, flow: str, step: str, version: int) -> bool:
        """Whether `token` is the one for this person's question at this version (constant time)."""
        expected = self.token(user_id, flow, step, version)
        return hmac.compare_digest(expected.encode(), token.encode()[:64])

    def fill(self, user_id: int, flow: str, step: str, version: int) -> str | None:
        """The form for the question on screen; None when no public address is set."""
        if not self.base_url:
            return None
        return f"{self._base()}/formulier?v={version}&t={self.token(user_id, flow, step, version)}"

    def read(self, code: str) -> str | None:
        """The page that shows what may be read of a signal or a waakvlam (by its code)."""
        return f"{self._base()}/lees/{quote(code)}" if self.base_url else None

    def opens(self, label: str, code: str) -> Buttons:
        """A keyboard row with one button, `label`, that opens the reading page of `code` (none: not set up)."""
        url = self.read(code)
        return [[web_app(label, url)]] if url is not None else []

    def _base(self) -> str:
        return (self.base_url or "").rstrip("/")
