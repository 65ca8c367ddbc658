"""Everything the bot can do, in one table: each command, what it needs before it runs, and what runs it;
and below it, what runs each kind of due work.

Needs are checked once, by the bus (bot/frontdesk/bus.py), in this order: a registered, active person
(`/start` needs none); the role (`may`, refused with `refused`); the chat (`chat`, refused with `elsewhere`);
for a desk's button, the desk gate (works there, signal routed there, button current, action allowed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from bot.domain import commands as c
from bot.domain import jobs as j
from bot.domain import overleg_commands as o
from bot.domain import regie_commands as r
from bot.domain import signal_commands as s
from bot.domain import waakvlam_commands as w
from bot.domain.access import at_a_desk, can_file, may_oversee, may_set_up
from bot.frontdesk import replies
from bot.frontdesk.bus import Chat, Entry, Handler, Needs
from bot.frontdesk.personal import Personal
from bot.regie.routes import RegieRoutes
from bot.regiobeeld.weekly import Weekly
from bot.runtime.due import Handlers
from bot.samenloop.routes import SamenloopRoutes
from bot.signals.aftercare import Aftercare
from bot.signals.closing import Closings
from bot.signals.desk import DeskService
from bot.signals.digest import Digests
from bot.signals.escalation import Escalator
from bot.signals.handover import HandOvers
from bot.signals.handover_chase import HandOverChase
from bot.signals.idle import IdleWatch
from bot.signals.info_requests import InfoRequests
from bot.signals.triage import Triaging
from bot.signals.werkvoorraad import DESK_ONLY, Werkvoorraad
from bot.waakvlam.checkins import CheckIns
from bot.waakvlam.overview import COORDINATORS_ONLY
from bot.waakvlam.routes import WaakvlamRoutes
from bot.waakvlam.setup import NOT_ALLOWED
from bot.waakvlam.setup import PRIVATE_ONLY as WAAKVLAM_PRIVATE_ONLY

C = TypeVar("C", bound=c.Command)
MEMBER = Needs()
PRIVATE = Needs(chat=Chat.PRIVATE)
AT_DESK = Needs(desk=True)


@dataclass(frozen=True)
class Services:
    """The services the catalogue's handlers call."""

    personal: Personal
    desk: DeskService
    handovers: HandOvers
    closings: Closings
    info: InfoRequests
    werkvoorraad: Werkvoorraad
    aftercare: Aftercare
    idle: IdleWatch
    waakvlam: WaakvlamRoutes
    regie: RegieRoutes
    samenloop: SamenloopRoutes
    triaging: Triaging


