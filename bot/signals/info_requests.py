"""A desk asks the filer for more information; the filer answers in a short flow; the answer is kept."""

from __future__ import annotations

from dataclasses import dataclass

from bot.accounts.audit import record
from bot.domain.clock import Clock
from bot.domain.lifecycle import Move, after
from bot.domain.region import Meldpunt, Region
from bot.frontdesk.conversation import BUSY, ChatOf, ConversationRunner, typed_ids
from bot.frontdesk.registry import FlowSpec
from bot.signals.desk import DeskService
from bot.signals.viewing import OPEN
from bot.views.i18n import Translator
from bot.views.messenger import Messenger
from flows.engine import Answers, Completed, Outcome
from flows.info import INFO_ANSWER, INFO_QUESTION
from flows.text import N_, Msg
from storage.models import User
from storage.ports import Work

GO_PRIVATE = N_("Uw vraag stelt u in uw privégesprek met de bot.")
SENT = N_("Uw vraag over {ref} is naar de melder gestuurd.")
# Only what the system made goes through Telegram; the question and the answer are read on the page.
TO_FILER = N_("{desk} heeft een vraag over uw signaal {ref}. Lees de vraag: tik op Openen.")
ANSWER_LATER = N_("U bent nog met iets anders bezig. Antwoord daarna met /antwoord {ref}.")
NO_OPEN_QUESTION = N_("Er staat geen vraag open over dit signaal.")
THANKS = N_("Dank u. Uw antwoord is doorgegeven aan {desk}.")
TO_ASKER = N_("De melder heeft uw vraag over {ref} beantwoord. Lees het antwoord: tik op Openen.")
TO_DESK = N_(
    "De melder heeft de vraag over {ref} beantwoord; lees het met /signaal {ref} in een privégesprek."
)


@dataclass
class InfoRequests:
    region: Region
    tr: Translator
    clock: Clock
    messenger: Messenger
    runner: ConversationRunner
    desk: DeskService

    def flows(self) -> list[FlowSpec]:
        """The question a desk asks and the filer's answer."""
        return [FlowSpec(INFO_QUESTION, self.on_outcome), FlowSpec(INFO_ANSWER, self.on_outcome)]

    async def ask(self, uow: Work, user: User, desk: Meldpunt, ref: str) -> Msg:
        """Start the question flow in the staff member's private chat."""
        where = ChatOf(user, user.telegram_id)
        seed: Answers = {"signal": ref, "desk": desk.id}
        if not await self.runner.start_if_free(uow, where, INFO_QUESTION.id, seed):
            return Msg(BUSY)
        return Msg(GO_PRIVATE)

    async def answer_later(self, uow: Work, user: User, ref: str) -> None:
        """`/antwoord REF`: start answering an open question about one's own signal."""
        signal = await uow.signals.by_ref(ref.strip().upper())
        where = ChatOf(user, user.telegram_id)
        if signal is None or signal.filer_id != user.id or after(signal.status, Move.ANSWER) is None:
            await self.messenger.send(
                uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(NO_OPEN_QUESTION))
            )
        elif not await self.runner.start_if_free(uow, where, INFO_ANSWER.id, {"signal": signal.ref}):
            await self.messenger.send(uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(BUSY)))

    async def on_outcome(
        self, uow: Work, user: User, chat_id: int, outcome: Outcome, screen: int | None
    ) -> None:
        """A question asked (to the filer) or answered (to the desk)."""
        if not isinstance(outcome, Completed):
            return
        answers = outcome.answers
        signal = await uow.signals.by_ref(str(answers.get("signal", "")))
        if signal is not None:
            # What the desk or the filer typed here is part of the signal: it goes when the signal goes.
            for message_id in typed_ids(answers):
                await uow.signals.shown(signal.id, chat_id, message_id=message_id)
        if "question" in answers:
            await self._asked(
                uow, user, str(answers["signal"]), str(answers["desk"]), str(answers["question"])
            )
        elif "answer" in answers:
            await self._answered(uow, user, str(answers["signal"]), str(answers["answer"]))

    async def _asked(self, uow: Work, user: User, ref: str, desk_id: str, question: str) -> None:
        signal = await uow.signals.by_ref(ref)
        desk = self.region.meldpunten.get(desk_id)
        new = after(signal.status, Move.ASK_INFO) if signal else None
        if signal is None or desk is None or new is None or user.meldpunt_id != desk_id:
            await self.messenger.send(
                uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(NO_OPEN_QUESTION))
            )
            return
        await uow.signals.move(
            signal,
            new,
            "info_requested",
            self.clock.now(),
            user.id,
            note=question,
            owner_desk=desk.id,
            owner_id=signal.owner_id or user.id,
        )
        await record(uow, self.clock, "info_requested", actor=user, subject=ref, desk=desk.id)
        await self.messenger.send(
            uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(SENT, {"ref": ref}))
        )
        filer = await uow.users.by_id(signal.filer_id)
        if filer is not None and filer.active:
            where = ChatOf(filer, filer.telegram_id)
            text = self.tr.render(filer.locale, Msg(TO_FILER, {"desk": desk.name, "ref": ref}))
            opens = self.runner.forms.opens(self.tr.render(filer.locale, Msg(OPEN)), ref)
            row_id = await self.messenger.send(uow.outbox, filer.telegram_id, text, opens)
            await uow.signals.shown(signal.id, filer.telegram_id, row_id)
            if not await self.runner.start_if_free(uow, where, INFO_ANSWER.id, {"signal": ref}):
                await self.messenger.send(
                    uow.outbox,
                    filer.telegram_id,
                    self.tr.render(filer.locale, Msg(ANSWER_LATER, {"ref": ref})),
                )
        await self.desk.refresh(uow, signal)

    async def _answered(self, uow: Work, user: User, ref: str, answer: str) -> None:
        signal = await uow.signals.by_ref(ref)
        new = after(signal.status, Move.ANSWER) if signal else None
        if signal is None or new is None or signal.filer_id != user.id:
            await self.messenger.send(
                uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(NO_OPEN_QUESTION))
            )
            return
        await uow.signals.move(signal, new, "info_answered", self.clock.now(), user.id, note=answer)
        await record(uow, self.clock, "info_answered", actor=user, subject=ref)
        desk = self.region.meldpunten.get(signal.owner_desk or "")
        name = desk.name if desk else ""
        await self.messenger.send(
            uow.outbox, user.telegram_id, self.tr.render(user.locale, Msg(THANKS, {"desk": name}))
        )
        asker = await uow.users.by_id(signal.owner_id) if signal.owner_id else None
        if asker is not None and asker.active:
            text = self.tr.render(asker.locale, Msg(TO_ASKER, {"ref": ref}))
            opens = self.runner.forms.opens(self.tr.render(asker.locale, Msg(OPEN)), ref)
            row_id = await self.messenger.send(uow.outbox, asker.telegram_id, text, opens)
            await uow.signals.shown(signal.id, asker.telegram_id, row_id)
        if desk is not None:
            await self.messenger.send(
                uow.outbox, desk.chat_id, self.tr.render(desk.locale, Msg(TO_DESK, {"ref": ref}))
            )
        await self.desk.refresh(uow, signal)
