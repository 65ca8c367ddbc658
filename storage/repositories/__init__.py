"""Repositories: the only place that writes SQL. They never commit; the unit of work does."""

from storage.repositories.agreements import Agreements
from storage.repositories.audit import Audit
from storage.repositories.base import Conflict, StaleState
from storage.repositories.conversations import Conversations
from storage.repositories.due import Due
from storage.repositories.escalations import Escalations
from storage.repositories.inbox import Inbox
from storage.repositories.leases import Leases, Senders
from storage.repositories.outbox import Outbox
from storage.repositories.outbox_sql import OUTBOX_CLAIM_LOCK
from storage.repositories.people import Invites, LoginLinks, Users
from storage.repositories.regies import Regies
from storage.repositories.samenloop import Samenloop
from storage.repositories.signals import Signals, Tallies

__all__ = [
    "OUTBOX_CLAIM_LOCK",
    "Agreements",
    "Audit",
    "Conflict",
    "Conversations",
    "Due",
    "Escalations",
    "Inbox",
    "Invites",
    "Leases",
    "LoginLinks",
    "Outbox",
    "Regies",
    "Samenloop",
    "Senders",
    "Signals",
    "StaleState",
    "Tallies",
    "Users",
]
