"""What may happen to a ticket: the one place that says so.

Pure functions over plain values (a status, a time, whether the requester is the one acting),
so the rules read and test without a database. The services ask them, then write.
"""

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


def check_open(status: str, *, reference: str) -> None:
    """Assigning, transferring and reprioritising are work on an open ticket, not a finished one."""
    if status not in Ticket.OPEN_STATUSES:
        raise ValidationError(f"{reference} is {S(status).label.lower()}; reopen it first.")


def reopen_until(resolved_at: datetime | None) -> datetime | None:
    """Until when the requester may reopen a ticket resolved at `resolved_at`."""
    if resolved_at is None:
        return None
    return resolved_at + timedelta(days=settings.TICKET_REOPEN_DAYS)


def reopen_deadline(ticket: Ticket) -> datetime | None:
    """Until when the requester may reopen a resolved ticket."""
    return reopen_until(ticket.resolved_at)


def may_reopen(resolved_at: datetime | None, *, now: datetime) -> bool:
    # A resolved ticket without a resolution time predates the stamp; it stays reopenable.
    deadline = reopen_until(resolved_at)
    return deadline is None or now <= deadline


def close_resolved_before(now: datetime) -> datetime:
    """Tickets resolved before this moment can no longer be reopened, so they close."""
    return now - timedelta(days=settings.TICKET_REOPEN_DAYS)


def check_reopen(status: str, *, resolved_at: datetime | None, now: datetime) -> None:
    """The requester's reopen button: only a resolved request, and only while the window lasts."""
    if status != S.RESOLVED:
        raise ValidationError("Only a resolved request can be reopened.")
    if not may_reopen(resolved_at, now=now):
        raise ValidationError(
            f"This request was resolved more than {settings.TICKET_REOPEN_DAYS} days ago; "
            "please file a new request."
        )


def check_reply(status: str, *, reference: str, by_requester: bool, internal: bool) -> None:
    if by_requester and internal:
        raise ValidationError("Requesters can't add internal notes.")
    if status == S.CLOSED:
        raise ValidationError(
            f"{reference} is closed and takes no more replies. File a new request that refers to it."
        )


def is_first_response(*, by_requester: bool, internal: bool, first_response_at: datetime | None) -> bool:
    """Staff's first public reply answers the requester: the SLA's first response."""
    return not by_requester and not internal and first_response_at is None


def status_after_reply(
    status: str,
    *,
    by_requester: bool,
    internal: bool,
    resolved_at: datetime | None,
    now: datetime,
    requested: str | None = None,
) -> str | None:
    """The status a reply moves the ticket to, or None to leave it.

    The requester's reply brings a waiting or recently resolved ticket back to Open, whatever
    status came with it; staff may set a status with a reply, and a public one opens a new ticket.
    """
    if by_requester:
        if status == S.RESOLVED:
            if not may_reopen(resolved_at, now=now):
                raise ValidationError(
                    "This request was resolved too long ago to reopen; please file a new request."
                )
            return S.OPEN
        if status == S.WAITING_REQUESTER:
            return S.OPEN
        return None
    if requested and requested != status:
        return requested
    if status == S.NEW and not internal:
        return S.OPEN
    return None


def status_after_assign(status: str, *, assigned: bool) -> str | None:
    """Someone taking a new ticket has started on it."""
    return S.OPEN if assigned and status == S.NEW else None
