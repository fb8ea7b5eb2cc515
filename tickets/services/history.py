from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User

from ..models import Event, Ticket


def event_record(
    *,
    ticket: Ticket,
    actor: User | None,
    kind: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> Event:
    event = event_build(ticket=ticket, actor=actor, kind=kind, summary=summary, changes=changes)
    event.save(force_insert=True)
    return event


def event_build(
    *,
    ticket: Ticket,
    actor: User | None,
    kind: str,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> Event:
    """An event not yet saved, for callers that write many at once."""
    return Event(
        ticket=ticket,
        actor=actor,
        kind=kind,
        summary=summary[:300],
        changes=changes or {},
        created_at=timezone.now(),
    )
