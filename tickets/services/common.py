from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Ticket
from ..workflow import check_transition

Status = Ticket.Status


def locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().select_related("queue", "assignee").get(pk=ticket.pk)


def touch(ticket: Ticket, *fields: str) -> None:
    ticket.updated_at = timezone.now()
    ticket.save(update_fields=[*fields, "updated_at"])


def status_change(ticket: Ticket, status: str) -> list[str]:
    """Move to a new status and stamp the times that go with it; returns changed fields."""
    check_transition(ticket.status, status)
    ticket.status = status
    fields = ["status"]
    now = timezone.now()
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        fields.append("resolved_at")
    elif status == Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    elif ticket.resolved_at is not None:
        ticket.resolved_at = None
        fields.append("resolved_at")
    return fields


def reopen_deadline(ticket: Ticket) -> datetime | None:
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + timedelta(days=settings.TICKET_REOPEN_DAYS)
