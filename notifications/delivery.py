"""Delivering one notification, at most once per claim."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from . import emails
from .models import Notification

log = logging.getLogger(__name__)


class TryAgain(Exception):
    """Sending failed for a reason that may pass; try again after `delay` seconds."""

    def __init__(self, *, delay: int, reason: str) -> None:
        super().__init__(reason)
        self.delay = delay


# Retries are Celery countdowns: they must stay well under the broker's visibility timeout,
# or Redis delivers them again and again.
MAX_BACKOFF_SECONDS = 1800


def backoff(attempts: int) -> int:
    base = settings.NOTIFICATION_RETRY_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def notification_deliver(*, notification_id: int) -> str:
    """Claim the row, send it, mark it: a second run of the same task finds nothing to do."""
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not pending"
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        message = emails.build(notification)
    except Exception as error:  # a broken template will not mend itself: fail now, visibly
        log.exception("Could not render notification %s", notification_id)
        _mark_failed(notification, f"Could not render: {error}")
        return "failed"
    try:
        message.send()
    except Exception as error:  # SMTP refusals, lost connections, and anything a backend may raise
        reason = f"{type(error).__name__}: {error}"
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            _mark_failed(notification, reason)
            return "failed"
        delay = backoff(notification.attempts)
        Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
            status=Notification.Status.PENDING,
            next_attempt_at=timezone.now() + timedelta(seconds=delay),
            last_error=reason,
        )
        raise TryAgain(delay=delay, reason=reason) from error
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        message_id=message.extra_headers["Message-ID"],
        last_error="",
    )
    return "sent"


def _mark_failed(notification: Notification, reason: str) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, last_error=reason[:2000]
    )
