"""`{% policy_banner %}`: asks a signed-in person to confirm the policy's current version."""

from __future__ import annotations

from typing import Any

from django import template

from ..policy import policy_pending_for

register = template.Library()


@register.inclusion_tag("guides/portal/_policy_banner.html", takes_context=True)
def policy_banner(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"pending": policy_pending_for(user) if user is not None else None}
