"""The content review kind of ticket history (see tickets/events.py for how kinds are declared)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal

from tickets.events import KINDS, Payload, name
from tickets.models import Event

if TYPE_CHECKING:
    from accounts.models import User

Action = Literal["submitted", "revised", "approved", "changes requested", "rejected", "expired"]


@KINDS.register
@dataclass(frozen=True)
class ContentReviewed(Payload):
    kind: ClassVar[str] = Event.Kind.CONTENT_REVIEW
    action: Action
    version: int
    comment: str = ""

    def sentence(self, actor: User | None) -> str:
        said = f": {self.comment}" if self.comment else ""
        if self.action == "submitted":
            return f"{name(actor)} asked for a review of version {self.version} of the post"
        if self.action == "revised":
            return f"{name(actor)} revised the post: version {self.version}"
        if self.action == "expired":
            return f"Version {self.version} of the post expired unapproved at its publish time"
        verb = {"approved": "approved", "changes requested": "asked for changes to", "rejected": "rejected"}
        return f"{name(actor)} {verb[self.action]} version {self.version} of the post{said}"
