"""Saving, removing and choosing the default of desk views; each checks its actor."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from tickets.models import Queue
from tickets.selectors import can_work_queue, desk_queues

from .filters import filters_clean
from .models import QueueDefaultView, SavedView
from .selectors import may_change

NAME_MAX = 80


def saved_view_create(
    *, actor: User, name: str, params: Mapping[str, str], queue: Queue | None = None
) -> SavedView:
    """Keep the desk list's current filters under a name, for the actor or shared with `queue`."""
    if not actor.is_desk_user:
        raise PermissionDenied("Saved views are for support staff.")
    if queue is not None and not can_work_queue(actor, queue):
        raise PermissionDenied(f"{actor} doesn't work the {queue} queue, so can't share a view with it.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Name the view, such as “Urgent on X”.")
    if len(name) > NAME_MAX:
        raise ValidationError(f"Keep the name under {NAME_MAX} characters.")
    filters = filters_clean(params, user=actor, queues=desk_queues(actor))
    view = SavedView(
        name=name,
        owner=None if queue else actor,
        queue=queue,
        filters=filters,
        created_by=actor,
        created_at=timezone.now(),
    )
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:
        where = f"{queue} already has" if queue else "You already have"
        raise ValidationError(f"{where} a view named “{name}”: choose another name.") from None
    return view


@transaction.atomic
def saved_view_delete(*, view: SavedView, actor: User) -> None:
    if not may_change(actor, view):
        raise PermissionDenied("Only whoever shared this view, or a manager, can remove it.")
    view.delete()


@transaction.atomic
def queue_default_set(*, view: SavedView, actor: User) -> QueueDefaultView | None:
    """Make a shared view its queue's default, or, if it is already, stop it being one."""
    if not actor.sees_every_queue:
        raise PermissionDenied("A manager chooses the view a queue opens on.")
    if view.queue is None:
        raise ValidationError("Only a view shared with a queue can be that queue's default.")
    current = QueueDefaultView.objects.select_for_update().filter(queue=view.queue).first()
    if current is not None and current.view_id == view.pk:
        current.delete()
        return None
    default, _ = QueueDefaultView.objects.update_or_create(
        queue=view.queue, defaults={"view": view, "set_by": actor, "set_at": timezone.now()}
    )
    return default
