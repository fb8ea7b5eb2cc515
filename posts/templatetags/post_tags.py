from __future__ import annotations

from typing import Any

from django import template

from tickets.models import Ticket

from ..forms import DecisionForm, ReviseForm
from ..selectors import review_panel

register = template.Library()


@register.inclusion_tag("posts/_panel.html", takes_context=True)
def ticket_review(
    context: dict[str, Any], ticket: Ticket, form: Any = None, action: str = ""
) -> dict[str, Any]:
    """The post under review, its versions and the decision or revision form, on both ticket pages."""
    request = context["request"]
    panel = review_panel(request.user, ticket)
    if panel is None:
        return {"panel": None}
    revise = form if action == "revise" else None
    decide = form if action == "decide" else None
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "panel": panel,
        "revise_form": revise
        or ReviseForm(
            limit=panel.limit, initial={"text": panel.latest.draft.text, "links": panel.latest.draft.links}
        ),
        "decision_form": decide or DecisionForm(),
        "desk": context.get("side") == "desk",
    }
