from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import User

from .. import hooks
from ..clock import (
    SLA_FIELDS,
    clock_pause,
    clock_refresh,
    clock_resume,
    clock_retarget,
    elapsed_business,
    policy_for,
)
from ..events import SlaTargets
from ..models import Ticket
from ..selectors import can_work_ticket, is_participant, is_requester
from ..workflow import check_transition
from .history import event_record

Status = Ticket.Status

# What a person writes in one description or reply: about ten pages. Longer text, such as
# a log, travels better as an attachment, and the search document stays bounded.
MESSAGE_MAX_CHARS = 20_000


def message_check(text: str, *, what: str) -> None:
    # Browsers send a line break as two characters; the person counts one.
    length = len(text) - text.count("\r\n")
    if length > MESSAGE_MAX_CHARS:
        raise ValidationError(
            f"Keep the {what} to {MESSAGE_MAX_CHARS:,} characters; it has {length:,}. "
            "Shorten it, or attach long text such as a log as a file."
        )


def locked(ticket: Ticket) -> Ticket:
    """The ticket's row, locked until the transaction ends, with what notifications need."""
    return (
        Ticket.objects.select_for_update(of=("self",))
        .select_related("queue", "assignee", "requester", "platform", "problem_type", "sla_policy__calendar")
        .get(pk=ticket.pk)
    )


def actor_check(
    actor: User, ticket: Ticket, *, staff: bool = False, requester: bool = False, participant: bool = False
) -> None:
    """Refuse an actor the rules don't let act, whoever calls: a view, the admin, a task, the API.

    Asked on the locked row, so a transfer or a removal from the queue that lands first counts.
    Views have already turned outsiders away with a 404; reaching this refusal from a view
    means the rights changed in between, and Django answers it with a 403.
    """
    if (
        (staff and can_work_ticket(actor, ticket))
        or (requester and is_requester(actor, ticket))
        or (participant and is_participant(actor, ticket))
    ):
        return
    if not actor.is_active:
        reason = f"{actor}'s account is deactivated."
    elif staff and requester:
        reason = f"Only the requester and the {ticket.queue} team can act on {ticket.reference}."
    elif staff:
        reason = f"{actor} doesn't work the {ticket.queue} queue, so can't change {ticket.reference}."
    else:
        reason = f"Only the requester of {ticket.reference} can do that."
    raise PermissionDenied(reason)


def touch(ticket: Ticket, *fields: str, now: datetime | None = None) -> None:
    """Save the changed fields; every change to a ticket counts as its latest activity."""
    ticket.updated_at = now or timezone.now()
    ticket.save(update_fields=list(dict.fromkeys([*fields, "updated_at"])))


def status_change(ticket: Ticket, status: str) -> list[str]:
    """Move to a new status, stamp its times and run or stop the SLA clock; returns changed fields."""
    check_transition(ticket.status, status)
    previous = ticket.status
    if status == Status.RESOLVED or (status == Status.CLOSED and previous in Ticket.OPEN_STATUSES):
        left = hooks.still_to_do(ticket)
        if left:
            raise ValidationError(
                f"{ticket.reference} can't be finished yet. Still to do: " + "; ".join(left) + "."
            )
    ticket.status = status
    now = timezone.now()
    if status == Status.WAITING_REQUESTER:
        clock_pause(ticket, now=now)
    elif previous == Status.WAITING_REQUESTER:
        clock_resume(ticket, now=now)
    else:
        clock_refresh(ticket)
    fields = ["status", *SLA_FIELDS]
    if status == Status.RESOLVED:
        ticket.resolved_at = now
        ticket.resolution_business = elapsed_business(ticket, now)
        fields += ["resolved_at", "resolution_business"]
        hooks.resolved(ticket)
    elif status == Status.CLOSED:
        ticket.closed_at = now
        fields.append("closed_at")
    elif previous == Status.RESOLVED:
        ticket.resolved_at = ticket.resolution_business = None
        ticket.reopen_count += 1
        fields += ["resolved_at", "resolution_business", "reopen_count"]
    return fields


def sla_reapply(ticket: Ticket, actor: User | None) -> list[str]:
    """After a change of queue or priority: the matching policy's targets, and why, in the history."""
    before = (ticket.sla_policy_id, ticket.first_response_due_at, ticket.resolution_due_at)
    ticket.sla_policy = policy_for(ticket.queue_id, ticket.priority)
    clock_retarget(ticket, now=timezone.now())
    if (ticket.sla_policy_id, ticket.first_response_due_at, ticket.resolution_due_at) != before:
        event_record(ticket=ticket, actor=actor, payload=SlaTargets.of(ticket, recomputed=True))
    return SLA_FIELDS
