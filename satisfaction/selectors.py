"""Reads: the rating a ticket has, and what the rating pages need."""

from __future__ import annotations

from django.http import Http404

from tickets.models import Ticket

from .links import RatingLink
from .models import Rating


def linked_ticket(link: RatingLink) -> Ticket:
    """The ticket a genuine link names, while the person it names is still its requester."""
    ticket = (
        Ticket.objects.select_related("requester", "queue")
        .filter(pk=link.ticket_id, requester_id=link.requester_id, requester__is_active=True)
        .first()
    )
    if ticket is None:
        raise Http404("No such request.")
    return ticket


def rating_of(ticket: Ticket) -> Rating | None:
    return Rating.objects.filter(ticket=ticket).first()
