"""Reading and filling the outbox in tests: who was sent what, and rows made through notify()."""

from __future__ import annotations

from accounts.models import User
from notifications.models import Kind, Notification
from notifications.services import Recipient, notify
from tickets.models import Ticket

from .conftest import SITE_URL

Status = Notification.Status


def sent(ticket: Ticket | None = None, **filters: object) -> list[tuple[str, str]]:
    """(kind, email) of each outbox row, oldest first."""
    rows = Notification.objects.filter(**filters).order_by("id")
    if ticket is not None:
        rows = rows.filter(ticket=ticket)
    return [(row.kind, row.email) for row in rows]


def recipients(*users: User) -> list[Recipient]:
    return [Recipient(user=user, url=f"{SITE_URL}/somewhere/") for user in users]


def notify_about(ticket: Ticket, kind: Kind, *users: User, actor: User | None = None) -> list[Notification]:
    return notify(
        kind=kind,
        recipients=recipients(*users),
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context={"subject": ticket.subject, "reference": ticket.reference},
        actor=actor,
    )
