from __future__ import annotations

from typing import Any

from django import template

from tickets.models import Ticket

from ..selectors import macro_search

register = template.Library()


@register.inclusion_tag("macros/_picker.html", takes_context=True)
def ticket_macros(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    """The macro picker for the desk's ticket page, listing the first macros by name."""
    user = context["request"].user
    return {"ticket": ticket, "macros": macro_search(user, ticket), "query": ""}
