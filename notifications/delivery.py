"""Delivering one notification, at most once per claim."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import InterfaceError, OperationalError, connection
from django.db.models import F
from django.utils import timezone

from . import emails
from .models import Notification

log = logging.getLogger(__name__)

# What a dropped or refused database connection raises: a restart, a failover, a network cut.
DATABASE_AWAY = (OperationalError, InterfaceError)


class TryAgain(Exception):
    """Sending failed for a reason that may pass; try again after `delay` seconds."""

    def __init__(self, *, delay: int, reason: str) -> None:
        super().__init__(reason)
        self.delay = delay


# Retries are Celery countdowns: they must stay well under the broker's visibility timeout,
# or Redis delivers them again and again.
MAX_BACKOFF_SECONDS = 1800

# Once SMTP has answered 250 the email is out. A row that cannot be marked sent stays claimed
# until its lease runs out and is then sent again, so marking it waits out a database restart.
MARK_SENT_PATIENCE_SECONDS = 60.0
MARK_SENT_FIRST_PAUSE_SECONDS = 0.25
MARK_SENT_LONGEST_PAUSE_SECONDS = 2.0


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
    except DATABASE_AWAY:
        raise  # not the template's fault: the row is given out again when its lease runs out
    except Exception as error:  # a broken template will not mend itself: fail now, visibly
        log.exception("Could not render notification %s", notification_id)
        _mark_failed(notification, f"Could not render: {error}")
        return "failed"
    message_id = message.extra_headers["Message-ID"]
    smtp = mail.get_connection()
    try:
        smtp.open()
        smtp.send_messages([message])
    except Exception as error:  # SMTP refusals, lost connections, and anything a backend may raise
        _hang_up(smtp)
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
    # Between the 250 and this update, a worker that dies leaves a row that will be sent again:
    # nothing else happens in between, and the goodbye to the SMTP server waits until after.
    try:
        _mark_sent(notification_id=notification_id, message_id=message_id, sent_at=timezone.now())
    finally:
        _hang_up(smtp)
    return "sent"


def _mark_sent(*, notification_id: int, message_id: str, sent_at: datetime) -> None:
    """Record the send, trying again on a fresh connection while the database is away."""
    deadline = time.monotonic() + MARK_SENT_PATIENCE_SECONDS
    pause = MARK_SENT_FIRST_PAUSE_SECONDS
    while True:
        try:
            Notification.objects.filter(pk=notification_id).update(
                status=Notification.Status.SENT, sent_at=sent_at, message_id=message_id, last_error=""
            )
            return
        except DATABASE_AWAY as error:
            if time.monotonic() + pause > deadline:
                log.error(
                    "Notification %s was sent but could not be marked sent for %.0f s; "
                    "it will be sent again when its lease runs out: %s",
                    notification_id,
                    MARK_SENT_PATIENCE_SECONDS,
                    error,
                )
                raise
            log.warning(
                "Notification %s was sent; marking it sent failed, trying again in %.2f s: %s",
                notification_id,
                pause,
                error,
            )
            # A connection that failed once is never trusted again: the next query opens another.
            connection.close()
            time.sleep(pause)
            pause = min(pause * 2, MARK_SENT_LONGEST_PAUSE_SECONDS)


def _hang_up(smtp: BaseEmailBackend) -> None:
    try:
        smtp.close()
    except Exception as error:  # the message was handed over, or its failure already recorded
        log.warning("Could not close the connection to the mail server: %s", error)


def _mark_failed(notification: Notification, reason: str) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.FAILED, last_error=reason[:2000]
    )
