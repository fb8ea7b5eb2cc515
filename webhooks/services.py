"""Writing webhook deliveries: rows in the event's transaction, a message to the broker after commit.

The tickets app calls deliveries_queue for the events it records (tickets/hooks.py); the
worker sends each row (delivery.py); the beat re-sends what the broker lost (webhooks_redispatch).
Endpoints are the administrators' (the admin site): the services below check that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from notifications.models import Kind
from notifications.services import Recipient, enqueue, notify

from .models import Delivery, Endpoint, new_secret

DELIVER_TASK = "webhooks.deliver"


@dataclass(frozen=True)
class Happening:
    """Something a webhook may hear about: its topic, its ticket, and how to make its payload."""

    topic: str
    ticket_id: int | None
    payload: Callable[[], dict[str, Any]]


def subscriptions() -> dict[str, list[int]]:
    """Which endpoints hear each topic: one small query over the endpoints that are on."""
    subscribed: dict[str, list[int]] = defaultdict(list)
    for pk, topics in Endpoint.objects.filter(is_active=True).values_list("pk", "topics"):
        for topic in topics:
            subscribed[topic].append(pk)
    return subscribed


def deliveries_queue(*, happenings: Sequence[Happening]) -> list[Delivery]:
    """A delivery row per subscribed endpoint and happening, in the caller's transaction.

    A payload is made only when someone listens: happenings nobody subscribes to cost one
    query for the whole batch.
    """
    if not happenings:
        return []
    subscribed = subscriptions()
    now = timezone.now()
    rows: list[Delivery] = []
    for happening in happenings:
        endpoint_ids = subscribed.get(happening.topic)
        if not endpoint_ids:
            continue
        payload = {"topic": happening.topic, **happening.payload()}
        rows += [
            Delivery(
                endpoint_id=endpoint_id,
                topic=happening.topic,
                ticket_id=happening.ticket_id,
                payload=payload,
                created_at=now,
                next_attempt_at=now,
            )
            for endpoint_id in endpoint_ids
        ]
    if not rows:
        return []
    rows = Delivery.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: enqueue(ids, task=DELIVER_TASK))
    return rows


def webhooks_redispatch(*, limit: int = 500) -> int:
    """Re-send what the broker lost: rows pending past their time, or stuck in a dead worker.

    The same lease as the notification outbox (notifications.services.notifications_redispatch):
    a row claimed longer ago than the lease by a worker that never finished is pending again.
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.WEBHOOK_LEASE_SECONDS)
    with transaction.atomic():
        stuck = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=Delivery.Status.SENDING, claimed_at__lt=now - lease)
            .values_list("pk", "attempts")[:limit]
        )
        worn_out = [pk for pk, attempts in stuck if attempts >= settings.WEBHOOK_MAX_ATTEMPTS]
        reclaimed = [pk for pk, attempts in stuck if attempts < settings.WEBHOOK_MAX_ATTEMPTS]
        Delivery.objects.filter(pk__in=worn_out).update(
            status=Delivery.Status.FAILED,
            last_error=Concat(Value("Worker lost while sending. "), "last_error"),
        )
        Delivery.objects.filter(pk__in=reclaimed).update(status=Delivery.Status.PENDING, next_attempt_at=now)
    grace = timedelta(seconds=settings.WEBHOOK_REDISPATCH_AFTER_SECONDS)
    overdue = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now - grace)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(dict.fromkeys([*reclaimed, *overdue]))
    enqueue(ids, persist=True, task=DELIVER_TASK)
    return len(ids)


# ---- the administrators' actions -----------------------------------------------------------


def _admin_check(actor: User) -> None:
    if not (actor.is_active and (actor.is_superuser or actor.role == User.Role.ADMIN)):
        raise PermissionDenied("Only administrators look after webhooks.")


def deliveries_send_again(*, ids: Sequence[int], actor: User) -> int:
    """Send finished or failed deliveries once more, with a fresh set of attempts.

    Rows of endpoints that are off stay as they are: the endpoint is turned on first.
    """
    _admin_check(actor)
    with transaction.atomic():
        again = list(
            Delivery.objects.filter(pk__in=ids, endpoint__is_active=True)
            .exclude(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING])
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=again).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
            last_error="",
        )
        transaction.on_commit(lambda: enqueue(again, task=DELIVER_TASK))
    return len(again)


def endpoints_turn_on(*, ids: Sequence[int], actor: User) -> int:
    """Turn endpoints on again with a clean slate of failures."""
    _admin_check(actor)
    return Endpoint.objects.filter(pk__in=ids, is_active=False).update(
        is_active=True, failures_in_row=0, disabled_at=None, disabled_reason=""
    )


def endpoint_secret_renew(*, endpoint: Endpoint, actor: User) -> str:
    """A new secret: requests are signed with it from now on, and the old one stops verifying."""
    _admin_check(actor)
    secret = new_secret()
    Endpoint.objects.filter(pk=endpoint.pk).update(secret=secret)
    endpoint.secret = secret
    return secret


# ---- failures --------------------------------------------------------------------------------


def endpoint_turn_off(*, endpoint: Endpoint, reason: str) -> bool:
    """Turn off an endpoint that keeps failing, and tell its owner; once, however many workers see it."""
    with transaction.atomic():
        turned_off = Endpoint.objects.filter(pk=endpoint.pk, is_active=True).update(
            is_active=False, disabled_at=timezone.now(), disabled_reason=reason[:300]
        )
        if turned_off:
            page = settings.SITE_URL + reverse("admin:webhooks_endpoint_change", args=[endpoint.pk])
            notify(
                kind=Kind.WEBHOOK_DISABLED,
                recipients=[Recipient(user=endpoint.owner, url=page)],
                ticket_id=None,
                thread=f"webhook-{endpoint.pk}",
                context={
                    "endpoint": endpoint.name,
                    "endpoint_url": endpoint.url,
                    "failures": settings.WEBHOOK_DISABLE_AFTER_FAILURES,
                    "last_error": reason[:300],
                },
            )
    return bool(turned_off)
