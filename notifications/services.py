"""Writing notifications: rows in the caller's transaction, a message to the broker after commit."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .models import ESSENTIAL_KINDS, Kind, Notification, OptOut, kinds_reaching

log = logging.getLogger(__name__)

DELIVER_TASK = "notifications.deliver"


@dataclass(frozen=True)
class Recipient:
    user: User
    url: str


_outbox: ContextVar[list[Notification] | None] = ContextVar("notification_outbox", default=None)


def notify(
    *,
    kind: Kind,
    recipients: Iterable[Recipient],
    ticket_id: int | None,
    thread: str,
    context: dict[str, Any],
    actor: User | None = None,
) -> list[Notification]:
    """Queue one email per recipient, skipping the actor, inactive people and opt-outs."""
    chosen: dict[int, Recipient] = {}
    for recipient in recipients:
        user = recipient.user
        if user.is_active and user.email and (actor is None or user.pk != actor.pk):
            chosen.setdefault(user.pk, recipient)
    now = timezone.now()
    rows = [
        Notification(
            kind=kind,
            recipient=recipient.user,
            email=recipient.user.email,
            ticket_id=ticket_id,
            thread=thread,
            context={**context, "url": recipient.url, "recipient_name": recipient.user.get_short_name()},
            created_at=now,
            next_attempt_at=now,
        )
        for recipient in chosen.values()
    ]
    outbox = _outbox.get()
    if outbox is not None:
        outbox.extend(rows)
        return rows
    return _write(rows)


def password_reset_notify(*, users: Iterable[User]) -> list[Notification]:
    """Queue a reset email for each person; its link is made when the email is written."""
    page = f"{settings.SITE_URL}{reverse('accounts:password_reset')}"
    rows: list[Notification] = []
    for user in users:
        rows += notify(
            kind=Kind.PASSWORD_RESET,
            recipients=[Recipient(user=user, url=page)],
            ticket_id=None,
            thread=f"account-{user.pk}",
            context={},
        )
    return rows


@contextmanager
def notifications_batched() -> Iterator[list[Notification]]:
    """Collect what notify() is asked for and write it on leaving, in a few queries for all.

    The list is the batch so far: a caller may cut off what a failed step added.
    """
    outbox: list[Notification] = []
    token = _outbox.set(outbox)
    try:
        yield outbox
    finally:
        _outbox.reset(token)
    _write(outbox)


def _write(rows: list[Notification]) -> list[Notification]:
    optional = [row for row in rows if row.kind not in ESSENTIAL_KINDS]
    if optional:
        muted = set(
            OptOut.objects.filter(
                user__in={row.recipient_id for row in optional}, kind__in={row.kind for row in optional}
            ).values_list("user_id", "kind")
        )
        rows = [row for row in rows if (row.recipient_id, row.kind) not in muted]
    if not rows:
        return []
    rows = Notification.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: enqueue(ids))
    return rows


# After a failed publish this process leaves the broker alone for a while: with Redis hung,
# each attempt costs a socket timeout, and a web request must not pay it again and again.
BROKER_REST_SECONDS = 30
_broker_away_until = 0.0


def enqueue(ids: Sequence[int], *, persist: bool = False, task: str = DELIVER_TASK) -> None:
    """Hand rows to the workers; if the broker is away, the re-dispatcher sends them later.

    `persist` tries the broker even if it failed a moment ago: the re-dispatcher's way.
    `task` delivers one row by id; other outboxes (webhooks) name their own.
    """
    global _broker_away_until
    what = task.partition(".")[0]  # "notifications", "webhooks"
    if not persist and time.monotonic() < _broker_away_until:
        log.info("Broker unavailable a moment ago; %s %s wait for the re-dispatcher", what, list(ids))
        return
    try:
        for row_id in ids:
            current_app.send_task(task, args=[row_id], retry=False)
    except Exception as error:  # the web request must never fail because of the broker
        _broker_away_until = time.monotonic() + BROKER_REST_SECONDS
        log.warning("Could not enqueue %s %s, the re-dispatcher will: %s", what, list(ids), error)


def notifications_redispatch(*, limit: int = 500) -> int:
    """Re-send what the broker lost: rows pending past their time, or stuck in a dead worker.

    Two runs at once (a second beat) share the stuck rows, each taking those the other has not
    locked; a row both hand to the broker is still sent once, as delivery claims it first.
    """
    now = timezone.now()
    lease = timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    with transaction.atomic():
        # A worker that died mid-send never marked its row; after the lease it is pending again,
        # unless it has had all its attempts: a row that kills its worker every time ends failed.
        stuck = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(status=Notification.Status.SENDING, claimed_at__lt=now - lease)
            .values_list("pk", "attempts")[:limit]
        )
        worn_out = [pk for pk, attempts in stuck if attempts >= settings.NOTIFICATION_MAX_ATTEMPTS]
        reclaimed = [pk for pk, attempts in stuck if attempts < settings.NOTIFICATION_MAX_ATTEMPTS]
        Notification.objects.filter(pk__in=worn_out).update(
            status=Notification.Status.FAILED,
            last_error=Concat(Value("Worker lost while sending. "), "last_error"),
        )
        Notification.objects.filter(pk__in=reclaimed).update(
            status=Notification.Status.PENDING, next_attempt_at=now
        )
    # The lease was their grace: rows taken back from a dead worker go to the broker now.
    grace = timedelta(seconds=settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS)
    overdue = list(
        Notification.objects.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now - grace)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    ids = list(dict.fromkeys([*reclaimed, *overdue]))
    enqueue(ids, persist=True)
    return len(ids)


def notifications_retry(*, ids: Sequence[int]) -> int:
    """Try failed deliveries again (the admin's "retry" action)."""
    count = Notification.objects.filter(pk__in=ids, status=Notification.Status.FAILED).update(
        status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    transaction.on_commit(lambda: enqueue(list(ids)))
    return count


def notification_bounce(*, notification: Notification, reason: str) -> bool:
    """A delivery status notification says this email never arrived: it is failed, with why."""
    changed = Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENT).update(
        status=Notification.Status.FAILED, last_error=f"Bounced: {reason}"[:2000]
    )
    return bool(changed)


def preferences_set(*, user: User, enabled: Iterable[str]) -> None:
    """Keep as opt-outs exactly the optional kinds that can reach the user and are not `enabled`.

    Kinds that cannot reach them (an employee's desk emails) keep what was chosen before, so
    that becoming an agent starts with every desk email on, not with ones turned off unseen.
    """
    offered = {kind for kind in kinds_reaching(user) if kind not in ESSENTIAL_KINDS}
    muted = offered - set(enabled)
    with transaction.atomic():
        OptOut.objects.filter(user=user, kind__in=offered - muted).delete()
        existing = set(OptOut.objects.filter(user=user).values_list("kind", flat=True))
        OptOut.objects.bulk_create(OptOut(user=user, kind=kind) for kind in muted - existing)
