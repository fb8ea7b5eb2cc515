"""Presentation of statuses, priorities and platforms: colours and icons only."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
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


SLA_ICONS = {
    "breached": "bi-exclamation-octagon",
    "at-risk": "bi-hourglass-split",
    "paused": "bi-pause-circle",
}


@register.simple_tag
def sla_badge(ticket: Ticket) -> str:
    """The SLA state and time left; built in Python, as it is drawn twice on every desk row."""
    status = sla_status(ticket, timezone.now())
    if status is None:
        return format_html('<span class="text-body-secondary">—</span>')
    state, label = status
    icon = (
        format_html('<i class="bi {}" aria-hidden="true"></i> ', SLA_ICONS[state])
        if state in SLA_ICONS
        else ""
    )
    due = ticket.sla_due_at
    title = format_html(' title="Due {}"', date_format(timezone.localtime(due), "D j M H:i")) if due else ""
    return format_html(
        '<span class="badge {} sla-badge" data-sla="{}"{}>{}{}</span>',
        SLA_CLASSES[state],
        state,
        title,
        icon,
        label,
    )


@register.filter
def ago(moment: datetime) -> str:
    """“just now”, or how long ago in words."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"
