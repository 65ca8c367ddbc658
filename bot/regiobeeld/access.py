"""Getting into the regiobeeld without a password: `/regiobeeld` in a private chat gives a personal link,
single use and valid 15 minutes, that starts a session (a signed cookie, 8 hours). Only a token's hash is
stored; the cookie carries the user's id and its end, signed with a key derived from the signing key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.accounts.audit import record
from bot.accounts.refusals import Refusals, Verdict
from bot.domain.clock import Clock
from bot.domain.region import Region
from bot.regiobeeld.figures import scope_of
from flows.text import N_, Msg
from storage.models import LoginLink, User
from storage.ports import Work

LINK_VALID = timedelta(minutes=15)
SESSION = timedelta(hours=8)
COOKIE = "regiobeeld"
LINK = N_(
    "📊 Uw persoonlijke link naar het regiobeeld: {url}\n"
    "Eén keer te gebruiken en 15 minuten geldig; daarna bent u 8 uur ingelogd. Deel hem niet."
)
OPEN_REGIOBEELD = N_("Regiobeeld openen")
NOT_FOR_YOU = N_("Het regiobeeld is er voor coördinatoren, meldpuntmedewerkers en beheerders.")
PRIVATE_ONLY = N_("Vraag het regiobeeld aan in een privégesprek met de bot: de link is persoonlijk.")
NOT_SET_UP = N_("Het regiobeeld is op deze installatie niet ingesteld (WAAKVLAM_WEB_URL).")


def digest(token: str) -> str:
    """The hash a login token is kept as."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Sessions:
    """Signed session cookies: `user id . end (unix seconds) . signature`."""

    key: bytes

    def make(self, user_id: int, now: datetime) -> str:
        """A signed session cookie for this person, valid for the session's length."""
        body = f"{user_id}.{int((now + SESSION).timestamp())}"
        return f"{body}.{self._sign(body)}"

    def read(self, cookie: str, now: datetime) -> int | None:
        """The user a cookie was made for, if it is intact and not past its end; None for anything else."""
        parts = cookie.split(".")
        if len(parts) != 3 or not (parts[0].isdecimal() and parts[1].isdecimal()) or len(cookie) > 100:
            return None
        body = f"{parts[0]}.{parts[1]}"
        if not hmac.compare_digest(parts[2].encode(), self._sign(body).encode()):
            return None
        return int(parts[0]) if int(parts[1]) > now.timestamp() else None

    def _sign(self, body: str) -> str:
        mac = hmac.new(self.key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac).decode().rstrip("=")


@dataclass
class Links:
    region: Region
    clock: Clock
    base_url: str | None  # where the web page is served, as people reach it; None: not set up
    refusals: Refusals = field(default_factory=Refusals)

    async def ask(self, uow: Work, user: User, private: bool) -> tuple[Msg, str | None]:
        """`/regiobeeld`: a personal link for whoever may see a part of the region, privately; with the
        words, the address for the button that opens it (None when refused)."""
        if scope_of(self.region, user) is None:
            return Msg(NOT_FOR_YOU), None
        if not private:
            return Msg(PRIVATE_ONLY), None
        if not self.base_url:
            return Msg(NOT_SET_UP), None
        token, now = secrets.token_urlsafe(24), self.clock.now()
        await uow.logins.add(
            LoginLink(token_hash=digest(token), user_id=user.id, created_at=now, expires_at=now + LINK_VALID)
        )
        await record(uow, self.clock, "regiobeeld_link", actor=user)
        url = f"{self.base_url.rstrip('/')}/regiobeeld/login?t={token}"
        return Msg(LINK, {"url": url}), url

    async def redeem(self, uow: Work, token: str, source: str = "") -> User | None:
        """Spend a link: its user, once, within its 15 minutes; every login audited, refusals per source and
        window (`bot.accounts.refusals`)."""
        user_id = await uow.logins.use(digest(token[:100]), self.clock.now()) if token else None
        user = await uow.users.by_id(user_id) if user_id is not None else None
        if user is None or scope_of(self.region, user) is None:
            verdict, count = self.refusals.refused(source, self.clock.now())
            if verdict is Verdict.RECORD:
                await record(uow, self.clock, "regiobeeld_login_refused", source=source, count=count)
            return None
        await record(uow, self.clock, "regiobeeld_login", actor=user)
        return user
