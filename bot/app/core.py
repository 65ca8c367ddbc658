"""Build the application from settings: one object graph, made at start-up, nothing at import time."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.accounts.registration import Registration
from bot.accounts.takedown import TakeDown
from bot.app.catalogue import Scheduled, Services, catalogue, due_work
from bot.app.scheduler import Periodic, build_scheduler
from bot.app.settings import Settings
from bot.domain.actions import CallbackCodec
from bot.domain.clock import Clock, SystemClock
from bot.domain.region import Region, load_region
from bot.forms.links import FormLinks
from bot.forms.web import FormsWeb
from bot.frontdesk.bus import Bus
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.personal import Personal
from bot.frontdesk.reading import Reader
from bot.frontdesk.registry import FlowRegistry
from bot.regie.ladder import Climbing
from bot.regie.leaving import regisseur_left
from bot.regie.links import RegieLinks
from bot.regie.reminders import Reminders
from bot.regie.routes import RegieRoutes
from bot.regiobeeld.access import Links, Sessions
from bot.regiobeeld.web import RegiobeeldWeb
from bot.regiobeeld.weekly import Weekly
from bot.runtime.due import DueRunner
from bot.runtime.host import HostConfig, Serving
from bot.runtime.transport import Limits
from bot.samenloop.routes import SamenloopRoutes
from bot.signals.aftercare import Aftercare
from bot.signals.asked_privately import AskPrivately
from bot.signals.closing import Closings
from bot.signals.desk import DeskService
from bot.signals.desk_gate import DeskChecks
from bot.signals.digest import Digests
from bot.signals.escalation import Escalator
from bot.signals.handover import HandOvers
from bot.signals.handover_chase import HandOverChase
from bot.signals.idle import IdleWatch
from bot.signals.info_requests import InfoRequests
from bot.signals.intake import IntakeService
from bot.signals.triage import Triaging
from bot.signals.viewing import Viewing
from bot.signals.werkvoorraad import Werkvoorraad
from bot.views.desk_card import DeskCards
from bot.views.i18n import Translator, load_catalogs
from bot.views.messenger import Messenger
from bot.waakvlam.answers import CheckInAnswers
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.common import WaakvlamBasis
from bot.waakvlam.reentry import ReEntry
from bot.waakvlam.routes import WaakvlamRoutes
from bot.waakvlam.setup import AgreementSetup
from bot.waakvlam.stewardship import Stewardship
from storage.crypto import Cipher, install
from storage.db import Database, make_sessionmaker, open_database
from storage.models import User
from storage.ports import Work


@dataclass
class Core:
    settings: Settings
    region: Region
    tr: Translator
    clock: Clock
    database: Database
    sessions: async_sessionmaker[AsyncSession]
    messenger: Messenger
    bus: Bus
    limits: Limits
    escalator: Escalator
    digests: Digests
    waakvlam: WaakvlamRoutes
    take_down: TakeDown
    chase: HandOverChase
    aftercare: Aftercare
    idle: IdleWatch
    regiobeeld: RegiobeeldWeb
    weekly: Weekly
    forms: FormsWeb
    regie: RegieRoutes
    samenloop: SamenloopRoutes

    def pages(self, wake: Callable[[], None]) -> web.Application:
        """The web pages: the regiobeeld, and the forms and reading pages of text about residents."""
        app = self.regiobeeld.app()
        self.forms.add_routes(app, wake)
        return app

    def due_runner(self, on_commit: Callable[[], None] = lambda: None) -> DueRunner:
        """The runner of due work, with a handler for each kind."""
        scheduled = Scheduled(
            self.escalator,
            self.digests,
            self.chase,
            self.aftercare,
            self.idle,
            self.weekly,
            self.waakvlam.checkins,
            self.regie,
            self.samenloop,
        )
        lease = timedelta(seconds=self.settings.due_lease_seconds)
        return DueRunner(self.sessions, self.clock, due_work(scheduled), on_commit, lease)

    def periodic(self) -> Periodic:
        """What the periodic jobs need of the application."""
        return Periodic(
            self.sessions,
            self.clock,
            self.region.info.timezone,
            self.region.escalation.digest_time,
            self.settings.retention_policy(),
            self.take_down,
            self.digests,
            self.weekly,
        )

    async def close(self) -> None:
        """Close the database connections."""
        await self.database.close()

    def serving(self) -> Serving:
        """What the host (bot/runtime) needs from the application, as plain parts."""
        s = self.settings
        config = HostConfig(
            token=s.telegram_token.get_secret_value() if s.telegram_token else "",
            api_base=s.api_base,
            mode=s.mode,
            update_concurrency=s.update_concurrency,
            sender_burst=s.sender_burst,
            sender_per_second=s.sender_per_second,
            webhook_url=s.webhook_url,
            webhook_listen=s.webhook_listen,
            webhook_port=s.webhook_port,
            webhook_secret=s.webhook_secret.get_secret_value() if s.webhook_secret else "",
            default_locale=s.default_locale,
            web_listen=s.web_listen,
            web_port=s.web_port,
            instance=s.instance_name,
            metrics=s.metrics,
        )
        return Serving(
            self.sessions,
            self.clock,
            self.messenger,
            self.tr,
            self.limits,
            self.bus.serve,
            lambda wake: build_scheduler(self.periodic(), self.due_runner(wake)),
            config,
            self.pages,
        )


def index_key(settings: Settings) -> bytes:
    """The key of the resident blind index, derived from the signing key (so keep that one stable)."""
    return hmac.new(
        settings.secret_key.get_secret_value().encode(), b"resident-index", hashlib.sha256
    ).digest()


def build_core(settings: Settings, clock: Clock | None = None) -> Core:
    """Load the region and catalogs, connect the database and wire the services."""
    clock = clock or SystemClock()
    install(Cipher(settings.data_key_list()))
    region = load_region(settings.region_file)
    tr = Translator(load_catalogs(), region.info.timezone)
    secret = settings.secret_key.get_secret_value().encode()
    codec = CallbackCodec(secret)
    database = open_database(settings.database_url, settings.database_pool_size)
    sessions = make_sessionmaker(database.engine)
    messenger = Messenger(clock)
    flows = FlowRegistry()  # each service registers its flows below, once built
    forms = FormLinks(
        settings.public_url or settings.web_url, hmac.new(secret, b"form-token", hashlib.sha256).digest()
    )
    runner = ConversationRunner(flows, tr, codec, clock, messenger, forms)
    cards = DeskCards(region, tr, codec)
    regie_links = RegieLinks(region, tr, clock, messenger, forms, codec)
    desk = DeskService(region, tr, clock, messenger, cards, regie_links)
    info = InfoRequests(region, tr, clock, messenger, runner, desk)
    viewing = Viewing(region, tr, clock)
    climbing = Climbing(regie_links, runner, viewing)
    reminders = Reminders(regie_links, runner, viewing)
    chase = HandOverChase(region, tr, clock, messenger, climbing.stalled)
    ask = AskPrivately(region, tr, runner, desk)
    idle = IdleWatch(region, tr, clock, messenger, cards, climbing.stalled)
    handovers = HandOvers(region, tr, clock, messenger, desk, chase, ask, idle)
    escalator = Escalator(region, tr, clock, messenger, climbing.stalled)
    triaging = Triaging(region, tr, clock, messenger, desk)
    digests = Digests(region, tr, clock, messenger, triaging.monday)
    residents = index_key(settings)
    samenloop = SamenloopRoutes.build(regie_links, runner, desk, climbing)
    intake = IntakeService(region, runner, tr, clock, messenger, residents, desk, escalator, samenloop)
    basis = WaakvlamBasis(region, tr, codec, clock, messenger)
    checkins = CheckIns(basis)
    setup = AgreementSetup(basis, runner, checkins, residents, samenloop.keys)
    answers = CheckInAnswers(basis, checkins, runner, ReEntry(desk, escalator))
    waakvlam = WaakvlamRoutes(basis, checkins, setup, answers, Stewardship(basis, runner, checkins, setup))
    werkvoorraad = Werkvoorraad(region, tr, clock, desk, reminders.lines)
    aftercare = Aftercare(region, tr, clock, messenger, desk)
    closings = Closings(tr, clock, messenger, desk, ask, aftercare)

    async def left(uow: Work, person: User) -> None:
        """What a deactivated person held goes back: their waakvlammen and their regies."""
        await setup.owner_left(uow, person)
        await regisseur_left(regie_links, uow, person)

    accounts = Registration(region, clock, left, tr, messenger, runner)
    regie = RegieRoutes.build(
        regie_links, runner, ask, desk, viewing, climbing, reminders, setup, samenloop.keys
    )
    flows.add(*intake.flows(), *info.flows(), *handovers.flows(), *closings.flows(), *waakvlam.flows())
    flows.add(*regie.flows(), *samenloop.flows())
    flows.add(*accounts.flows())
    links = Links(region, clock, settings.web_url)
    cookies = Sessions(hmac.new(secret, b"regiobeeld-session", hashlib.sha256).digest())
    web = RegiobeeldWeb(
        region, tr, clock, sessions, links, cookies, (settings.web_url or "").startswith("https")
    )
    stewardship = waakvlam.stewardship
    personal = Personal(
        clock, runner, intake, viewing, accounts, links, werkvoorraad, info, setup, stewardship, forms
    )
    services = Services(
        personal,
        desk,
        handovers,
        closings,
        info,
        werkvoorraad,
        aftercare,
        idle,
        waakvlam,
        regie,
        samenloop,
        triaging,
    )
    bus = Bus(
        region,
        tr,
        clock,
        messenger,
        Reader(codec),
        DeskChecks(region, tr, clock, desk, idle),
        catalogue(services),
        settings.default_locale,
    )
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    readers = {
        "R-": regie.cards.page,
        "E-": regie.deciding.page,
        "O-": samenloop.overleggen.page,
        "A-": samenloop.advice.page,
    }
    review = samenloop.keys.review  # a match key becomes its pseudonyms before anything keeps it
    pages = FormsWeb(tr, clock, sessions, token, forms, flows, bus.serve, viewing, basis, readers, review)
    limits = Limits(
        per_second=settings.rate_per_second,
        burst=settings.rate_burst,
        chat_burst=settings.rate_per_chat_burst,
        group_per_minute=settings.rate_per_group_minute,
        lease_seconds=settings.outbox_lease_seconds,
    )
    return Core(
        settings,
        region,
        tr,
        clock,
        database,
        sessions,
        messenger,
        bus,
        limits,
        escalator,
        digests,
        waakvlam,
        TakeDown(region, tr, messenger, settings.default_locale),
        chase,
        aftercare,
        idle,
        web,
        Weekly(region, tr, clock, messenger),
        pages,
        regie,
        samenloop,
    )
