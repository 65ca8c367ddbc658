"""Our Mini App pages, served by the bot process on the region's server: the form where a person types what a
question asks about a resident, and the page that shows a signal's text to whoever may read it. Telegram
only carries the button that opens them; the text goes from the phone to here, over HTTPS, and back.

Every post carries Telegram's signed launch data (bot/forms/initdata.py), refused (403, audited) without a
valid, fresh one of an active person, and its question's token (bot/forms/links.py): spent once answered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.audit import record
from bot.domain.access import may_read_agreement
from bot.domain.clock import Clock
from bot.domain.incoming import Posted, Sender
from bot.forms import initdata
from bot.forms.links import FormLinks
from bot.frontdesk.registry import FlowRegistry
from bot.signals.viewing import Viewing
from bot.views.i18n import Translator
from bot.waakvlam.common import WaakvlamBasis
from flows import form, pii
from flows.keyboard import FOUND_ITEM, KEEP_LABEL, PII_FOUND, REDACT_LABEL, prompt_of
from flows.model import MaxLength, Step
from flows.state import Filled, State
from flows.text import N_, Msg
from storage.models import User
from storage.repositories import StaleState
from storage.uow import UnitOfWork

HERE = Path(__file__).parent
STATIC = HERE / "static"
ASSETS = frozenset(p.name for p in STATIC.iterdir())
LONGEST_POST = 64 * 1024  # a form's text is at most a few thousand characters
NO_AGREEMENT = N_("Deze waakvlam bestaat niet, of u mag hem niet inzien.")
NO_PAGE = N_("Dit bestaat niet, of u mag het niet inzien.")
WORDS = {
    "title": N_("Waakvlam: formulier"),
    "read_title": N_("Waakvlam: signaal"),
    "loading": N_("Het formulier wordt geopend…"),
    "noscript": N_("Open deze pagina vanuit de chat met de bot, in Telegram."),
    "send": N_("Versturen"),
    "hint": N_("Alleen dit formulier ziet uw tekst; hij blijft op de server van de regio, niet in Telegram."),
    "reason": N_(
        "Of geef een korte reden waarom het meldpunt deze gegevens nodig heeft, en tik Toch bewaren:"
    ),
    "sent": N_("Ingevuld ✓"),
    "sent_text": N_("Ga terug naar de chat: daar staat de volgende vraag."),
    "refused": N_("Geen toegang"),
    "refused_text": N_("Open het formulier opnieuw vanuit de chat met de bot, in Telegram."),
    "stale": N_("Al ingevuld of verlopen"),
    "stale_text": N_("Deze vraag is al beantwoord of niet meer open. Kijk in de chat met de bot."),
}


@dataclass
class FormsWeb:
    tr: Translator
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]
    token: str  # the bot's token: Telegram signs the launch data with a key derived from it
    links: FormLinks
    flows: FlowRegistry
    serve: Callable[[UnitOfWork, Posted], Any]
    viewing: Viewing
    basis: WaakvlamBasis
    # Pages by code prefix (R-: a regie, E-: an escalation; bot/regie): None when not this person's to read.
    pages: Mapping[str, Callable[[UnitOfWork, User, str], Awaitable[str | None]]]
    review: Callable[[Step, Filled], form.Problem | form.Found | form.Ready] = form.review

    def add_routes(self, app: web.Application, wake: Callable[[], None]) -> None:
        """The form, the reading page and their static files, on the pages' application."""
        self._wake = wake
        app.router.add_get("/formulier", self.opening)
        app.router.add_post("/formulier", self.submit)
        app.router.add_get("/lees/{code}", self.opening)
        app.router.add_post("/lees/{code}", self.read)
        app.router.add_get("/forms/static/{name}", self.asset)

    async def opening(self, request: web.Request) -> web.StreamResponse:
        """The page Telegram opens: it posts the signed launch data (from the address's fragment) at once."""
        hidden = [(k, v) for k, v in request.query.items() if k in ("v", "t")]
        return self._page("opening.html", "nl", action=request.path, hidden=hidden)

    async def submit(self, request: web.Request) -> web.StreamResponse:
        """Open the form for the question on screen, or take what was typed on it."""
        post = await _post(request)
        try:
            return await self._submit(post, request.path)
        except StaleState:  # the conversation moved on in the chat at the same moment: nothing taken
            return self._message("nl", "stale", "stale_text", status=409)

    async def _submit(self, post: dict[str, str], path: str) -> web.StreamResponse:
        async with UnitOfWork(self.sessions) as uow:
            user = await self._who(uow, post, path)
            if user is None:
                await uow.commit()
                return self._refused()
            row = await uow.conversations.get(user.telegram_id, user.telegram_id)
            state = State.from_dict(row.state) if row is not None else None
            version = int(post["v"]) if post.get("v", "").isdecimal() and len(post["v"]) < 10 else -1
            if state is None or not self._current(user, state, version, post.get("t", "")):
                await record(uow, self.clock, "form_refused", actor=user, reason="stale")
                await uow.commit()
                return self._message(user.locale, "stale", "stale_text", status=409)
            step = self.flows[state.flow].flow.step(state.step)
            filled = Filled(version, post.get("text", ""), post.get("choice", ""), post.get("reason", ""))
            if post.get("action") != "send":
                return self._form(user, state, post, filled)
            checked = self.review(step, filled)
            if not isinstance(checked, form.Ready):
                return self._form(user, state, post, filled, checked)
            sender = Sender(user.telegram_id, user.display_name, user.telegram_id, True)
            text = checked.text if step.match_key else filled.text  # a match key goes on as its pseudonyms
            answer = await self.serve(uow, Posted(sender, version, text, filled.choice, filled.reason))
            if answer:  # the flow moved on meanwhile: nothing taken
                await uow.rollback()
                return self._message(user.locale, "stale", "stale_text", status=409)
            await record(uow, self.clock, "form_sent", actor=user, flow=state.flow, step=state.step)
            row = await uow.conversations.get(user.telegram_id, user.telegram_id)
            await uow.commit()
        self._wake()
        after = State.from_dict(row.state) if row is not None else None
        if (
            after is not None
            and after.flow in self.flows
            and form.on_form(self.flows[after.flow].flow.step(after.step))
        ):
            # The next question is typed too (the reference, then the area, then the description): it
            # follows on the same page, one tap instead of going back to the chat for its button.
            token = self.links.token(user.telegram_id, after.flow, after.step, after.version)
            return self._form(
                user,
                after,
                {"init_data": post.get("init_data", ""), "t": token},
                Filled(after.version, ""),
                sent=True,
            )
        return self._message(user.locale, "sent", "sent_text", close=True)

    async def read(self, request: web.Request) -> web.StreamResponse:
        """A signal's text, for whoever may read it (audited as `/signaal REF` was): the same page for an
        unknown and a forbidden code."""
        post = await _post(request)
        async with UnitOfWork(self.sessions) as uow:
            user = await self._who(uow, post, request.path)
            if user is None:
                await uow.commit()
                return self._refused()
            code = request.match_info["code"][:20].upper()
            if code.startswith("W-"):
                text = await self._agreement(uow, user, code)
            elif (page := self.pages.get(code[:2])) is not None:
                text = await page(uow, user, code) or self.tr.render(user.locale, Msg(NO_PAGE))
            else:
                text = await self.viewing.details(uow, user, code)
            await uow.commit()
        return self._page(
            "read.html",
            user.locale,
            title=self._t(user.locale, "read_title"),
            heading=request.match_info["code"][:20],
            body=text,
        )

    async def _agreement(self, uow: UnitOfWork, user: User, code: str) -> str:
        """A waakvlam as its contact person, its gemeente's coordinators and who set it up read it: with who
        it is about and the warning signs written down; audited."""
        agreement = await uow.agreements.by_ref(code)
        if agreement is None or not may_read_agreement(user, agreement):
            await record(uow, self.clock, "agreement_view_refused", actor=user, subject=code)
            return self.tr.render(user.locale, Msg(NO_AGREEMENT))
        await record(uow, self.clock, "agreement_viewed", actor=user, subject=code)
        return await self.basis.describe(uow, user.locale, agreement, full=True)

    async def asset(self, request: web.Request) -> web.StreamResponse:
        """The form's own style sheet and script, by exact name."""
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC / name, headers={"Cache-Control": "public, max-age=3600", **_SECURITY})

    async def _who(self, uow: UnitOfWork, post: dict[str, str], path: str) -> User | None:
        """The registered, active person whose Telegram signed this post's launch data; refusals audited."""
        telegram_id = initdata.verify(self.token, post.get("init_data", ""), self.clock.now())
        user = await uow.sender(telegram_id, telegram_id) if telegram_id is not None else None
        if user is None or not user.active:
            await record(
                uow,
                self.clock,
                "form_refused",
                reason="signature" if telegram_id is None else "unknown",
                path=path[:40],
            )
            return None
        return user

    def _current(self, user: User, state: State, version: int, token: str) -> bool:
        """Whether the post is for the question on screen now, by this person, with its token."""
        if state.version != version or state.flow not in self.flows:
            return False
        step = self.flows[state.flow].flow.step(state.step)
        return form.on_form(step) and self.links.valid(
            token, user.telegram_id, state.flow, state.step, version
        )

    def _form(
        self,
        user: User,
        state: State,
        post: dict[str, str],
        filled: Filled,
        checked: form.Problem | form.Found | None = None,
        sent: bool = False,
    ) -> web.Response:
        loc, step = user.locale, self.flows[state.flow].flow.step(state.step)
        limit = next((v.limit for v in step.validators if isinstance(v, MaxLength)), 2000)
        found = ""
        if isinstance(checked, form.Found):
            items = tuple(
                Msg(FOUND_ITEM, {"kind": Msg(pii.LABELS[f.kind]), "value": f.masked})
                for f in checked.findings
            )
            marks = ", ".join(dict.fromkeys(pii.PLACEHOLDERS[f.kind] for f in checked.findings))
            found = self.tr.render(loc, Msg(PII_FOUND, {"found": items, "placeholders": marks}))
        return self._page(
            "form.html",
            loc,
            title=self._t(loc, "title"),
            prompt=self.tr.render(loc, prompt_of(step, state)),
            multiline=step.multiline or limit > 200,
            limit=limit,
            text=filled.text if post.get("action") == "send" else "",
            reason=filled.reason,
            init_data=post.get("init_data", ""),
            version=state.version,
            token=post.get("t", ""),
            hint=self._t(loc, "hint"),
            send=self._t(loc, "send"),
            problem=self.tr.render(loc, checked.message) if isinstance(checked, form.Problem) else "",
            found=found,
            reason_label=self._t(loc, "reason"),
            redact=self.tr.render(loc, Msg(REDACT_LABEL)),
            keep=self.tr.render(loc, Msg(KEEP_LABEL)),
            sent=self._t(loc, "sent") if sent else "",
        )

    def _message(
        self, loc: str, heading: str, text: str, status: int = 200, close: bool = False
    ) -> web.Response:
        t = self._t(loc, heading)
        return self._page(
            "message.html", loc, status, title=t, heading=t, text=self._t(loc, text), close=close
        )

    def _refused(self) -> web.Response:
        return self._message("nl", "refused", "refused_text", status=403)

    def _t(self, loc: str, key: str) -> str:
        return self.tr.render(loc, Msg(WORDS[key]))

    def _page(self, name: str, loc: str, status: int = 200, **values: Any) -> web.Response:
        values.setdefault("title", self._t(loc, "title"))
        values.setdefault("loading", self._t(loc, "loading"))
        values.setdefault("noscript", self._t(loc, "noscript"))
        html = _templates().get_template(name).render(lang=loc, **values)
        return web.Response(status=status, text=html, content_type="text/html", headers=_NO_STORE)


async def _post(request: web.Request) -> dict[str, str]:
    """A form post's fields as text (anything else, or too much, is not read)."""
    if request.content_length is not None and request.content_length > LONGEST_POST:
        raise web.HTTPRequestEntityTooLarge(max_size=LONGEST_POST, actual_size=request.content_length)
    data = await request.post()
    return {k: v for k, v in data.items() if isinstance(v, str)}


# Our own script and styles only; framed only by Telegram's web client (and the sandbox's own page); no
# caching of a page that may show a resident's text.
_SECURITY = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'self' https://web.telegram.org"
    ),
    "X-Content-Type-Options": "nosniff",
}
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", **_SECURITY}


@cache
def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
