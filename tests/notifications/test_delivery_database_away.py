"""The database away around a send: the row is marked sent once it is back, and nothing is sent twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone
from pytest_django.fixtures import Settings

from notifications import delivery, tasks
from notifications.delivery import notification_deliver
from notifications.models import Kind, Notification
from notifications.services import notifications_redispatch
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .backends import OrderRecordingBackend
from .conftest import Broker

Status = Notification.Status


@pytest.fixture
def receipt(transactional_db: None, cast: Cast) -> Notification:
    # Real transactions: marking sent closes the broken connection and opens another.
    ticket: Ticket = file_ticket(cast.employee, subject="Cannot log in to the support account")
    return Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)


class Clock:
    """Stands in for `time` in delivery: sleeping moves the clock on at once."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(delivery, "time", fake)
    return fake


@contextmanager
def marking_sent_fails(times: int) -> Iterator[list[int]]:
    """The first `times` updates marking a row sent fail as on a dropped connection.

    Yields the server process of the connection each attempt used.
    """
    backends: list[int] = []

    def fail(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.startswith('UPDATE "notifications_notification"') and '"sent_at" =' in sql:
            backends.append(context["connection"].connection.get_backend_pid())
            if len(backends) <= times:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield backends


def test_a_row_sent_while_the_database_restarts_is_marked_sent_on_a_fresh_connection(
    receipt: Notification, clock: Clock, mailoutbox: list[mail.EmailMessage]
) -> None:
    with marking_sent_fails(times=3) as backends:
        assert notification_deliver(notification_id=receipt.pk) == "sent"

    row = Notification.objects.get(pk=receipt.pk)
    (message,) = mailoutbox
    assert (row.status, row.attempts, row.message_id) == (Status.SENT, 1, message.extra_headers["Message-ID"])
    assert clock.pauses == [0.25, 0.5, 1.0]
    assert len(set(backends)) == 4, "each try on a connection of its own"


def test_marking_sent_gives_up_after_a_minute_and_leaves_the_row_to_its_lease(
    receipt: Notification, clock: Clock, mailoutbox: list[mail.EmailMessage], caplog: pytest.LogCaptureFixture
) -> None:
    with marking_sent_fails(times=1000), pytest.raises(OperationalError):
        notification_deliver(notification_id=receipt.pk)

    assert 58 <= sum(clock.pauses) <= 60
    assert max(clock.pauses) == 2.0
    assert Notification.objects.get(pk=receipt.pk).status == Status.SENDING
    assert len(mailoutbox) == 1
    assert "could not be marked sent for 60 s" in caplog.text


def test_the_mail_server_connection_is_closed_only_after_the_row_is_marked_sent(
    receipt: Notification, settings: Settings
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.OrderRecordingBackend"
    OrderRecordingBackend.events.clear()

    assert notification_deliver(notification_id=receipt.pk) == "sent"

    assert OrderRecordingBackend.events == ["open", "send", "close with 1 sent"]


def test_the_task_tries_again_soon_when_the_database_is_away(
    receipt: Notification, monkeypatch: pytest.MonkeyPatch
) -> None:
    away = OperationalError("connection refused")
    retried: list[dict[str, Any]] = []

    def refuse(*, notification_id: int) -> str:
        raise away

    def retry(**options: Any) -> Exception:
        retried.append(options)
        return RuntimeError("retried")

    monkeypatch.setattr(tasks, "notification_deliver", refuse)
    monkeypatch.setattr(tasks.deliver, "retry", retry)

    with pytest.raises(RuntimeError, match="retried"):
        tasks.deliver(receipt.pk)

    assert retried == [{"countdown": 1, "exc": away}]


# ---- a worker lost mid-send --------------------------------------------------------------------


def test_a_row_whose_worker_died_goes_to_the_broker_once_its_lease_is_over_without_more_grace(
    receipt: Notification, broker: Broker, settings: Settings
) -> None:
    assert (settings.NOTIFICATION_LEASE_SECONDS, settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS) == (60, 120)
    claimed = timezone.now() - timedelta(seconds=50)
    Notification.objects.filter(pk=receipt.pk).update(status=Status.SENDING, claimed_at=claimed, attempts=1)
    broker.published.clear()

    assert notifications_redispatch() == 0

    Notification.objects.filter(pk=receipt.pk).update(claimed_at=claimed - timedelta(seconds=11))

    assert notifications_redispatch() == 1
    assert broker.ids == [receipt.pk]
    assert Notification.objects.get(pk=receipt.pk).status == Status.PENDING


def test_a_lost_workers_email_goes_out_within_two_minutes_with_the_default_settings(
    settings: Settings,
) -> None:
    beat = settings.CELERY_BEAT_SCHEDULE["notifications-redispatch"]["schedule"]

    assert settings.NOTIFICATION_LEASE_SECONDS + beat <= 120
    # The lease outlasts a send, each SMTP step bounded by EMAIL_TIMEOUT.
    assert settings.NOTIFICATION_LEASE_SECONDS >= 5 * settings.EMAIL_TIMEOUT
