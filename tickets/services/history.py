"""The one writer of ticket history: every event goes through here, checked against its kind.

The kinds and their payloads are declared in tickets/events.py; read its docstring to add one.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from accounts.models import User

from ..events import KINDS, Payload
from ..models import Event, Ticket
from ..webhook_events import events_published


def event_record(
    *, ticket: Ticket, actor: User | None, payload: Payload, at: datetime | None = None
) -> Event:
    event = event_build(ticket=ticket, actor=actor, payload=payload, at=at)
    event.save(force_insert=True)
    events_published([event])
    return event


def event_build(*, ticket: Ticket, actor: User | None, payload: Payload, at: datetime | None = None) -> Event:
    """An event not yet saved, for callers that write many at once.

    Raises PayloadError when `payload` isn't a registered kind's shape, before anything is
    written. `at` is for history replayed from the past (the demo desk); otherwise now.
    """
    return Event(
        ticket=ticket,
        actor=actor,
        kind=KINDS.kind_of(payload),
        payload=KINDS.dump(payload),
        created_at=at or timezone.now(),
    )
