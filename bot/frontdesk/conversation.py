"""Run a flow for one user in one chat: load state, apply the engine, render replies, persist."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.actions import CallbackCodec
from bot.domain.clock import Clock
from bot.domain.outgoing import web_app
from bot.forms.links import FormLinks
from bot.frontdesk.registry import FlowRegistry
from bot.views.i18n import Translator
from bot.views.messenger import Buttons, Messenger
from flows import engine, form
from flows.engine import Question, Reply, State, Transition
from flows.model import Kind
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

BUSY = N_("Rond eerst uw lopende gesprek met de bot af, of stop het met /cancel.")
CHECKED = "✅ "
# answers[TYPED]: the ids of the messages the person typed in this conversation (in their private chat), so
# that what they typed about a resident can be deleted with the signal (bot.accounts.takedown).
TYPED = ".typed"


def typed_ids(answers: engine.Answers) -> list[int]:
    """The typed messages' ids a finished conversation kept."""
    ids = answers.get(TYPED, [])
    return [int(i) for i in ids] if isinstance(ids, list) else []


@dataclass(frozen=True)
class ChatOf:
    """The user and chat a conversation belongs to, and the message a button was pressed on."""

    user: User
    chat_id: int
    message_id: int | None = None


@dataclass(frozen=True)
class Stored:
    """A conversation as stored: the engine's state and the outbox row of the question on screen."""

    state: State
    asked: int | None = None


@dataclass
class ConversationRunner:
    flows: FlowRegistry
    tr: Translator
    codec: CallbackCodec
    clock: Clock
    messenger: Messenger
    forms: FormLinks

    async def current(self, uow: Work, where: ChatOf) -> Stored | None:
        """The conversation open for this person in this chat, if any."""
        row = await uow.conversations.get(where.chat_id, where.user.telegram_id)
        return Stored(State.from_dict(row.state), row.asked_outbox_id) if row is not None else None

    def takes_text(self, state: State) -> bool:
        """Whether the question on screen may be answered in the chat: a number, or part of a name to find.
        Text about a resident is typed on the form (flows/form.py), never in the chat."""
        step = self.flows[state.flow].flow.step(state.step)
        return (step.kind is Kind.TEXT and not form.on_form(step)) or (
            step.kind is Kind.CHOICE and step.searchable
        )

    async def start(self, uow: Work, where: ChatOf, flow_id: str, seed: engine.Answers | None = None) -> None:
        """Begin a flow, replacing nothing: callers decide what to do with a conversation in progress."""
        spec = self.flows[flow_id]
        ctx = await spec.context(uow, where.user, seed or {})
        await self._apply(uow, where, flow_id, engine.start(spec.flow, ctx, seed), None)

    async def start_if_free(
        self, uow: Work, where: ChatOf, flow_id: str, seed: engine.Answers | None = None
    ) -> bool:
        """Start a flow unless the person is already in a conversation here; say whether it started."""
        if await self.current(uow, where) is not None:
            return False
        await self.start(uow, where, flow_id, seed)
        return True

    async def start_private(self, uow: Work, user: User, flow_id: str, seed: engine.Answers) -> Msg | str:
        """Start a flow in the person's private chat: "" (nothing to say), or BUSY when another conversation
        is open there."""
        started = await self.start_if_free(uow, ChatOf(user, user.telegram_id), flow_id, seed)
        return "" if started else Msg(BUSY)

    async def feed(
        self,
        uow: Work,
        where: ChatOf,
        loaded: Stored,
        inp: engine.Input,
        typed: int | None = None,
    ) -> str | None:
        """Apply one input, in its flow's context; return a short toast for a button press, if any.
        `typed`: the id of the message the person typed as this input, kept with the conversation."""
        spec = self.flows[loaded.state.flow]
        ctx = await spec.context(uow, where.user, loaded.state.answers)
        transition = engine.advance(spec.flow, loaded.state, inp, ctx)
        if typed is not None:
            transition = _keep_typed(transition, loaded.state, typed)
        filled = isinstance(inp, engine.Filled)
        await self._apply(uow, where, loaded.state.flow, transition, loaded, typed is not None, filled)
        return self.tr.render(where.user.locale, transition.toast) if transition.toast else None

    async def _apply(
        self,
        uow: Work,
        where: ChatOf,
        flow_id: str,
        t: Transition,
        before: Stored | None,
        changed: bool = False,
        filled: bool = False,
    ) -> None:
        expected = before.state.version if before else None
        asked = before.asked if before else None
        edited = False
        new_asked = asked
        for reply in t.replies:
            # Only the first in-place reply may replace the pressed message; later ones are new messages.
            in_place = reply.in_place and where.message_id is not None and not edited
            if filled and reply.in_place and not edited and asked is not None:
                # Sent from the form: the question it answered becomes "… → ✓ ingevuld", in place.
                await self.messenger.edit_ref(
                    uow.outbox, where.chat_id, asked, self.tr.render(where.user.locale, reply.text)
                )
                edited = True
                continue
            row_id = await self._show(uow, where, flow_id, reply, in_place)
            edited = edited or in_place
            if isinstance(reply, Question) and row_id is not None:
                new_asked = row_id
        ended = t.state is None or t.outcome is not None
        # One live keyboard per conversation: the question that was on screen loses its buttons
        # when another is asked or the conversation ends, unless the pressed message was just edited.
        if asked is not None and not edited and (ended or new_asked != asked):
            await self.messenger.retire(uow.outbox, where.chat_id, asked)
        key = (where.chat_id, where.user.telegram_id)
        if ended:
            await uow.conversations.delete(*key, expected)
        elif t.state is not None and (
            changed or expected is None or t.state.version != expected or new_asked != asked
        ):
            await uow.conversations.save(
                *key, flow_id, t.state.to_dict(), self.clock.now(), expected, new_asked
            )
        if t.outcome is not None:
            screen = where.message_id if edited else None
            await self.flows[flow_id].on_outcome(uow, where.user, where.chat_id, t.outcome, screen)

    async def _show(self, uow: Work, where: ChatOf, flow_id: str, reply: Reply, in_place: bool) -> int | None:
        locale = where.user.locale
        text = self.tr.render(locale, reply.text)
        buttons: Buttons = []
        if isinstance(reply, Question):
            me = where.user.telegram_id
            buttons = []
            for row in reply.buttons:
                shown: list[tuple[str, str]] = []
                for b in row:
                    label = (CHECKED if b.checked else "") + self.tr.render(locale, b.label)
                    url = (
                        self.forms.fill(me, flow_id, reply.step, reply.version)
                        if b.value == form.FILL
                        else None
                    )
                    if url is not None:  # the question's text is typed on our server's form
                        shown.append(web_app(label, url))
                    else:
                        shown.append((label, self.codec.encode(me, reply.version, b.value)))
                buttons.append(shown)
        if in_place and where.message_id is not None:
            await self.messenger.edit(uow.outbox, where.chat_id, where.message_id, text, buttons)
            return None
        return await self.messenger.send(uow.outbox, where.chat_id, text, buttons)


def _keep_typed(t: Transition, before: State, typed: int) -> Transition:
    """The transition with the typed message's id added to what the conversation keeps (and hands on with a
    completed outcome)."""
    ids = [*[str(i) for i in typed_ids(before.answers)], str(typed)]
    state = t.state
    if state is not None:
        if state is before:
            state = State.from_dict(before.to_dict())
        state.answers[TYPED] = ids
    outcome = t.outcome
    if isinstance(outcome, engine.Completed):
        outcome = engine.Completed({**outcome.answers, TYPED: ids})
    return Transition(state, t.replies, outcome, t.toast)
