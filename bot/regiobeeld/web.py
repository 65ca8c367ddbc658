"""The regiobeeld page, served by the bot process: the personal link's landing, the page (Jinja2, charts
by Vega-Lite served from the package), a CSV of each table, and a plain 403 for everything not allowed."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.audit import record
from bot.accounts.refusals import source_of
from bot.domain.clock import Clock
from bot.domain.region import Region
from bot.regiobeeld.access import COOKIE, SESSION, Links, Sessions
from bot.regiobeeld.charts import charts
from bot.regiobeeld.figures import PERIODS, Figures, Filters, Scope, cell, figures, scope_of
from bot.regiobeeld.ladder_tables import ladder_tables
from bot.regiobeeld.tables import (
    Table,
    alerts_table,
    desks_table,
    filers_table,
    gemeenten_table,
    lights,
    months_table,
    outcomes_table,
    waakvlam_table,
)
from bot.views.i18n import Translator
from bot.views.summaries import CATEGORY_LABELS
from flows.text import N_, Msg
from storage.models import User
from storage.uow import UnitOfWork

HERE = Path(__file__).parent
STATIC = HERE / "static"
ASSETS = frozenset(p.name for p in STATIC.iterdir())
WORDS = {
    "title": N_("Regiobeeld"),
    "intro": N_(
        "Anonieme aantallen, nooit een naam of tekst. × is verborgen: 1 tot 4, of een aantal dat met andere "
        "cijfers (ook onder een filter) een klein aantal verraadt. Een percentage staat er pas bij 10 of meer."
    ),
    "signals": N_("Signalen per maand"),
    "by_gemeente": N_("Signalen per gemeente en categorie"),
    "alerts": N_("Acuut, terugval en meer dan één gemeente"),
    "alerts_note": N_(
        "Acuut: de melder kreeg 'bel 112' en er is niets opgeslagen. Terugval: een nieuw signaal vanuit een "
        "waakvlam. Ook andere gemeente: de melder zei dat het ook elders speelt."
    ),
    "filers": N_("Wie meldt"),
    "filers_note": N_("Per soort organisatie, over alle categorieën; nooit een naam."),
    "desks": N_("Meldpunten"),
    "outcomes": N_("Hoe de meldpunten afsloten"),
    "period": N_("Periode"),
    "months": N_("{n} maanden"),
    "all_gemeenten": N_("Alle gemeenten"),
    "all_categories": N_("Alle categorieën"),
    "show": N_("Tonen"),
    "csv": N_("Downloaden als CSV"),
    "for": N_("Voor {name}"),
    "waakvlam": N_("Waakvlam"),
    "live": N_("Nu actief: {active}, waarvan met risico: {at_risk}."),
    "ladder": N_("Los op of schaal op"),
    "ladder_note": N_(
        "Opschalingen langs de ladder van de gemeente, per reden en per trede, en de systeemknelpunten erbij."
    ),
    "samenloop": N_("Samenloop en routeeroverleg"),
}
FORBIDDEN = N_("Geen toegang. Vraag een nieuwe link met /regiobeeld in een privégesprek met de bot.")
NO_ACCESS = N_("Geen toegang")


@dataclass
class RegiobeeldWeb:
    region: Region
    tr: Translator
    clock: Clock
    sessions: async_sessionmaker[AsyncSession]
    links: Links
    cookies: Sessions
    secure: bool = True  # the cookie only over https (the sandbox serves http on loopback)

    def app(self) -> web.Application:
        """The regiobeeld's pages as an aiohttp application."""
        app = web.Application()
        self.add_routes(app)
        return app

    def add_routes(self, app: web.Application) -> None:
        """Add the login, the page, the CSV downloads and the static files."""
        app.router.add_get("/regiobeeld/login", self.login)
        app.router.add_get("/regiobeeld", self.page)
        app.router.add_get("/regiobeeld/{table}.csv", self.download)
        app.router.add_get("/regiobeeld/static/{name}", self.asset)

    async def login(self, request: web.Request) -> web.StreamResponse:
        # Behind Caddy the client is the first address it forwards; a source is kept only as a hash.
        """Exchange a personal link for a session cookie, once; refuse wrong or spent links."""
        source = source_of(request.headers.get("X-Forwarded-For", request.remote or "").split(",")[0].strip())
        if self.links.refusals.blocked(source, self.clock.now()):
            return self._forbidden("nl", status=429)  # too many wrong links: not even a look at the database
        async with UnitOfWork(self.sessions) as uow:
            user = await self.links.redeem(uow, request.query.get("t", ""), source)
            await uow.commit()
        if user is None:
            return self._forbidden("nl")
        response = web.Response(status=303, headers={"Location": "/regiobeeld", **_NO_STORE})
        response.set_cookie(
            COOKIE,
            self.cookies.make(user.id, self.clock.now()),
            max_age=int(SESSION.total_seconds()),
            httponly=True,
            samesite="Strict",
            secure=self.secure,
            path="/regiobeeld",
        )
        return response

    async def page(self, request: web.Request) -> web.StreamResponse:
        """The regiobeeld page for the person whose session this is, with their filters."""
        seen = await self._seen(request, "regiobeeld_viewed")
        if seen is None:
            return self._forbidden("nl")
        user, scope, filters, f = seen
        html = self.render(user, scope, filters, f, request.query_string)
        return web.Response(text=html, content_type="text/html", headers=_NO_STORE)

    def render(self, user: User, scope: Scope, filters: Filters, f: Figures, query: str = "") -> str:
        """The page for this person, these filters and these figures."""
        loc = user.locale
        return (
            _templates()
            .get_template("page.html")
            .render(
                t=lambda key, **p: self.tr.render(loc, Msg(WORDS[key], p)),
                lang=loc,
                who=user.display_name,
                filters=filters,
                periods=PERIODS,
                gemeenten=[(g, self.region.gemeente_name(g)) for g in scope.gemeenten],
                categories=[(c, self.tr.render(loc, Msg(label))) for c, label in CATEGORY_LABELS.items()],
                tables={t.name: t for t in self._tables(loc, f, scope)},
                counts=scope.counts,
                dots=list(lights(self.region, f).values()),
                query=query,
                live={"active": cell(f.active_now), "at_risk": cell(f.at_risk_now)},
                # Our own words and numbers only; "</" escaped all the same, so nothing can close the script.
                charts={
                    name: json.dumps(spec).replace("</", "<\\/")
                    for name, spec in charts(self.tr, loc, f).items()
                },
            )
        )

    async def download(self, request: web.Request) -> web.StreamResponse:
        """One table as CSV: exactly the rows the page shows, small numbers protected the same way."""
        seen = await self._seen(request, "regiobeeld_csv")
        if seen is None:
            return self._forbidden("nl")
        user, scope, _, f = seen
        table = {t.name: t for t in self._tables(user.locale, f, scope)}.get(request.match_info["table"])
        if table is None:
            raise web.HTTPNotFound()
        # As Dutch Excel opens it: semicolons (the comma is the decimal sign) and a byte-order mark, so
        # it reads the file as UTF-8 ("coördinator", "≤ 0,5 werkuur").
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(table.head)
        writer.writerows(table.rows)
        headers = {"Content-Disposition": f'attachment; filename="regiobeeld-{table.name}.csv"', **_NO_STORE}
        return web.Response(
            body=("\ufeff" + out.getvalue()).encode("utf-8"),
            content_type="text/csv",
            charset="utf-8",
            headers=headers,
        )

    async def asset(self, request: web.Request) -> web.StreamResponse:
        """One of the vendored static files, by its exact name."""
        name = request.match_info["name"]
        if name not in ASSETS:  # only the vendored files, by their exact names
            raise web.HTTPNotFound()
        return web.FileResponse(
            STATIC / name, headers={"Cache-Control": "public, max-age=86400", **_SECURITY}
        )

    def _tables(self, loc: str, f: Figures, scope: Scope) -> list[Table]:
        desks = [desks_table(self.tr, loc, self.region, f), outcomes_table(self.tr, loc, f)]
        if not scope.counts:  # desk staff: their desk's tables only
            return desks
        return [
            months_table(self.tr, loc, f),
            gemeenten_table(self.tr, loc, self.region, f),
            filers_table(self.tr, loc, f),
            alerts_table(self.tr, loc, f),
            *desks,
            waakvlam_table(self.tr, loc, f),
            *ladder_tables(self.tr, loc, self.region, f),
        ]

    async def _seen(self, request: web.Request, action: str) -> tuple[User, Scope, Filters, Figures] | None:
        """Who asks (by their session cookie), what they may see, and the figures the URL's filters ask
        for; audited. None without a valid session."""
        async with UnitOfWork(self.sessions) as uow:
            user_id = self.cookies.read(request.cookies.get(COOKIE, ""), self.clock.now())
            user = await uow.users.by_id(user_id) if user_id is not None else None
            scope = scope_of(self.region, user) if user is not None else None
            if user is None or scope is None:
                return None
            filters = Filters.read(dict(request.query), scope)
            f = await figures(uow, self.region, scope, filters, self.clock.now())
            await record(uow, self.clock, action, actor=user, months=filters.months, path=request.path)
            await uow.commit()
        return user, scope, filters, f

    def _forbidden(self, loc: str, status: int = 403) -> web.Response:
        html = (
            _templates()
            .get_template("forbidden.html")
            .render(
                lang=loc,
                title=self.tr.render(loc, Msg(WORDS["title"])),
                heading=self.tr.render(loc, Msg(NO_ACCESS)),
                text=self.tr.render(loc, Msg(FORBIDDEN)),
            )
        )
        return web.Response(status=status, text=html, content_type="text/html", headers=_NO_STORE)


# No script but our own files, no framing, no guessing of types; styles inline (Vega sets some itself).
_SECURITY = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
}
_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", **_SECURITY}


@cache
def _templates() -> Environment:
    """One environment: the template is compiled once."""
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
