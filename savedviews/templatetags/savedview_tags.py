from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import urlencode

from ..filters import FILTER_KEYS
from ..selectors import sidebar
from ..views import SaveForm

register = template.Library()


@register.inclusion_tag("savedviews/_sidebar.html", takes_context=True)
def desk_saved_views(context: dict[str, Any]) -> dict[str, Any]:
    """The desk sidebar's saved views with their counts, and the form that saves the current filters."""
    request = context["request"]
    user = request.user
    current = {key: value for key in FILTER_KEYS if (value := request.GET.get(key, ""))}
    here = urlencode(sorted(current.items()))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "entries": sidebar(user),
        "here": here,
        "current": current,
        "save_form": SaveForm(user=user, auto_id="view-%s"),
        "is_manager": user.sees_every_queue,
    }
