from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import notify
from ..models import Event, Queue, Ticket
from ..selectors import can_work_queue
from ..workflow import reopen_deadline
from .common import locked, sla_reapply, status_change, touch
from .history import event_record

Status = Ticket.Status


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | None, actor: User) -> Ticket:
    ticket = locked(ticket)
    if not ticket.is_open:
        raise ValidationError(
            f"{ticket.reference} is {ticket.get_status_display().lower()}; reopen it first."
        )
    if assignee is not None and not can_work_queue(assignee, ticket.queue):
        raise ValidationError(f"{assignee} doesn't work the {ticket.queue} queue.")
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    previous = ticket.assignee
    ticket.assignee = assignee
    fields = ["assignee"]
    if assignee is not None and ticket.status == Status.NEW:
        fields += status_change(ticket, Status.OPEN)
    touch(ticket, *fields)
    if assignee is None:
        summary = f"{actor} unassigned {previous}"
    elif assignee == actor:
        summary = f"{actor} took the ticket"
    else:
        summary = f"{actor} assigned the ticket to {assignee}"
    event_record(
        ticket=ticket,
        actor=actor,
        kind=Event.Kind.ASSIGNED,
        summary=summary,
        changes={"assignee": [previous.pk if previous else None, assignee.pk if assignee else None]},
    )
    notify.on_assigned(ticket, actor)
    return ticket


def ticket_claim(*, ticket: Ticket, actor: User) -> Ticket:
    if ticket.assignee_id not in (None, actor.pk):
        raise ValidationError(
            f"{ticket.reference} is already assigned to {ticket.assignee}; assign it to yourself to take it over."
        )
    return ticket_assign(ticket=ticket, assignee=actor, actor=actor)


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, queue: Queue, actor: User, note: str = "") -> Ticket:
    ticket = locked(ticket)
    if ticket.queue_id == queue.pk:
        raise ValidationError(f"{ticket.reference} is already in {queue}.")
    if not ticket.is_open:
        raise ValidationError(
            f"{ticket.reference} is {ticket.get_status_display().lower()}; reopen it first."
        )
    previous = ticket.queue
    ticket.queue = queue
    fields = ["queue"]
    summary = f"{actor} moved the ticket from {previous} to {queue}"
    if ticket.assignee is not None and not can_work_queue(ticket.assignee, queue):
        summary += f" and unassigned {ticket.assignee}, who doesn't work {queue}"
        ticket.assignee = None
        fields.append("assignee")
    event_record(
        ticket=ticket,
        actor=actor,
        kind=Event.Kind.TRANSFERRED,
        summary=f"{summary}: {note}" if note else summary,
        changes={"queue": [previous.name, queue.name]},
    )
    fields += sla_reapply(ticket, actor)
    touch(ticket, *fields)
    notify.on_transferred(ticket, actor)
    return ticket


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, status: str, actor: User) -> Ticket:
    ticket = locked(ticket)
    previous = ticket.status
    touch(ticket, *status_change(ticket, status))
    event_record(
        ticket=ticket,
        actor=actor,
        kind=Event.Kind.STATUS,
        summary=f"{actor} changed the status from {Status(previous).label} to {Status(status).label}",
        changes={"status": [previous, status]},
    )
    notify.on_status(ticket, actor)
    return ticket


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: int, actor: User) -> Ticket:
    ticket = locked(ticket)
    if ticket.priority == priority:
        return ticket
    previous = ticket.priority
    ticket.priority = priority
    labels = Ticket.Priority
    event_record(
        ticket=ticket,
        actor=actor,
        kind=Event.Kind.PRIORITY,
        summary=f"{actor} changed the priority from {labels(previous).label} to {labels(priority).label}",
        changes={"priority": [previous, priority]},
    )
    touch(ticket, "priority", *sla_reapply(ticket, actor))
    return ticket


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, actor: User) -> Ticket:
    """The requester says the problem is solved."""
    ticket = locked(ticket)
    previous = ticket.status
    touch(ticket, *status_change(ticket, Status.RESOLVED))
    event_record(
        ticket=ticket,
        actor=actor,
        kind=Event.Kind.STATUS,
        summary=f"{actor} marked the request resolved",
        changes={"status": [previous, Status.RESOLVED]},
    )
    notify.on_status(ticket, actor)
    return ticket


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor: User, reason: str = "") -> Ticket:
    """The requester says the problem is back, while the resolution is recent."""
    ticket = locked(ticket)
    if ticket.status != Status.RESOLVED:
        raise ValidationError("Only a resolved request can be reopened.")
    deadline = reopen_deadline(ticket)
    if deadline is not None and timezone.now() > deadline:
        raise ValidationError(
            f"This request was resolved more than {settings.TICKET_REOPEN_DAYS} days ago; "
            "please file a new request."
        )
    touch(ticket, *status_change(ticket, Status.OPEN))
    event_record(
        ticket=ticket,
        actor=actor,
        kind=Event.Kind.STATUS,
        summary=f"{actor} reopened the request" + (f": {reason}" if reason else ""),
        changes={"status": [Status.RESOLVED, Status.OPEN], "reopened": True},
    )
    notify.on_status(ticket, actor)
    return ticket
