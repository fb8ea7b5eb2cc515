"""The SLA sweep: act on every ticket whose next warning or breach has come, once."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from notifications.services import notifications_batched

from .. import events as kinds
from .. import notify
from ..clock import FIRST_RESPONSE, clock_refresh, pending
from ..models import Event, Ticket
from ..webhook_events import events_published
from .history import event_build

log = logging.getLogger(__name__)

MARKS = {
    (FIRST_RESPONSE, "warning"): "first_response_warned_at",
    (FIRST_RESPONSE, "breach"): "first_response_breached_at",
    ("resolution", "warning"): "resolution_warned_at",
    ("resolution", "breach"): "resolution_breached_at",
}
# What a sweep changes on a ticket, beside its priority.
SWEPT_FIELDS = [*MARKS.values(), "sla_due_at", "next_sla_at"]
RETRY_BAD_ROW = timedelta(minutes=5)


def sla_sweep(*, now: datetime | None = None, batch: int = 200) -> int:
    """Fire what is due. Its cost follows the number of tickets due, through one partial index.

    Each batch is worked out in memory and written in a handful of queries: the events, the
    outbox rows and the tickets' new SLA columns, each in one statement.
    """
    now = now or timezone.now()
    managers = notify.active_managers()
    fired = 0
    while True:
        with transaction.atomic():
            due = list(
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("queue", "assignee", "requester", "platform", "problem_type", "sla_policy")
                .prefetch_related("queue__members")
                .filter(next_sla_at__lte=now)
                .order_by("next_sla_at")[:batch]
            )
            events: list[Event] = []
            swept: list[Ticket] = []
            bad: list[int] = []
            with notifications_batched() as outbox:
                for ticket in due:
                    marks = len(events), len(outbox)
                    try:
                        fired += ticket_sla_fire(ticket=ticket, now=now, events=events, managers=managers)
                        swept.append(ticket)
                    except Exception:
                        log.exception("SLA sweep failed on %s; trying it again later", ticket.reference)
                        del events[marks[0] :], outbox[marks[1] :]
                        bad.append(ticket.pk)
            events_published(Event.objects.bulk_create(events))
            _save_swept(swept)
            # One bad row is left alone for a while, so that it can't stall the sweep.
            Ticket.objects.filter(pk__in=bad).update(next_sla_at=now + RETRY_BAD_ROW)
        if len(due) < batch:
            return fired


def _save_swept(tickets: list[Ticket]) -> None:
    """Write what the sweep changed on each ticket, in one statement.

    Django's bulk_update builds a CASE per row and column, which costs far more in Python
    than the update costs PostgreSQL; on PostgreSQL an UPDATE from a VALUES list does it.
    """
    if not tickets:
        return
    columns = ["priority", *SWEPT_FIELDS]
    if connection.vendor != "postgresql":
        Ticket.objects.bulk_update(tickets, columns)
        return
    quote = connection.ops.quote_name
    column_of = {field.name: field.column for field in Ticket._meta.concrete_fields if field.column}
    names = [quote(column_of[name]) for name in columns]
    # Each moment is cast: a column that is NULL in every row must still read as a timestamp.
    row = "(%s, %s" + ", %s::timestamptz" * len(SWEPT_FIELDS) + ")"
    params = [
        value for t in tickets for value in (t.pk, t.priority, *(getattr(t, name) for name in SWEPT_FIELDS))
    ]
    assignments = ", ".join(f"{name} = v.{name}" for name in names)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(Ticket._meta.db_table)} AS t SET {assignments}"  # noqa: S608 (names from the model)
            f" FROM (VALUES {', '.join([row] * len(tickets))}) AS v(id, {', '.join(names)})"
            f" WHERE t.{quote(column_of['id'])} = v.id",
            params,
        )


def ticket_sla_fire(*, ticket: Ticket, now: datetime, events: list[Event], managers: list[User]) -> int:
    """Mark the warnings and breaches that are due, each once, and set the next moment.

    Changes `ticket` in memory and adds to `events`; the caller saves both.
    """
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
        fired_as = kinds.SlaWarning if stage == "warning" else kinds.SlaBreach
        fired_event = fired_as(target=kinds.sla_target(target), due_at=due_at)
        events.append(event_build(ticket=ticket, actor=None, payload=fired_event))
        notify.on_sla(ticket, target=target, stage=stage, due_at=due_at, managers=managers)
        if stage == "breach":
            _escalate_priority(ticket, target, events)
    clock_refresh(ticket)
    return fired


def _escalate_priority(ticket: Ticket, target: str, events: list[Event]) -> None:
    policy = ticket.sla_policy
    if policy is None or not policy.raise_priority_on_breach or ticket.priority >= Ticket.Priority.URGENT:
        return
    previous = ticket.priority
    ticket.priority = previous + 1
    raised = kinds.PriorityChanged(
        before=kinds.priority_ref(previous),
        after=kinds.priority_ref(ticket.priority),
        overdue=kinds.sla_target(target),
    )
    events.append(event_build(ticket=ticket, actor=None, payload=raised))
