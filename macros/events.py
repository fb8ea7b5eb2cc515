"""The macro kind of ticket history (see tickets/events.py for how kinds are declared)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from tickets.events import KINDS, Payload, name
from tickets.models import Event
from tickets.payloads import Ref

if TYPE_CHECKING:
    from accounts.models import User


@KINDS.register
@dataclass(frozen=True)
class MacroApplied(Payload):
    """A macro was applied; what it changed follows as the changes' own events."""

    kind: ClassVar[str] = Event.Kind.MACRO
    macro: Ref
    edited: bool = False  # the agent changed the filled reply before sending it

    def sentence(self, actor: User | None) -> str:
        text = f"{name(actor)} applied the macro “{self.macro}”"
        return f"{text}, editing its reply" if self.edited else text
