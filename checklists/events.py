"""The checklist kinds of ticket history (see tickets/events.py for how kinds are declared)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from tickets.events import KINDS, Payload, name
from tickets.models import Event
from tickets.payloads import Ref

if TYPE_CHECKING:
    from accounts.models import User

Kind = Event.Kind


@KINDS.register
@dataclass(frozen=True)
class ChecklistAdded(Payload):
    kind: ClassVar[str] = Kind.CHECKLIST_ADDED
    checklist: Ref
    items: int
    required: int

    def sentence(self, actor: User | None) -> str:
        return f"Checklist “{self.checklist}” attached: {self.items} items, {self.required} required"


@KINDS.register
@dataclass(frozen=True)
class ChecklistTicked(Payload):
    kind: ClassVar[str] = Kind.CHECKLIST_TICKED
    checklist: Ref
    item: Ref
    done: bool

    def sentence(self, actor: User | None) -> str:
        if self.done:
            return f"{name(actor)} ticked “{self.item}”"
        return f"{name(actor)} unticked “{self.item}”"


@KINDS.register
@dataclass(frozen=True)
class ChecklistWaived(Payload):
    kind: ClassVar[str] = Kind.CHECKLIST_WAIVED
    checklist: Ref
    open_items: int
    reason: str

    def sentence(self, actor: User | None) -> str:
        return (
            f"{name(actor)} let the ticket be resolved with {self.open_items} required "
            f"item{'s' if self.open_items != 1 else ''} of “{self.checklist}” open: {self.reason}"
        )


@KINDS.register
@dataclass(frozen=True)
class StatementChanged(Payload):
    kind: ClassVar[str] = Kind.STATEMENT
    action: Literal["drafted", "redrafted", "approved"]
    # The words as drafted or approved: what was said publicly stays on record.
    text: str

    def sentence(self, actor: User | None) -> str:
        done = {
            "drafted": "drafted the holding statement",
            "redrafted": "rewrote the holding statement; it needs approving again",
            "approved": "approved the holding statement",
        }[self.action]
        return f"{name(actor)} {done}"
