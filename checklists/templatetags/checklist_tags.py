from __future__ import annotations

from typing import Any

from django import template

from tickets.models import Ticket

from ..forms import StatementForm, WaiveForm
from ..selectors import panel

register = template.Library()


@register.inclusion_tag("checklists/_panel.html", takes_context=True)
def ticket_checklists(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    """The ticket's checklists and holding statement, for the desk's ticket page."""
    request = context["request"]
    view = panel(request.user, ticket)
    statement = view.statement
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "view": view,
        "statement_form": StatementForm(
            auto_id="statement-%s", initial={"text": statement.text if statement else ""}
        ),
        "waive_form": WaiveForm(),
    }
