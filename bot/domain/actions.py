"""Button data: version and value, signed and bound to one user, always within Telegram's 64 bytes."""

from __future__ import annotations

import base64
import hmac
from dataclasses import dataclass
from functools import cached_property

MAX_BYTES = 64
SIG_CHARS = 11
# A version is a row counter: nine digits are far more than a signal or conversation ever reaches.
VERSION_DIGITS = 9


# A button's context: a desk's action on a signal, a waakvlam action on an agreement or check-in, or an
# answer to a regie request.
DESK_BUTTON, WAAKVLAM_BUTTON, REGIE_BUTTON = "d", "w", "r"
OVERLEG_BUTTON = "o"  # a routeeroverleg's card, and a samenloop notice's Routeeroverleg
ADVICE_BUTTON = "a"  # an advice question (/advies): read, answer, turn into a signal
CONTEXTS = frozenset({DESK_BUTTON, WAAKVLAM_BUTTON, REGIE_BUTTON, OVERLEG_BUTTON, ADVICE_BUTTON})
TARGET_DIGITS = 18


@dataclass(frozen=True)
class Action:
    """What a desk or waakvlam button does, as data: its context, its kind (`pick`, `out`, `acc`, …), the row
    it acts on, and a choice where it has one (the outcome, the desk to hand over to). As button data:
    `d.out.help.7`, `w.ok.12`; conversation buttons carry a flow's own values instead."""

    context: str
    kind: str
    target: int
    choice: str = ""

    def value(self) -> str:
        """The action as a button's value: `d.pick.7`, `d.hs.no.7`, `w.ok.12`."""
        return ".".join([self.context, self.kind, *([self.choice] if self.choice else []), str(self.target)])

    @classmethod
    def parse(cls, value: str) -> Action | None:
        """The action a button's value names; None for anything else (a flow's value, or malformed)."""
        parts = value.split(".")
        if len(parts) not in (3, 4) or parts[0] not in CONTEXTS or not all(parts):
            return None
        target = parts[-1]
        if not (target.isascii() and target.isdecimal() and len(target) <= TARGET_DIGITS):
            return None
        return cls(parts[0], parts[1], int(target), parts[2] if len(parts) == 4 else "")


@dataclass(frozen=True)
class Pressed:
    version: int
    value: str

    @cached_property
    def action(self) -> Action | None:
        """The desk or waakvlam action this press names (read once, however many look)."""
        return Action.parse(self.value)


class CallbackCodec:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("callback secret too short")
        self._secret = secret

    def encode(self, scope: int, version: int, value: str) -> str:
        """Make button data for `scope` (the user who may press it)."""
        body = f"{version}|{value}"
        data = f"{body}|{self._sign(scope, body)}"
        if len(data.encode()) > MAX_BYTES or "|" in value:
            raise ValueError(f"callback value too long or malformed: {value!r}")
        return data

    def decode(self, scope: int, data: str) -> Pressed | None:
        """Read button data pressed by `scope`; None when forged, foreign or malformed."""
        # Anything a client can put in a button press is refused here, never raised: non-ASCII data (which
        # `compare_digest` refuses with TypeError), data over Telegram's 64 bytes, a version that is no number.
        if not data.isascii() or len(data) > MAX_BYTES:
            return None
        parts = data.split("|")
        if len(parts) != 3:
            return None
        version, value, sig = parts
        if not (version.isdecimal() and len(version) <= VERSION_DIGITS):
            return None
        if not hmac.compare_digest(sig.encode(), self._sign(scope, f"{version}|{value}").encode()):
            return None
        return Pressed(int(version), value)

    def _sign(self, scope: int, body: str) -> str:
        mac = hmac.digest(self._secret, f"{scope}|{body}".encode(), "sha256")  # one call into OpenSSL
        return base64.urlsafe_b64encode(mac).decode()[:SIG_CHARS]
