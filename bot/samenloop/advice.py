"""/advies: a professional asks a desk a question without a resident — typed on the form, no names or
addresses (the guard runs on it). The desk's chat gets a card with the code and the kind of asker only; its
staff read the question privately and answer on the form; the asker reads the answer privately. Either may
turn it into a signal after all, with one tap (the intake, linked to the question). Counted per desk, kind
of organisation and month for the regiobeeld."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.accounts.invites import fresh_code
from bot.domain.access import can_file, works_at
from bot.domain.actions import ADVICE_BUTTON, Action
from bot.domain.organisations import KINDS
from bot.domain.overleg_commands import AdviceAction, OnAdvice
from bot.domain.region import Meldpunt
from bot.domain.tallies import Counted, month
from bot.frontdesk.conversation import ConversationRunner
from bot.frontdesk.registry import FlowSpec
from bot.signals.asked_privately import went_private
from bot.views.messenger import Buttons
from bot.views.private import Private
from flows.advice import ANSWER, ASK
from flows.engine import Answers, Completed, Context, Outcome
from flows.intake import INTAKE
from flows.model import Option
from flows.text import N_, Msg, Param
from storage.models import AdviceQuestion, Signal, User
from storage.ports import Work

SENT = N_("Uw adviesvraag {ref} is verstuurd naar {desk}. Het antwoord komt hier, privé.")
CARD = N_("❓ Adviesvraag {ref} · {kind} · {gemeente}\nGeen signaal, geen bewoner: de vraag leest u privé.")
OPEN_YET = N_("Nog niet beantwoord.")
ANSWERED_BY = N_("Beantwoord door {name}, {when}.")
ANSWERED = N_(
    "✉️ Antwoord van {desk} op uw adviesvraag {ref}. Lees het op de server; wordt het toch een signaal?"
)
DONE = N_("Uw antwoord op {ref} is verstuurd. Wordt het toch een signaal? Tik op Signaal indienen.")
READ_IT = N_("Adviesvraag {ref} aan {desk}: lees hem op de server.")
PAGE = N_("Adviesvraag {ref} aan {desk}, {when}\n\nVraag:\n{question}\n\nAntwoord:\n{answer}")
NO_ANSWER = N_("(nog geen antwoord)")
NOT_YOURS = N_("Deze adviesvraag is niet voor u.")
ALREADY = N_("Deze adviesvraag is al beantwoord.")
READ, REPLY, FILE = N_("📄 Lezen"), N_("✍️ Beantwoorden"), N_("📝 Signaal indienen")


@dataclass
class Advice:
    links: Private
    runner: ConversationRunner

    def flows(self) -> list[FlowSpec]:
        """Asking and answering."""
        return [FlowSpec(ASK, self.on_asked, self.desks), FlowSpec(ANSWER, self.on_answered)]

    async def begin(self, uow: Work, user: User) -> Msg | str:
        """`/advies`: the question is asked privately."""
        return await self.runner.start_private(uow, user, ASK.id, {})

    async def desks(self, uow: Work, user: User, answers: Answers) -> Context:
        """The desks that serve this person's gemeenten (their own and the regional ones)."""
        desks = [
            d
            for d in self.links.region.meldpunten.values()
            if d.scope != "gemeente" or d.gemeente in user.gemeenten
        ]
        return {"desks": tuple(Option(d.id, d.name, raw=True) for d in desks)}

    async def on_asked(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """Store the question, show the desk its card, tell the asker; counted."""
        desk = (
            self.links.region.meldpunten.get(str(outcome.answers.get("desk", "")))
            if isinstance(outcome, Completed)
            else None
        )
        if desk is None or not isinstance(outcome, Completed):
            return
        now = self.links.clock.now()
        gemeente = desk.gemeente or next(iter(user.gemeenten), "")
        question = await uow.samenloop.add_advice(
            AdviceQuestion(
                ref=await fresh_code("A-", uow.samenloop.advice_by_ref),
                desk=desk.id,
                asker_id=user.id,
                gemeente=gemeente,
                question=str(outcome.answers.get("question", "")),
                created_at=now,
            )
        )
        text, buttons = self.card(desk, question, user)
        question.card_outbox_id = await self.links.messenger.send(uow.outbox, desk.chat_id, text, buttons)
        kind = f"{desk.id}:{user.org_kind or 'anders'}"
        await uow.tallies.bump(Counted.ADVICE, gemeente, kind, month(now, self.links.region.info.timezone))
        await record(uow, self.links.clock, "advice_asked", actor=user, subject=question.ref, desk=desk.id)
        await self.links.say(uow, user, Msg(SENT, {"ref": question.ref, "desk": desk.name}))

    def card(
        self, desk: Meldpunt, q: AdviceQuestion, asker: User, by: User | None = None
    ) -> tuple[str, Buttons]:
        """The desk's card: the code, the kind of asker and the gemeente; who answered, once answered."""
        tr, loc = self.links.tr, desk.locale
        params: dict[str, Param] = {
            "ref": q.ref,
            "kind": Msg(KINDS.get(asker.org_kind, KINDS["anders"])),
            "gemeente": self.links.region.gemeente_name(q.gemeente),
        }
        state = (
            Msg(ANSWERED_BY, {"name": by.display_name, "when": tr.when(loc, q.answered_at)})
            if by is not None and q.answered_at is not None
            else Msg(OPEN_YET)
        )
        text = tr.render(loc, Msg(CARD, params)) + "\n" + tr.render(loc, state)
        buttons = [[self._button(desk.chat_id, loc, READ, AdviceAction.READ, q)]]
        if q.answer is None:
            buttons[0].append(self._button(desk.chat_id, loc, REPLY, AdviceAction.ANSWER, q))
        return text, buttons

    def _button(
        self, chat_id: int, loc: str, label: str, action: AdviceAction, q: AdviceQuestion
    ) -> tuple[str, str]:
        value = Action(ADVICE_BUTTON, action.value, q.id).value()
        return self.links.tr.render(loc, Msg(label)), self.links.codec.encode(chat_id, 0, value)

    async def _mine(self, uow: Work, user: User, command: OnAdvice) -> AdviceQuestion | None:
        """The question, if this person asked it or works at its desk."""
        q = await uow.samenloop.advice(command.advice)
        if q is None or not (q.asker_id == user.id or works_at(user, q.desk)):
            await record(uow, self.links.clock, "advice_refused", actor=user)
            return None
        return q

    async def read(self, uow: Work, user: User, chat_id: int, command: OnAdvice) -> Msg | str:
        """📄 Lezen: privately, a button to the page with the question (and the answer)."""
        q = await self._mine(uow, user, command)
        if q is None:
            return Msg(NOT_YOURS)
        params: dict[str, Param] = {"ref": q.ref, "desk": self._desk_name(q)}
        await self.links.say(uow, user, Msg(READ_IT, params), self.links.opens(user, q.ref))
        return went_private("", user, chat_id)

    async def answer(self, uow: Work, user: User, chat_id: int, command: OnAdvice) -> Msg | str:
        """✍️ Beantwoorden: desk staff answer on the form, privately."""
        q = await self._mine(uow, user, command)
        if q is None or not works_at(user, q.desk):
            return Msg(NOT_YOURS)
        if q.answer is not None:
            return Msg(ALREADY)
        said = await self.runner.start_private(uow, user, ANSWER.id, {"advice": q.ref})
        return went_private(said, user, chat_id)

    async def on_answered(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """The answer: kept, the desk's card says who answered, the asker reads it privately."""
        if not isinstance(outcome, Completed):
            return
        q = await uow.samenloop.advice_by_ref(str(outcome.answers.get("advice", "")))
        desk = self.links.region.meldpunten.get(q.desk) if q is not None else None
        asker = await uow.users.by_id(q.asker_id) if q is not None else None
        if q is None or desk is None or asker is None or not works_at(user, q.desk):
            return
        if q.answer is not None:
            await self.links.say(uow, user, Msg(ALREADY))
            return
        q.answer, q.answered_by, q.answered_at = (
            str(outcome.answers.get("answer", "")),
            user.id,
            self.links.clock.now(),
        )
        await record(uow, self.links.clock, "advice_answered", actor=user, subject=q.ref)
        if q.card_outbox_id is not None:
            text, buttons = self.card(desk, q, asker, user)
            await self.links.messenger.edit_ref(uow.outbox, desk.chat_id, q.card_outbox_id, text, buttons)
        for person, words in ((asker, ANSWERED), (user, DONE)):
            buttons = [*(self.links.opens(person, q.ref) if person is asker else [])]
            if can_file(person):
                buttons.append(
                    [self._button(person.telegram_id, person.locale, FILE, AdviceAction.TO_SIGNAL, q)]
                )
            await self.links.say(uow, person, Msg(words, {"ref": q.ref, "desk": desk.name}), buttons)

    async def to_signal(self, uow: Work, user: User, chat_id: int, command: OnAdvice) -> Msg | str:
        """📝 Signaal indienen: the intake, tied to the question (the signal's code goes with it)."""
        q = await self._mine(uow, user, command)
        if q is None or not can_file(user):
            return Msg(NOT_YOURS)
        return await self.runner.start_private(uow, user, INTAKE.id, {"advice": q.ref})

    async def filed(self, uow: Work, user: User, answers: Answers, signal: Signal) -> None:
        """A signal filed from an advice question: the question remembers it."""
        q = (
            await uow.samenloop.advice_by_ref(str(answers.get("advice", "")))
            if answers.get("advice")
            else None
        )
        if q is not None and (q.asker_id == user.id or works_at(user, q.desk)):
            q.signal_id = signal.id
            await record(uow, self.links.clock, "advice_filed", actor=user, subject=q.ref, signal=signal.ref)

    async def page(self, uow: Work, user: User, code: str) -> str | None:
        """The question and the answer on the region's server: for the asker and the desk's staff (audited)."""
        q = await uow.samenloop.advice_by_ref(code)
        if q is None or not (q.asker_id == user.id or works_at(user, q.desk)):
            await record(uow, self.links.clock, "advice_view_refused", actor=user, subject=code)
            return None
        await record(uow, self.links.clock, "advice_viewed", actor=user, subject=code)
        params: dict[str, Param] = {
            "ref": q.ref,
            "desk": self._desk_name(q),
            "when": self.links.tr.when(user.locale, q.created_at),
            "question": q.question,
            "answer": q.answer if q.answer is not None else Msg(NO_ANSWER),
        }
        return self.links.tr.render(user.locale, Msg(PAGE, params))

    def _desk_name(self, q: AdviceQuestion) -> str:
        desk = self.links.region.meldpunten.get(q.desk)
        return desk.name if desk else q.desk
