"""Delivering one row: claimed once, sent once, retried with backoff on SMTP errors, then failed."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from notifications import tasks
from notifications.delivery import TryAgain, backoff, notification_deliver
from notifications.models import Kind, Notification
from notifications.services import notifications_redispatch
from tickets.models import Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import CRASHING, DISCONNECTED, Broker

Status = Notification.Status


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    return file_ticket(cast.employee, subject="Cannot log in to the support account")


@pytest.fixture
def receipt(ticket: Ticket) -> Notification:
    return Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)


@pytest.fixture
def smtp_down(settings: Settings) -> None:
    settings.EMAIL_BACKEND = DISCONNECTED
    settings.NOTIFICATION_RETRY_SECONDS = 60
    settings.NOTIFICATION_MAX_ATTEMPTS = 3


def fresh(row: Notification) -> Notification:
    return Notification.objects.get(pk=row.pk)


def deliver(row: Notification) -> str:
    return notification_deliver(notification_id=row.pk)


# ---- the happy path ----------------------------------------------------------------------------


def test_delivering_sends_one_email_and_marks_the_row_sent(
    receipt: Notification, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert deliver(receipt) == "sent"

    row = fresh(receipt)
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 1, "")
    assert row.sent_at is not None and row.claimed_at is not None
    (message,) = mailoutbox
    assert message.to == [f"Erin Employee <{receipt.email}>"]
    assert row.message_id == message.extra_headers["Message-ID"]


def test_delivering_twice_sends_one_email(receipt: Notification, mailoutbox: list[mail.EmailMessage]) -> None:
    assert deliver(receipt) == "sent"
    assert deliver(receipt) == "not pending"

    assert len(mailoutbox) == 1
    assert fresh(receipt).attempts == 1


def test_a_row_claimed_by_another_worker_is_left_alone(
    receipt: Notification, mailoutbox: list[mail.EmailMessage]
) -> None:
    Notification.objects.filter(pk=receipt.pk).update(status=Status.SENDING, claimed_at=timezone.now())

    assert deliver(receipt) == "not pending"
    assert mailoutbox == []


def test_a_row_not_yet_due_is_not_sent(receipt: Notification, mailoutbox: list[mail.EmailMessage]) -> None:
    Notification.objects.filter(pk=receipt.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=1))

    assert deliver(receipt) == "not pending"
    assert (mailoutbox, fresh(receipt).status) == ([], Status.PENDING)


def test_an_unknown_id_is_nothing_to_do(db: None, mailoutbox: list[mail.EmailMessage]) -> None:
    assert notification_deliver(notification_id=987654) == "not pending"


def test_the_celery_task_delivers_through_the_same_service(
    receipt: Notification, mailoutbox: list[mail.EmailMessage]
) -> None:
    assert tasks.deliver(receipt.pk) == "sent"
    assert tasks.deliver(receipt.pk) == "not pending"
    assert len(mailoutbox) == 1


def test_a_row_that_cannot_be_rendered_fails_at_once(
    receipt: Notification, mailoutbox: list[mail.EmailMessage]
) -> None:
    Notification.objects.filter(pk=receipt.pk).update(context={})

    assert deliver(receipt) == "failed"

    row = fresh(receipt)
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert row.last_error.startswith("Could not render")
    assert mailoutbox == []


# ---- SMTP errors: backoff, then failed -----------------------------------------------------------


def test_backoff_doubles_from_the_base_and_is_capped_under_the_visibility_timeout(settings: Settings) -> None:
    settings.NOTIFICATION_RETRY_SECONDS = 60

    assert [backoff(n) for n in (0, 1, 2, 3, 4, 10)] == [60, 60, 120, 240, 480, 1800]


@pytest.mark.usefixtures("smtp_down")
def test_an_smtp_error_leaves_the_row_pending_for_later_with_the_error(
    receipt: Notification, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    now = timezone.now()

    with pytest.raises(TryAgain) as raised:
        deliver(receipt)

    row = fresh(receipt)
    assert raised.value.delay == 60
    assert (row.status, row.attempts) == (Status.PENDING, 1)
    assert row.next_attempt_at == now + timedelta(seconds=60)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert row.sent_at is None


@pytest.mark.usefixtures("smtp_down")
def test_a_retry_before_its_time_does_nothing(receipt: Notification) -> None:
    with pytest.raises(TryAgain):
        deliver(receipt)

    assert deliver(receipt) == "not pending"
    assert fresh(receipt).attempts == 1


@pytest.mark.usefixtures("smtp_down")
def test_retries_back_off_and_the_last_allowed_attempt_fails_the_row(
    receipt: Notification, time_machine: TimeMachineFixture, mailoutbox: list[mail.EmailMessage]
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    delays = []
    for _ in range(2):
        with pytest.raises(TryAgain) as raised:
            deliver(receipt)
        delays.append(raised.value.delay)
        time_machine.shift(timedelta(seconds=raised.value.delay))

    assert deliver(receipt) == "failed"

    row = fresh(receipt)
    assert delays == [60, 120]
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert "SMTPServerDisconnected" in row.last_error
    assert deliver(receipt) == "not pending"
    assert mailoutbox == []


def test_a_row_that_failed_once_is_sent_on_the_next_attempt(
    receipt: Notification,
    settings: Settings,
    time_machine: TimeMachineFixture,
    mailoutbox: list[mail.EmailMessage],
) -> None:
    settings.EMAIL_BACKEND = DISCONNECTED
    with pytest.raises(TryAgain) as raised:
        deliver(receipt)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(timezone.now() + timedelta(seconds=raised.value.delay + 1))

    assert deliver(receipt) == "sent"

    row = fresh(receipt)
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 2, "")
    assert len(mailoutbox) == 1


def test_a_row_whose_send_crashes_every_time_ends_failed_after_the_last_attempt(
    receipt: Notification, settings: Settings, broker: Broker
) -> None:
    settings.EMAIL_BACKEND = CRASHING
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_SECONDS = 0
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0

    for _ in range(5):
        with contextlib.suppress(TryAgain):
            deliver(receipt)
        notifications_redispatch()

    row = fresh(receipt)
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert "RuntimeError" in row.last_error


def test_a_row_whose_worker_dies_on_every_attempt_ends_failed_after_the_last_one(
    receipt: Notification, settings: Settings, broker: Broker
) -> None:
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_LEASE_SECONDS = 0
    Notification.objects.filter(pk=receipt.pk).update(
        status=Status.SENDING, attempts=2, claimed_at=timezone.now() - timedelta(seconds=1)
    )
    notifications_redispatch()
    assert fresh(receipt).status == Status.PENDING

    Notification.objects.filter(pk=receipt.pk).update(
        status=Status.SENDING, attempts=3, claimed_at=timezone.now() - timedelta(seconds=1)
    )
    notifications_redispatch()

    row = fresh(receipt)
    assert (row.status, row.attempts) == (Status.FAILED, 3)
    assert row.last_error.startswith("Worker lost while sending.")


# ---- the admin's retry action ------------------------------------------------------------------


def test_the_admin_retry_action_makes_a_failed_row_pending_and_sends_it(
    cast: Cast,
    receipt: Notification,
    broker: Broker,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    Notification.objects.filter(pk=receipt.pk).update(
        status=Status.FAILED, attempts=6, last_error="SMTPDataError: 421 try later"
    )
    client = client_for(cast.admin)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "retry", "_selected_action": [receipt.pk]},
            follow=True,
        )

    assert response.status_code == 200
    assert "1 failed notification(s) will be sent again." in response.content.decode()
    row = fresh(receipt)
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 0, "")
    assert broker.ids == [receipt.pk]
    assert broker.work() == {receipt.pk: "sent"}
    assert len(mailoutbox) == 1
    assert fresh(receipt).status == Status.SENT


def test_the_admin_retry_action_is_refused_to_an_employee(
    cast: Cast, receipt: Notification, broker: Broker
) -> None:
    Notification.objects.filter(pk=receipt.pk).update(status=Status.FAILED)

    response = client_for(cast.employee).post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "retry", "_selected_action": [receipt.pk]},
    )

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert fresh(receipt).status == Status.FAILED
    assert broker.published == []
