"""The SLA sweep: act on every ticket whose next warning or breach has come, once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from .. import notify
from ..clock import FIRST_RESPONSE, SLA_FIELDS, clock_refresh, pending
from ..models import Event, Ticket
from .history import event_record

log = logging.getLogger(__name__)

MARKS = {
    (FIRST_RESPONSE, "warning"): "first_response_warned_at",
    (FIRST_RESPONSE, "breach"): "first_response_breached_at",
    ("resolution", "warning"): "resolution_warned_at",
    ("resolution", "breach"): "resolution_breached_at",
}
# A row that fails is left alone this long, so one bad ticket can't stall the sweep.
RETRY_BAD_ROW = timedelta(minutes=5)


def sla_sweep(*, now: datetime | None = None, batch: int = 200) -> int:
    """Fire what is due. Its cost follows the number of tickets due, through one partial index."""
    now = now or timezone.now()
    fired = 0
    while True:
        with transaction.atomic():
            due = list(
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("queue", "assignee", "requester", "platform", "problem_type", "sla_policy")
                .filter(next_sla_at__lte=now)
                .order_by("next_sla_at")[:batch]
            )
            for ticket in due:
                try:
                    with transaction.atomic():
                        fired += ticket_sla_fire(ticket=ticket, now=now)
                except Exception:
                    log.exception("SLA sweep failed on %s; trying it again later", ticket.reference)
                    Ticket.objects.filter(pk=ticket.pk).update(next_sla_at=now + RETRY_BAD_ROW)
        if len(due) < batch:
            return fired


def ticket_sla_fire(*, ticket: Ticket, now: datetime) -> int:
    """Send the warnings and breaches that are due, each once, and set the next moment."""
    due = [moment for moment in pending(ticket) if moment[2] <= now]
    fired = 0
    for target, stage, _when in due:
        setattr(ticket, MARKS[(target, stage)], now)
        breach_also_due = stage == "warning" and any(m[:2] == (target, "breach") for m in due)
        if breach_also_due:
            continue  # a late sweep says the worse news only
        fired += 1
        due_at = ticket.first_response_due_at if target == FIRST_RESPONSE else ticket.resolution_due_at
        assert due_at is not None
        label = "SLA warning" if stage == "warning" else "SLA breached"
        verb = "is due" if stage == "warning" else "was due"
        event_record(
            ticket=ticket,
            actor=None,
            kind=Event.Kind.SLA_WARNING if stage == "warning" else Event.Kind.SLA_BREACH,
            summary=f"{label}: the {target} {verb} {notify.when(due_at)}",
            changes={"target": target, "due_at": due_at.isoformat()},
        )
        notify.on_sla(ticket, target=target, stage=stage, due_at=due_at)
        if stage == "breach":
            _escalate_priority(ticket, target)
    clock_refresh(ticket)
    ticket.save(update_fields=["priority", *SLA_FIELDS])
    return fired


def _escalate_priority(ticket: Ticket, target: str) -> None:
    policy = ticket.sla_policy
    if policy is None or not policy.raise_priority_on_breach or ticket.priority >= Ticket.Priority.URGENT:
        return
    previous = Ticket.Priority(ticket.priority)
    ticket.priority = previous + 1
    event_record(
        ticket=ticket,
        actor=None,
        kind=Event.Kind.PRIORITY,
        summary=f"Priority raised from {previous.label} to {ticket.get_priority_display()}: the {target} is overdue",
        changes={"priority": [int(previous), ticket.priority]},
    )
