"""What a ticket's history tells webhook endpoints: the topics of each event and its body.

services.history.event_record, and the bulk writers of history (the SLA sweep, closing
resolved tickets), hand their events here inside the change's transaction; the webhooks app
writes a delivery row per endpoint that subscribes (webhooks.services.deliveries_queue).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings

from accounts.models import User
from webhooks.models import Topic
from webhooks.services import Happening, deliveries_queue

from .events import event_sentence
from .models import Event, Ticket

Kind = Event.Kind

TOPIC_OF_KIND: dict[str, str] = {
    Kind.FILED: Topic.TICKET_CREATED,
    Kind.ASSIGNED: Topic.TICKET_ASSIGNED,
    Kind.REPLIED: Topic.TICKET_COMMENTED,
    Kind.NOTED: Topic.TICKET_COMMENTED,
    Kind.SLA_WARNING: Topic.SLA_WARNING,
    Kind.SLA_BREACH: Topic.SLA_BREACH,
}
# The desk's own bookkeeping, told already by "created" or of no use outside: where routing sent
# the ticket, its SLA targets, time logged. Every other kind (status, priority, transfer and
# those added later) is an update.
QUIET_KINDS = frozenset({Kind.ROUTED, Kind.SLA, Kind.TIME_LOGGED})


def _moved_to(event: Event) -> str | None:
    """The status the event moved the ticket to, if it moved it."""
    move = event.payload if event.kind == Kind.STATUS else event.payload.get("status")
    after = move.get("after") if isinstance(move, dict) else None
    return after.get("id") if isinstance(after, dict) else None


def topics(event: Event) -> list[str]:
    if event.kind in QUIET_KINDS:
        return []
    resolved = _moved_to(event) == Ticket.Status.RESOLVED
    if event.kind == Kind.STATUS:
        return [Topic.TICKET_RESOLVED if resolved else Topic.TICKET_UPDATED]
    topic = TOPIC_OF_KIND.get(event.kind, Topic.TICKET_UPDATED)
    # A reply that resolves the ticket is both: a tool that listens only for resolutions hears it.
    return [topic, Topic.TICKET_RESOLVED] if resolved else [topic]


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"id": user.pk, "name": str(user)}


def _ref(row: Any) -> dict[str, Any] | None:
    return None if row is None else {"id": row.pk, "name": str(row)}


def body(event: Event) -> dict[str, Any]:
    """The ticket as it is after the event, and the event as the history has it."""
    ticket = event.ticket
    return {
        "occurred_at": event.created_at.isoformat(),
        "ticket": {
            "id": ticket.pk,
            "reference": ticket.reference,
            "subject": ticket.subject,
            "status": ticket.status,
            "priority": ticket.priority,
            "queue": _ref(ticket.queue),
            "platform": _ref(ticket.platform),
            "problem_type": _ref(ticket.problem_type),
            "requester": _person(ticket.requester),
            "assignee": _person(ticket.assignee),
            "url": f"{settings.SITE_URL}{ticket.get_desk_url()}",
        },
        "event": {
            "kind": event.kind,
            "sentence": event_sentence(event),
            "actor": _person(event.actor),
            "payload": event.payload,
        },
    }


def events_published(events: Iterable[Event]) -> None:
    """Queue the deliveries these events call for; events nobody listens to cost one query."""
    deliveries_queue(
        happenings=[
            Happening(topic=topic, ticket_id=event.ticket_id, payload=partial(body, event))
            for event in events
            for topic in topics(event)
        ]
    )
