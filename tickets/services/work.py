from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .. import events, notify
from ..models import Event, Queue, Ticket, TimeEntry
from ..selectors import can_work_queue
from ..webhook_events import events_published
from ..workflow import check_open, check_reopen, close_resolved_before, status_after_assign
from .common import actor_check, locked, sla_reapply, status_change, touch
from .history import event_build, event_record

Status = Ticket.Status


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | None, actor: User) -> Ticket:
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    return _assign(ticket, assignee, actor)


@transaction.atomic
def ticket_claim(*, ticket: Ticket, actor: User) -> Ticket:
    """Take an unassigned ticket; checked on the locked row, so two claims can't both win."""
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    if ticket.assignee_id not in (None, actor.pk):
        raise ValidationError(
            f"{ticket.reference} is already assigned to {ticket.assignee}; assign it to yourself to take it over."
        )
    return _assign(ticket, actor, actor)


def _assign(ticket: Ticket, assignee: User | None, actor: User) -> Ticket:
    check_open(ticket.status, reference=ticket.reference)
    if assignee is not None and not can_work_queue(assignee, ticket.queue):
        raise ValidationError(f"{assignee} doesn't work the {ticket.queue} queue.")
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    previous = ticket.assignee
    previous_status = ticket.status
    ticket.assignee = assignee
    fields = ["assignee"]
    target = status_after_assign(ticket.status, assigned=assignee is not None)
    if target is not None:
        fields += status_change(ticket, target)
    touch(ticket, *fields)
    assigned = events.Assigned(
        before=events.ref(previous),
        after=events.ref(assignee),
        status=events.StatusMove.between(previous_status, ticket.status),
    )
    event_record(ticket=ticket, actor=actor, payload=assigned)
    notify.on_assigned(ticket, actor)
    return ticket


@transaction.atomic
def ticket_transfer(*, ticket: Ticket, queue: Queue, actor: User, note: str = "") -> Ticket:
    """Move a ticket to another queue; its team may send it to any queue, as the desk offers."""
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    if ticket.queue_id == queue.pk:
        raise ValidationError(f"{ticket.reference} is already in {queue}.")
    check_open(ticket.status, reference=ticket.reference)
    previous = ticket.queue
    ticket.queue = queue
    fields = ["queue"]
    unassigned = None
    if ticket.assignee is not None and not can_work_queue(ticket.assignee, queue):
        unassigned = events.ref(ticket.assignee)
        ticket.assignee = None
        fields.append("assignee")
    moved = events.Transferred(
        before=events.ref(previous),
        after=events.ref(queue),
        unassigned=unassigned,
        note=" ".join(note.split())[:300],
    )
    event_record(ticket=ticket, actor=actor, payload=moved)
    fields += sla_reapply(ticket, actor)
    touch(ticket, *fields)
    notify.on_transferred(ticket, actor)
    return ticket


@transaction.atomic
def ticket_set_status(*, ticket: Ticket, status: str, actor: User) -> Ticket:
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    previous = ticket.status
    touch(ticket, *status_change(ticket, status))
    changed = events.StatusChanged(before=events.status_ref(previous), after=events.status_ref(status))
    event_record(ticket=ticket, actor=actor, payload=changed)
    notify.on_status(ticket, actor)
    return ticket


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: int, actor: User) -> Ticket:
    if priority not in Ticket.Priority.values:
        raise ValidationError(f"“{priority}” is not a priority; choose Low, Normal, High or Urgent.")
    ticket = locked(ticket)
    actor_check(actor, ticket, staff=True)
    check_open(ticket.status, reference=ticket.reference)
    if ticket.priority == priority:
        return ticket
    previous = ticket.priority
    ticket.priority = priority
    changed = events.PriorityChanged(
        before=events.priority_ref(previous), after=events.priority_ref(priority)
    )
    event_record(ticket=ticket, actor=actor, payload=changed)
    touch(ticket, "priority", *sla_reapply(ticket, actor))
    return ticket


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, actor: User) -> Ticket:
    """The requester says the problem is solved; staff resolve by setting the status."""
    ticket = locked(ticket)
    actor_check(actor, ticket, requester=True)
    previous = ticket.status
    touch(ticket, *status_change(ticket, Status.RESOLVED))
    resolved = events.StatusChanged(
        before=events.status_ref(previous), after=events.status_ref(Status.RESOLVED), how="resolved"
    )
    event_record(ticket=ticket, actor=actor, payload=resolved)
    notify.on_status(ticket, actor)
    return ticket


@transaction.atomic
def ticket_reopen(*, ticket: Ticket, actor: User, reason: str = "") -> Ticket:
    """The requester says the problem is back, while the resolution is recent."""
    ticket = locked(ticket)
    actor_check(actor, ticket, requester=True)
    check_reopen(ticket.status, resolved_at=ticket.resolved_at, now=timezone.now())
    touch(ticket, *status_change(ticket, Status.OPEN))
    reopened = events.StatusChanged(
        before=events.status_ref(Status.RESOLVED),
        after=events.status_ref(Status.OPEN),
        how="reopened",
        reason=" ".join(reason.split())[:300],
    )
    event_record(ticket=ticket, actor=actor, payload=reopened)
    notify.on_status(ticket, actor)
    return ticket


MAX_MINUTES_PER_ENTRY = 24 * 60


@transaction.atomic
def ticket_log_time(*, ticket: Ticket, agent: User, minutes: int, note: str = "") -> TimeEntry:
    """Record work on a ticket, charged at its queue's current hourly rate."""
    if not 0 < minutes <= MAX_MINUTES_PER_ENTRY:
        raise ValidationError(f"Log between 1 and {MAX_MINUTES_PER_ENTRY} minutes at a time.")
    ticket = locked(ticket)
    actor_check(agent, ticket, staff=True)
    note = " ".join(note.split())[:200]
    entry = TimeEntry.charged(ticket, agent=agent, minutes=minutes, note=note)
    entry.save(force_insert=True)
    event_record(ticket=ticket, actor=agent, payload=events.TimeLogged(minutes=minutes, note=note))
    return entry


def tickets_close_resolved(*, now: datetime | None = None, limit: int = 500) -> int:
    """Close what was resolved longer ago than requesters may reopen it."""
    now = now or timezone.now()
    cutoff = close_resolved_before(now)
    with transaction.atomic():
        due = list(
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=Status.RESOLVED, resolved_at__lt=cutoff)
            .order_by("resolved_at")[:limit]
        )
        for ticket in due:
            touch(ticket, *status_change(ticket, Status.CLOSED))
        closed = events.StatusChanged(
            before=events.status_ref(Status.RESOLVED),
            after=events.status_ref(Status.CLOSED),
            how="closed",
            reopen_days=settings.TICKET_REOPEN_DAYS,
        )
        events_published(
            Event.objects.bulk_create(
                event_build(ticket=ticket, actor=None, payload=closed) for ticket in due
            )
        )
    return len(due)
