from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User

from .. import notify
from ..events import Collaborating, ref
from ..models import Collaboration, Queue, Ticket
from ..workflow import check_open
from .common import actor_check, locked, touch
from .history import event_record


@transaction.atomic
def ticket_collaborate(*, ticket: Ticket, queue: Queue, actor: User | None, why: str = "") -> Collaboration:
    """Another queue works the ticket beside its own; `actor` None when the desk does it itself
    (a hacked-account report brings in Communications)."""
    ticket = locked(ticket)
    if actor is not None:
        actor_check(actor, ticket, staff=True)
    check_open(ticket.status, reference=ticket.reference)
    if queue.pk == ticket.queue_id:
        raise ValidationError(f"{ticket.reference} is already in {queue}.")
    collaboration, created = Collaboration.objects.get_or_create(ticket=ticket, queue=queue)
    if not created:
        raise ValidationError(f"{queue} already works {ticket.reference}.")
    event_record(
        ticket=ticket, actor=actor, payload=Collaborating(queue=ref(queue), why=" ".join(why.split()))
    )
    touch(ticket)
    notify.on_collaborating(ticket, queue)
    return collaboration
