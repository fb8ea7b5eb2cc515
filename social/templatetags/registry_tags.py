"""Presentation of account states: colours only."""

from __future__ import annotations

from django import template

register = template.Library()

STATUS_CLASSES = {
    "active": "text-bg-success",
    "compromised": "text-bg-danger",
    "suspended": "text-bg-warning",
    "retired": "text-bg-secondary",
}


@register.filter
def account_status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-secondary")
