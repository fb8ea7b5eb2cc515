"""Getting the outbox's rows out: enqueueing after commit, re-dispatching and retrying."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings
from time_machine import TimeMachineFixture

from accounts.models import User
from notifications.models import Kind, Notification
from notifications.services import (
    DELIVER_TASK,
    enqueue,
    notifications_redispatch,
    notifications_retry,
    preferences_set,
)
from tickets import services
from tickets.models import Ticket
from tickets.notify import on_sla as notify_on_sla

from ..conftest import Cast, client_for
from ..factories import file_ticket
from ..tickets.pages import shown
from .conftest import SITE_URL, Broker
from .outbox import Status, notify_about, sent

# ---- enqueue -----------------------------------------------------------------------------------


def test_enqueue_publishes_the_deliver_task_by_name_without_retrying(broker: Broker) -> None:
    enqueue([41, 42])

    assert broker.published == [
        (DELIVER_TASK, [41], {"retry": False}),
        (DELIVER_TASK, [42], {"retry": False}),
    ]


def test_enqueue_swallows_a_broker_error_and_says_so(
    broker: Broker, caplog: pytest.LogCaptureFixture
) -> None:
    broker.down = ConnectionRefusedError(111, "Connection refused")

    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        enqueue([7])

    assert "Could not enqueue notifications [7]" in caplog.text


def test_filing_succeeds_and_keeps_the_rows_pending_when_the_broker_is_down(
    cast: Cast, broker: Broker, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    broker.down = ConnectionRefusedError(111, "Connection refused")

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        ticket = file_ticket(cast.employee)

    assert set(Notification.objects.filter(ticket=ticket).values_list("status", flat=True)) == {
        Status.PENDING
    }


# ---- re-dispatching ----------------------------------------------------------------------------


def make_row(cast: Cast, ticket: Ticket, **fields: object) -> Notification:
    (row,) = notify_about(ticket, Kind.ASSIGNED, cast.it_agent)
    Notification.objects.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()
    return row


def test_redispatch_resets_a_row_stuck_in_sending_past_the_lease_and_ignores_a_fresh_claim(
    cast: Cast, ticket: Ticket, broker: Broker, settings: Settings
) -> None:
    settings.NOTIFICATION_LEASE_SECONDS = 300
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0
    now = timezone.now()
    stuck = make_row(cast, ticket, status=Status.SENDING, claimed_at=now - timedelta(seconds=301), attempts=1)
    fresh = make_row(cast, ticket, status=Status.SENDING, claimed_at=now - timedelta(seconds=30), attempts=1)

    count = notifications_redispatch()

    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert (stuck.status, fresh.status) == (Status.PENDING, Status.SENDING)
    assert (count, broker.ids) == (1, [stuck.pk])
    assert broker.work() == {stuck.pk: "sent"}


def test_redispatch_resends_pending_rows_past_the_grace_only(
    cast: Cast, ticket: Ticket, broker: Broker, settings: Settings
) -> None:
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 120
    now = timezone.now()
    lost = make_row(cast, ticket, next_attempt_at=now - timedelta(seconds=121))
    make_row(cast, ticket, next_attempt_at=now - timedelta(seconds=60))  # its task may still be queued
    make_row(cast, ticket, next_attempt_at=now + timedelta(seconds=600))  # backing off
    make_row(cast, ticket, status=Status.SENT, next_attempt_at=now - timedelta(days=1))
    make_row(cast, ticket, status=Status.FAILED, next_attempt_at=now - timedelta(days=1))

    assert notifications_redispatch() == 1
    assert broker.ids == [lost.pk]


def test_redispatch_sends_the_oldest_first_and_stops_at_the_limit(
    cast: Cast, ticket: Ticket, broker: Broker, settings: Settings
) -> None:
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0
    now = timezone.now()
    newer = make_row(cast, ticket, next_attempt_at=now - timedelta(minutes=1))
    older = make_row(cast, ticket, next_attempt_at=now - timedelta(minutes=5))

    assert notifications_redispatch(limit=1) == 1
    assert broker.ids == [older.pk]
    assert notifications_redispatch() == 2
    assert broker.ids == [older.pk, older.pk, newer.pk]


def test_redispatch_with_the_broker_down_changes_nothing_but_the_stuck_rows(
    cast: Cast, ticket: Ticket, broker: Broker, settings: Settings, time_machine: TimeMachineFixture
) -> None:
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0
    broker.down = OSError("Redis is away")
    row = make_row(cast, ticket)
    time_machine.move_to(timezone.now() + timedelta(seconds=5))

    assert notifications_redispatch() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.PENDING, 0)


# ---- retrying failed rows ----------------------------------------------------------------------


def test_retry_makes_failed_rows_pending_again_and_leaves_the_others(
    cast: Cast,
    ticket: Ticket,
    broker: Broker,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    failed = make_row(cast, ticket, status=Status.FAILED, attempts=6, last_error="SMTPDataError")
    delivered = make_row(cast, ticket, status=Status.SENT, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        count = notifications_retry(ids=[failed.pk, delivered.pk])

    failed.refresh_from_db()
    delivered.refresh_from_db()
    assert count == 1
    assert (failed.status, failed.attempts, failed.last_error) == (Status.PENDING, 0, "")
    assert delivered.status == Status.SENT
    assert broker.work()[failed.pk] == "sent"


def test_a_breach_tells_the_queue_and_escalates_to_every_manager_even_one_who_muted_everything(
    cast: Cast, ticket: Ticket
) -> None:
    preferences_set(user=cast.manager, enabled=[])
    other_manager = User.objects.create_user(
        email="mona.manager@example.com", password="x", full_name="Mona Manager", role=User.Role.MANAGER
    )

    notify_on_sla(ticket, target="first response", stage="breach", due_at=timezone.now())

    assert sorted(sent(ticket)) == sorted(
        [
            (Kind.SLA_BREACH, cast.it_agent.email),
            (Kind.SLA_ESCALATION, cast.manager.email),
            (Kind.SLA_ESCALATION, other_manager.email),
        ]
    )


def test_a_warning_tells_the_queue_only(cast: Cast, ticket: Ticket) -> None:
    notify_on_sla(ticket, target="resolution", stage="warning", due_at=timezone.now())

    assert sent(ticket) == [(Kind.SLA_WARNING, cast.it_agent.email)]


def test_a_mention_mails_only_staff_who_can_open_the_ticket(cast: Cast, ticket: Ticket) -> None:
    services.ticket_reply(
        ticket=ticket,
        author=cast.it_agent,
        body="@mia.marketing is this your campaign? @max.manager and @ada.admin for the record.",
        internal=True,
    )

    # Mia works another queue: she would open a 404, so she is not mailed.
    mentions = Notification.objects.filter(ticket=ticket, kind=Kind.MENTION)
    assert sorted(row.email for row in mentions) == [cast.admin.email, cast.manager.email]
    for row in mentions:
        path = row.context["url"].removeprefix(SITE_URL)
        response = client_for(row.recipient).get(path)
        assert response.status_code == 200, f"{row.email} can't open {path}"
        assert ticket.subject in shown(response)


def test_after_a_broker_error_requests_leave_the_broker_alone_but_the_redispatcher_does_not(
    broker: Broker, cast: Cast, ticket: Ticket, settings: Settings
) -> None:
    broker.down = OSError("Redis is away")
    enqueue([7])
    broker.down = None

    enqueue([8])
    assert broker.ids == []

    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0
    row = make_row(cast, ticket)
    assert notifications_redispatch() == 1
    assert broker.ids == [row.pk]
