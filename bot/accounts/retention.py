"""Keep data only as long as needed: purge what has served its purpose; the anonymous counts remain."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.accounts.audit import record
from bot.accounts.persons import TakeDownPort
from bot.domain.clock import Clock
from bot.domain.lifecycle import Status
from storage.ports import Work

# Closing a signal belongs to the desk workflow; a closed signal carries this status and a closed_at.
CLOSED = Status.CLOSED


@dataclass(frozen=True)
class RetentionPolicy:
    closed_signals: timedelta = timedelta(days=365)
    handled_updates: timedelta = timedelta(days=7)
    sent_messages: timedelta = timedelta(days=7)
    idle_conversations: timedelta = timedelta(days=30)


@dataclass(frozen=True)
class Purge:
    signals: int
    updates: int
    messages: int
    conversations: int
    agreements: int = 0
    advice: int = 0
    regies: int = 0

    def __str__(self) -> str:
        return (
            f"{self.signals} closed signals, {self.agreements} ended waakvlam agreements, "
            f"{self.regies} closed regies, {self.advice} advice questions, "
            f"{self.updates} handled updates, "
            f"{self.messages} sent messages, {self.conversations} abandoned conversations"
        )


async def purge(
    uow: Work,
    clock: Clock,
    policy: RetentionPolicy,
    take_down: TakeDownPort,
    dry_run: bool = False,
) -> Purge:
    """Delete (or, dry, count) what is past its retention period; the messages that showed a purged signal
    are taken out of the chats."""
    now = clock.now()
    cutoffs = (
        now - policy.closed_signals,
        now - policy.handled_updates,
        now - policy.sent_messages,
        now - policy.idle_conversations,
    )
    closed = await uow.signals.closed_before(CLOSED, cutoffs[0])
    asked = await uow.samenloop.advice_before(cutoffs[0])
    # A closed regie is kept as long as a closed signal, then goes with its plan, history, escalations,
    # match keys and the reminders set on it.
    regies = await uow.regies.closed_before(cutoffs[0])
    if not dry_run:
        await uow.regies.forget_reminders([r.ref for r in regies])
        await uow.regies.delete([r.id for r in regies])
    if not dry_run:
        await take_down(uow, closed)
        await uow.signals.delete(closed)
    result = Purge(
        signals=len(closed),
        updates=await uow.inbox.purge_handled(cutoffs[1], dry_run),
        messages=await uow.outbox.purge_finished(cutoffs[2], dry_run),
        conversations=await uow.conversations.purge_idle(cutoffs[3], dry_run),
        # An ended waakvlam is kept as long as a closed signal, then goes with its check-ins.
        agreements=await uow.agreements.purge_ended(cutoffs[0], dry_run),
        # /advies: a question and its answer are kept as long as a closed signal.
        advice=len(asked) if dry_run else await uow.samenloop.forget_advice(asked),
        regies=len(regies),
    )
    if not dry_run:
        await record(
            uow,
            clock,
            "retention_purge",
            signals=result.signals,
            updates=result.updates,
            messages=result.messages,
            conversations=result.conversations,
            agreements=result.agreements,
            advice=result.advice,
            regies=result.regies,
        )
    return result
