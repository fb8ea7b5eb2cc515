"""Presentation of statuses, priorities and platforms: colours and icons only."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.timesince import timesince

from ..clock import sla_status
from ..models import Ticket

register = template.Library()

STATUS_CLASSES = {
    "new": "text-bg-primary",
    "open": "text-bg-info",
    "waiting_requester": "text-bg-warning",
    "waiting_third_party": "text-bg-warning",
    "resolved": "text-bg-success",
    "closed": "text-bg-secondary",
}
PRIORITY_CLASSES = {
    1: "text-bg-light border",
    2: "text-bg-secondary",
    3: "text-bg-warning",
    4: "text-bg-danger",
}
PLATFORM_ICONS = {
    "blog": "bi-journal-richtext",
    "twitter-x": "bi-twitter-x",
    "facebook": "bi-facebook",
    "linkedin": "bi-linkedin",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")


@register.filter
def priority_class(priority: int) -> str:
    return PRIORITY_CLASSES.get(priority, "text-bg-secondary")


@register.filter
def platform_icon(slug: str) -> str:
    return PLATFORM_ICONS.get(slug, "bi-globe2")


@register.filter
def get_item(mapping: dict[str, int], key: str) -> int | None:
    return mapping.get(key)


@register.filter
def add_class(field: BoundField, css: str) -> str:
    """Render a bound field with Bootstrap classes, keeping its id and attributes."""
    return field.as_widget(attrs={"class": css})


SLA_CLASSES = {
    "on-track": "text-bg-success",
    "at-risk": "text-bg-warning",
    "breached": "text-bg-danger",
    "paused": "text-bg-light border",
}


DURATION_GAP = re.compile(r"(?<=\d[a-z]) (?=\d)")


@register.inclusion_tag("tickets/desk/_sla_badge.html")
def sla_badge(ticket: Ticket) -> dict[str, object]:
    status = sla_status(ticket, timezone.now())
    if status is None:
        return {"status": None}
    state, label = status
    # "1d 17h" is one amount: a narrow column may wrap the badge around it, not through it.
    label = DURATION_GAP.sub("\u00a0", label)
    return {"status": state, "label": label, "css": SLA_CLASSES[state], "due": ticket.sla_due_at}


@register.filter
def ago(moment: datetime) -> str:
    """“just now”, or how long ago in its largest unit (“3 hours ago”); titles give the moment."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"
