"""Which of the desk list's parameters a view keeps, and what they filter, for many views at once."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from accounts.models import User
from tickets.forms import DeskFilterForm
from tickets.models import Platform, ProblemType, Queue
from tickets.selectors import DeskFilters, desk_queues
from tickets.views.desk import desk_filters

# The desk form's own fields; paging cursors and anything else in an address are never kept.
FILTER_KEYS = ("q", "queue", "status", "priority", "platform", "problem", "assignee", "sort")
SLUG_MODELS: dict[str, type[Queue] | type[Platform] | type[ProblemType]] = {
    "queue": Queue,
    "platform": Platform,
    "problem": ProblemType,
}


def filters_clean(params: Mapping[str, str], *, user: User, queues: QuerySet[Queue]) -> dict[str, str]:
    """The allowlisted, chosen parameters, each checked by the desk's own filter form."""
    chosen = {key: params[key].strip() for key in FILTER_KEYS if params.get(key, "").strip()}
    # Assignee choices are the agents of the user's queues; "me" and "none" need no lookup.
    assignee = chosen.get("assignee", "")
    agents = list(User.objects.filter(pk=int(assignee))) if assignee.isdigit() else []
    form = DeskFilterForm(chosen, queues=queues, agents=agents, user=user)
    form.is_valid()
    bad = [str(form.fields[name].label or name).lower() for name in chosen if name in form.errors]
    if bad:
        raise ValidationError(f"These filters are not valid, so the view was not saved: {', '.join(bad)}.")
    if not chosen:
        raise ValidationError("Choose at least one filter before saving a view.")
    return chosen


def filters_resolve(views: Iterable[Mapping[str, str]], user: User) -> list[DeskFilters | None]:
    """Each stored filter set as DeskFilters, with one query per kind of slug for all of them.

    None for a set that names what is gone or out of the user's reach (a queue they left):
    it matches nothing, rather than silently everything.
    """
    views = list(views)
    found: dict[str, dict[str, object]] = {}
    for key, model in SLUG_MODELS.items():
        slugs = {view[key] for view in views if view.get(key)}
        if slugs:
            rows = desk_queues(user) if model is Queue else model.objects.all()
            found[key] = {row.slug: row for row in rows.filter(slug__in=slugs)}
    resolved: list[DeskFilters | None] = []
    for view in views:
        data: dict[str, object] = {"q": view.get("q", ""), "assignee": view.get("assignee", "")}
        data["status"] = view.get("status", DeskFilterForm.STATUS_UNRESOLVED)
        if view.get("priority", "").isdigit():
            data["priority"] = int(view["priority"])
        missing = False
        for key in SLUG_MODELS:
            if view.get(key):
                data[key] = found[key].get(view[key])
                missing = missing or data[key] is None
        resolved.append(None if missing else desk_filters(data))
    return resolved
