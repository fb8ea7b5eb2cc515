"""The saved views a person sees, their counts for the sidebar, and where the desk opens."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.http import Http404

from accounts.models import User
from tickets.selectors import capped_count, desk_queues, desk_tickets, tickets_filtered

from .filters import filters_resolve
from .models import QueueDefaultView, SavedView

COUNT_CAP = 99
COUNT_SECONDS = 60


def views_for(user: User) -> list[SavedView]:
    """The user's own views and those shared with the queues they work."""
    shared = Q(queue__in=desk_queues(user))
    return list(
        SavedView.objects.filter(Q(owner=user) | shared).select_related("queue").order_by("name", "id")
    )


def view_for(user: User, pk: int) -> SavedView:
    view = next((view for view in views_for(user) if view.pk == pk), None)
    if view is None:
        raise Http404("No view of yours or of your queues has this number.")
    return view


def may_change(user: User, view: SavedView) -> bool:
    """Its owner; for a shared view, who shared it, and managers."""
    if view.owner_id is not None:
        return view.owner_id == user.pk
    return view.created_by_id == user.pk or user.sees_every_queue


@dataclass(frozen=True)
class SidebarEntry:
    view: SavedView
    count: str  # "99+" past the cap: counting further would cost a scan
    is_default: bool
    may_change: bool


def _count_key(user: User, view: SavedView) -> str:
    # The filters are in the key: an edited view is counted afresh, not from an old entry.
    digest = hashlib.sha256(view.query_string.encode()).hexdigest()[:16]
    return f"savedviews:count:{user.pk}:{view.pk}:{digest}"


def sidebar(user: User) -> list[SidebarEntry]:
    """The views with their counts, each counted at most once a minute, one capped query each."""
    views = views_for(user)
    if not views:
        return []
    defaults = set(QueueDefaultView.objects.filter(view__in=views).values_list("view_id", flat=True))
    keys = {view.pk: _count_key(user, view) for view in views}
    cached = cache.get_many(list(keys.values()))
    missing = [view for view in views if keys[view.pk] not in cached]
    fresh: dict[str, str] = {}
    if missing:
        visible = desk_tickets(user)  # what the user may see, worked out once for every view
        for view, filters in zip(missing, filters_resolve([v.filters for v in missing], user), strict=True):
            if filters is None:
                fresh[keys[view.pk]] = "0"
                continue
            count, more = capped_count(tickets_filtered(visible, filters, user), cap=COUNT_CAP)
            fresh[keys[view.pk]] = f"{count}+" if more else str(count)
        cache.set_many(fresh, timeout=COUNT_SECONDS)
    counts = {**cached, **fresh}
    return [
        SidebarEntry(view, counts[keys[view.pk]], view.pk in defaults, may_change(user, view))
        for view in views
    ]


def desk_start(user: User) -> str:
    """An agent opens the desk on the default view of their first queue that has one."""
    if user.sees_every_queue:
        return ""
    default = (
        QueueDefaultView.objects.filter(queue__in=desk_queues(user))
        .select_related("view")
        .order_by("queue__name")
        .first()
    )
    return default.view.query_string if default else ""
