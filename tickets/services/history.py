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
    return Event.objects.create(
        ticket=ticket,
        actor=actor,
        kind=kind,
        summary=summary[:300],
        changes=changes or {},
        created_at=timezone.now(),
    )
