from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from tickets import services
from tickets.events import event_sentence as said
from tickets.models import Event, Ticket
from tickets.services.work import tickets_close_resolved

from ..conftest import Cast
from ..factories import file_ticket


def test_resolved_tickets_close_once_the_reopen_window_has_passed(cast: Cast, settings: object) -> None:
    settings.TICKET_REOPEN_DAYS = 14  # type: ignore[attr-defined]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        old = file_ticket(cast.employee)
        services.ticket_resolve(ticket=old, actor=cast.employee)
    with time_machine.travel(start + timedelta(days=10), tick=False):
        recent = file_ticket(cast.employee)
        services.ticket_resolve(ticket=recent, actor=cast.employee)
        still_open = file_ticket(cast.employee)

    assert tickets_close_resolved(now=start + timedelta(days=15)) == 1
    assert tickets_close_resolved(now=start + timedelta(days=15)) == 0

    old.refresh_from_db()
    assert old.status == Ticket.Status.CLOSED
    assert old.closed_at is not None
    closing = old.events.get(kind=Event.Kind.STATUS, actor=None)
    assert said(closing) == f"Closed automatically {settings.TICKET_REOPEN_DAYS} days after it was resolved"
    assert closing.payload["after"] == {"id": "closed", "label": "Closed"}
    assert Ticket.objects.get(pk=recent.pk).status == Ticket.Status.RESOLVED
    assert Ticket.objects.get(pk=still_open.pk).status == Ticket.Status.NEW
