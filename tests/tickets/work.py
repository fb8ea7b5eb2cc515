"""What the tests of the work services read back: the last event, a fresh copy, a ticket walked to a status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from accounts.models import User
from tickets import services
from tickets.models import Event, Ticket

S = Ticket.Status

FILED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

LATER = FILED_AT + timedelta(hours=1, microseconds=250)


def last_event(ticket: Ticket, kind: str) -> Event:
    """The latest history entry of one kind (the SLA clock writes entries of its own)."""
    event = Event.objects.filter(ticket=ticket, kind=kind).order_by("-id").first()
    assert event is not None, f"no {kind} event"
    return event


def fresh(ticket: Ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def event_count(ticket: Ticket) -> int:
    return Event.objects.filter(ticket=ticket).count()


def in_status(ticket: Ticket, status: str, actor: User) -> Ticket:
    """Walk a fresh ticket to `status` through the services, as staff of its queue."""
    if status == S.NEW:
        return ticket
    return services.ticket_set_status(ticket=ticket, status=status, actor=actor)