def catalogue(x: Services) -> Mapping[type[c.Command], Entry[Any]]:
    """The one table: command → (needs, handler)."""
    p, wv = x.personal, x.waakvlam
    setup, steward = wv.setup, wv.stewardship
    table: dict[type[c.Command], Entry[Any]] = {}

    def on(kind: type[C], needs: Needs, run: Handler[C]) -> None:
        table[kind] = Entry(needs, run)

    # Typed, in the order /help lists them.
    on(c.Start, Needs(registered=False), p.start)
    on(
        c.FileSignal,
        Needs(may=can_file, refused=replies.NOT_FOR_ROLE, chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY),
        p.file_signal,
    )
    on(c.ShowSignal, Needs(chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY_DETAILS), p.show_signal)
    on(c.ListMine, MEMBER, p.list_mine)
    on(c.AnswerLater, Needs(chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY_ANSWER), p.answer_later)
    on(
        c.ListOpen,
        Needs(may=at_a_desk, refused=DESK_ONLY, chat=Chat.OWN_DESK, elsewhere=replies.OWN_DESK_ONLY),
        p.list_open,
    )
    on(
        c.SetUpWaakvlam,
        Needs(chat=Chat.PRIVATE, elsewhere=WAAKVLAM_PRIVATE_ONLY, may=may_set_up, refused=NOT_ALLOWED),
        p.set_up_waakvlam,
    )
    on(c.ListWaakvlammen, Needs(may=may_oversee, refused=COORDINATORS_ONLY), p.list_waakvlammen)
    on(r.ListRegie, MEMBER, x.regie.show)
    on(r.AskRegie, Needs(chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY_COMMAND), x.regie.ask)
    on(r.ScaleUp, Needs(chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY_COMMAND), x.regie.scale_up)
    on(r.RemindMe, Needs(chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY_COMMAND), x.regie.remind)
    on(o.AskAdvice, Needs(chat=Chat.PRIVATE, elsewhere=replies.PRIVATE_ONLY_COMMAND), x.samenloop.ask_advice)
    on(c.Deactivate, PRIVATE, p.deactivate)
    on(c.OpenRegiobeeld, MEMBER, p.open_regiobeeld)
    on(c.SetLanguage, MEMBER, p.set_language)
    on(c.Help, MEMBER, p.help)
    # A conversation's own inputs.
    on(c.Reply, MEMBER, p.reply)
    on(c.Fill, PRIVATE, p.fill)
    on(c.Back, MEMBER, p.back)
    on(c.Cancel, MEMBER, p.cancel)
    on(c.Choose, MEMBER, p.choose)
    on(c.Unsupported, MEMBER, p.unsupported)
    on(c.ForgedButton, MEMBER, p.forged)
    # A desk's buttons on a signal.
    on(s.ReadSignal, AT_DESK, p.read_signal)
    on(s.PickUp, AT_DESK, lambda ctx, _: x.desk.pick_up(ctx.uow, ctx.me, *ctx.at_desk))
    on(s.AskInfo, AT_DESK, lambda ctx, _: x.info.ask(ctx.uow, ctx.me, ctx.at_desk[0], ctx.at_desk[1].ref))
    on(
        s.HandOver,
        AT_DESK,
        lambda ctx, _: x.handovers.start(ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id),
    )
    on(s.AcceptHandOver, AT_DESK, lambda ctx, _: x.handovers.accept(ctx.uow, ctx.me, *ctx.at_desk))
    on(
        s.RefuseHandOver,
        AT_DESK,
        lambda ctx, _: x.handovers.refuse(ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id),
    )
    on(s.Close, AT_DESK, lambda ctx, _: x.closings.start(ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id))
    on(s.MarkUrgent, AT_DESK, lambda ctx, _: x.werkvoorraad.toggle_urgent(ctx.uow, ctx.me, *ctx.at_desk))
    on(
        s.StartWaakvlam,
        AT_DESK,
        lambda ctx, _: setup.from_signal(ctx.uow, ctx.me, ctx.at_desk[0].id, ctx.at_desk[1]),
    )
    on(
        s.AnswerAftercare,
        AT_DESK,
        lambda ctx, cmd: x.aftercare.answer(
            ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id, cmd.message_id, cmd.choice
        ),
    )
    on(
        s.StillRunning,
        AT_DESK,
        lambda ctx, cmd: x.idle.still_running(
            ctx.uow, ctx.me, *ctx.at_desk, ctx.sender.chat_id, cmd.message_id
        ),
    )
    on(s.AskRegieForSignal, AT_DESK, x.regie.from_desk)
    on(s.StartOverleg, AT_DESK, x.samenloop.from_desk)
    # A triaging desk's verdict after Oppakken, and its werkvoorraad (the summary, and the Monday card).
    tri = x.triaging
    on(s.Triage, AT_DESK, lambda ctx, cmd: tri.triage(ctx.uow, ctx.me, *ctx.at_desk, cmd.choice))
    on(s.Queue, AT_DESK, lambda ctx, cmd: tri.queue(ctx.uow, ctx.me, *ctx.at_desk, cmd.choice))
    on(s.StartNow, AT_DESK, lambda ctx, _: tri.start(ctx.uow, ctx.me, *ctx.at_desk))
    on(
        s.Reprioritise,
        AT_DESK,
        lambda ctx, cmd: tri.reprioritise(
            ctx.uow, ctx.me, *ctx.at_desk, cmd.choice, ctx.sender.chat_id, cmd.message_id
        ),
    )
    # The routeeroverleg's cards (each press checked against the desks taking part) and samenloop notices.
    sl = x.samenloop
    on(o.SayInView, MEMBER, sl.pressed(sl.voting.in_view))
    on(o.Propose, MEMBER, sl.pressed(sl.voting.propose))
    on(o.Agree, MEMBER, sl.pressed(sl.voting.agree))
    on(o.Object, MEMBER, sl.pressed(sl.voting.object))
    on(o.OverlegFromMatch, PRIVATE, sl.from_match)
    # /advies: a question to a desk without a resident; reading, answering, and filing a signal after all.
    on(o.ReadAdvice, MEMBER, sl.pressed(sl.advice.read))
    on(o.AnswerAdvice, MEMBER, sl.pressed(sl.advice.answer))
    on(o.AdviceToSignal, MEMBER, sl.pressed(sl.advice.to_signal))
    # Regie's buttons: the one asked accepts or declines; the card and its plan; four weeks after closing.
    rg, ask, plan, cards = x.regie, x.regie.asking, x.regie.plan, x.regie.cards
    on(r.AcceptRegie, MEMBER, rg.pressed(ask.accept))
    on(r.DeclineRegie, MEMBER, rg.pressed(ask.decline))
    on(r.ShowRegieCard, MEMBER, rg.pressed(cards.show))
    on(r.AddPlanLine, MEMBER, rg.pressed(plan.add))
    on(r.CloseRegie, MEMBER, rg.pressed(cards.close))
    on(r.SolutionHeld, MEMBER, rg.pressed(cards.held))
    on(r.SolutionFailed, MEMBER, rg.pressed(cards.failed))
    on(r.AcceptLine, MEMBER, rg.pressed(plan.accept))
    on(r.DeclineLine, MEMBER, rg.pressed(plan.decline))
    on(r.LineDone, MEMBER, rg.pressed(plan.done))
    on(r.LineRunning, MEMBER, rg.pressed(plan.running))
    on(r.LineNotDone, MEMBER, rg.pressed(plan.not_done))
    # Los op of schaal op: up the ladder from the regie's card, and each rung's decision.
    on(r.ScaleUpRegie, MEMBER, rg.pressed(rg.climbing.from_regie))
    on(r.RemindRegie, MEMBER, rg.pressed(rg.reminders.from_regie))
    on(r.SolveEscalation, MEMBER, rg.pressed(rg.deciding.solve))
    on(r.ClimbEscalation, MEMBER, rg.pressed(rg.deciding.climb))
    on(r.SendBackEscalation, MEMBER, rg.pressed(rg.deciding.send_back))
    on(r.ScaleDownWaakvlam, MEMBER, rg.pressed(rg.deciding.waakvlam))
    # The waakvlam's buttons.
    on(w.AnswerCheckIn, MEMBER, wv.answer_checkin)
    on(w.AcceptAgreement, MEMBER, wv.proposal(lambda uow, u, a, m: setup.accept(uow, u, a, message_id=m)))
    on(w.DeclineAgreement, MEMBER, wv.proposal(setup.decline))
    on(w.ShowAgreement, MEMBER, wv.steward(lambda uow, u, a, m: steward.card(uow, u, a)))  # a new message
    on(w.PauseAgreement, MEMBER, wv.steward(steward.pause))
    on(w.ResumeAgreement, MEMBER, wv.steward(steward.resume))
    on(w.ChangeContact, MEMBER, wv.steward(steward.change_owner))
    on(w.ChangeRhythm, MEMBER, wv.steward(steward.change_rhythm))
    on(w.EndAgreement, MEMBER, wv.steward(steward.end_flow))
    on(w.ExtendAgreement, MEMBER, wv.steward(steward.extend))
    on(w.StopAgreement, MEMBER, wv.steward(steward.stop))
    return table


