"""A message for a chat as the outbox keeps it: what the messenger queues, the outbox stores and the sender
hands to Telegram. One type on the whole way, so no layer guesses at another's dictionary."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# One button: its label and its callback data (or, for a link, LINK and the address). A keyboard is rows.
Button = tuple[str, str]
Buttons = list[list[Button]]
LINK = "url:"  # never the start of callback data (the codec's is base64url)
APP = "app:"  # a Mini App: a page on the region's server that opens inside Telegram (private chats only)
Opens = tuple[str, str] | None  # a link button to add: its label (a message id) and its address


def link(label: str, url: str) -> Button:
    """A button that opens a web address instead of calling back."""
    return (label, LINK + url)


def url_of(data: str) -> str | None:
    """The address of a link button; None for a callback button."""
    return data.removeprefix(LINK) if data.startswith(LINK) else None


def web_app(label: str, url: str) -> Button:
    """A button that opens a page of ours inside Telegram (a Mini App), with the person's signed initData."""
    return (label, APP + url)


def app_of(data: str) -> str | None:
    """The address of a Mini App button; None for any other button."""
    return data.removeprefix(APP) if data.startswith(APP) else None


class Kind(StrEnum):
    SEND = "send"  # a new message
    EDIT = "edit"  # new text and keyboard for a message sent earlier
    MARKUP = "markup"  # a new keyboard only
    ERASE = "erase"  # delete it, or past Telegram's 48 hours edit it down to `text`


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What to do in one chat. An edit, keyboard change or erasure names its message by Telegram's id
    (`message_id`) or by the outbox row that sent it (`ref`), whose Telegram id is known once it went."""

    chat_id: int
    kind: Kind
    text: str = ""
    buttons: Buttons = field(default_factory=list)
    ref: int | None = None
    message_id: int | None = None

    def payload(self) -> dict[str, Any]:
        """The stored form (JSON)."""
        stored: dict[str, Any] = {"buttons": [[list(b) for b in row] for row in self.buttons]}
        if self.kind is not Kind.MARKUP:
            stored["text"] = self.text
        if self.ref is not None:
            stored["ref"] = self.ref
        if self.message_id is not None:
            stored["message_id"] = self.message_id
        return stored

    @classmethod
    def stored(cls, chat_id: int, kind: str, payload: dict[str, Any]) -> Outgoing:
        """Read the stored form back (`payload`'s inverse)."""
        ref, message_id = payload.get("ref"), payload.get("message_id")
        return cls(
            chat_id,
            Kind(kind),
            str(payload.get("text", "")),
            [[(str(label), str(data)) for label, data in row] for row in payload.get("buttons") or []],
            int(ref) if ref is not None else None,
            int(message_id) if message_id is not None else None,
        )


REPLY, BULK = 0, 1  # the outbox's lanes: what answers a person goes before a burst of check-ins


@dataclass(frozen=True, slots=True)
class Queued:
    """An outgoing message with its place in the outbox: its row's id and the failed tries so far."""

    id: int
    message: Outgoing
    attempts: int = 0
    lane: int = 0  # REPLY or BULK: who waits for it

    @property
    def chat_id(self) -> int:
        """The chat the message goes to."""
        return self.message.chat_id

    @property
    def kind(self) -> Kind:
        """What the message does: send, edit, delete, …"""
        return self.message.kind
