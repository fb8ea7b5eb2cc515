"""Writes: a requester's rating of a resolved ticket, and the managers told of a poor one."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Kind
from notifications.services import Recipient, notify
from tickets.models import Ticket
from tickets.notify import active_managers
from tickets.services.common import actor_check, locked

from .models import Rating

COMMENT_MAX_CHARS = 2_000
# A rating this low or lower tells the managers.
POOR = 2


def rating_refusal(ticket: Ticket) -> str:
    """Why `ticket` can't be rated now, or "" when it can."""
    if ticket.status == Ticket.Status.CLOSED:
        return f"{ticket.reference} is closed, so its rating can no longer change."
    if ticket.status != Ticket.Status.RESOLVED:
        return f"{ticket.reference} is open again: you can rate it once it is resolved."
    return ""


@transaction.atomic
def rating_give(*, actor: User, ticket: Ticket, score: int, comment: str = "") -> Rating:
    """Record or change the requester's rating while the ticket is resolved (not yet closed)."""
    ticket = locked(ticket)
    actor_check(actor, ticket, requester=True)
    refusal = rating_refusal(ticket)
    if refusal:
        raise ValidationError(refusal)
    if score not in range(1, 6):
        raise ValidationError("Choose a rating from 1 to 5.")
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError(
            f"Keep the comment to {COMMENT_MAX_CHARS:,} characters; it has {len(comment):,}."
        )
    now = timezone.now()
    previous = Rating.objects.select_for_update().filter(ticket=ticket).first()
    if previous is None:
        rating = Rating.objects.create(
            ticket=ticket, requester=actor, score=score, comment=comment, created_at=now, updated_at=now
        )
    else:
        was_poor = previous.score <= POOR
        previous.score, previous.comment, previous.updated_at = score, comment, now
        previous.save(update_fields=["score", "comment", "updated_at"])
        rating = previous
    if score <= POOR and (previous is None or not was_poor):
        _tell_managers(ticket, rating)
    return rating


def _tell_managers(ticket: Ticket, rating: Rating) -> None:
    url = f"{settings.SITE_URL}{ticket.get_desk_url()}"
    notify(
        kind=Kind.LOW_RATING,
        recipients=[Recipient(user=manager, url=url) for manager in active_managers()],
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context={
            "reference": ticket.reference,
            "subject": ticket.subject,
            "queue": ticket.queue.name,
            "assignee": str(ticket.assignee) if ticket.assignee else "",
            "requester": str(ticket.requester),
            "score": rating.score,
            "comment": rating.comment,
        },
    )