@dataclass(frozen=True)
class Scheduled:
    """The services that run due work."""

    escalator: Escalator
    digests: Digests
    chase: HandOverChase
    aftercare: Aftercare
    idle: IdleWatch
    weekly: Weekly
    checkins: CheckIns
    regie: RegieRoutes
    samenloop: SamenloopRoutes


def due_work(x: Scheduled) -> Handlers:
    """What runs each kind of due work (bot/domain/jobs.py); check-ins also in batches (thousands at 09:00)."""
    c = x.checkins
    return (
        Handlers()
        .on(j.Escalate, x.escalator.run)
        .on(j.SendDigest, x.digests.run)
        .on(j.ChaseHandOver, x.chase.run)
        .on(j.AskAftercare, x.aftercare.run)
        .on(j.WatchIdle, x.idle.run)
        .on(j.SendWeekly, x.weekly.run)
        .on(j.SendCheckIn, c.send)
        .batched(j.SendCheckIn, c.send_many)
        .on(j.CheckInSilence, c.grace)
        .on(j.AgreementEnding, c.ending)
        .on(j.AgreementEnd, c.end)
        .on(j.ChasePlanLine, x.regie.chase)
        .on(j.RegieFollowUp, x.regie.follow_up)
        .on(j.EscalationDue, x.regie.escalation_due)
        .on(j.SendReminder, x.regie.reminder_due)
        .on(j.OverlegDue, x.samenloop.due)
    )
