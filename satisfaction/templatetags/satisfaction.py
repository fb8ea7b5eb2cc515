"""`{% rating_box ticket %}`: "How did we do?" on the requester's page of a resolved request."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from tickets.models import Ticket

from .. import selectors, services
from ..forms import RatingForm

register = template.Library()


@register.inclusion_tag("satisfaction/_box.html", takes_context=True)
def rating_box(context: template.Context, ticket: Ticket) -> dict[str, Any]:
    user = context["request"].user
    shown = ticket.requester_id == user.pk and ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
    rating = selectors.rating_of(ticket) if shown else None
    return {
        "shown": shown and (ticket.status == Ticket.Status.RESOLVED or rating is not None),
        "ticket": ticket,
        "rating": rating,
        "refusal": services.rating_refusal(ticket),
        "form": RatingForm(),
        "action": reverse("satisfaction:rate_in_portal", args=[ticket.pk]),
        "csrf_token": context.get("csrf_token"),
    }
