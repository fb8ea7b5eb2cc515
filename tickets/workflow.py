"""Which status may follow which: the one place that says so."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import Ticket

S = Ticket.Status

TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.OPEN, S.WAITING_REQUESTER, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CLOSED}),
    S.OPEN: frozenset({S.WAITING_REQUESTER, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CLOSED}),
    S.WAITING_REQUESTER: frozenset({S.OPEN, S.WAITING_THIRD_PARTY, S.RESOLVED, S.CLOSED}),
    S.WAITING_THIRD_PARTY: frozenset({S.OPEN, S.WAITING_REQUESTER, S.RESOLVED, S.CLOSED}),
    S.RESOLVED: frozenset({S.OPEN, S.CLOSED}),
    S.CLOSED: frozenset(),
}


def allowed_statuses(current: str) -> frozenset[str]:
    return TRANSITIONS[current]


def check_transition(current: str, new: str) -> None:
    if new not in S.values or current not in S.values:
        raise ValidationError(f"“{new}” is not a status a ticket can have.")
    if new == current:
        raise ValidationError(f"The ticket is already {S(current).label.lower()}.")
    if new not in TRANSITIONS[current]:
        if current == S.CLOSED:
            raise ValidationError(
                "A closed ticket can't change any more. File a new request that refers to it."
            )
        raise ValidationError(
            f"A ticket that is {S(current).label.lower()} can't become {S(new).label.lower()}."
        )


def reopen_deadline(ticket: Ticket) -> datetime | None:
    """Until when the requester may reopen a resolved ticket."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + timedelta(days=settings.TICKET_REOPEN_DAYS)
