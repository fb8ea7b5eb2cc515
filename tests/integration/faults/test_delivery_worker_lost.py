"""A worker killed in the middle of a send: its email goes out once, one lease and one beat later.

In production the lease is 60 s and the re-dispatcher runs every minute, so within two minutes;
here the lease is 3 s and the test plays beat every second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection
from pytest_django.fixtures import Settings

from notifications.models import Kind, Notification
from notifications.services import enqueue, notifications_redispatch

from ...conftest import Cast
from ...factories import file_ticket
from ..conftest import Mailbox, RedisServer, Worker, wait_idle, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="fault drills need PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...",
    ),
]

Status = Notification.Status
LEASE = 3
BEAT = 1.0
# What a loaded machine may add: starting the task, rendering, the SMTP dialogue.
SLACK = 5.0


def test_an_email_whose_worker_died_mid_send_goes_out_once_right_after_its_lease(
    transactional_db: None,
    cast: Cast,
    mailbox: Mailbox,
    start_worker: Callable[..., Worker],
    redis_server: RedisServer,
    settings: Settings,
) -> None:
    settings.NOTIFICATION_LEASE_SECONDS = LEASE
    # The re-dispatch grace keeps its default: a row taken back from a dead worker does not wait for it.
    assert settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS == 120
    ticket = file_ticket(cast.employee, subject="Locked out of the support account")
    redis_server.flush()
    receipt = Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    Notification.objects.exclude(pk=receipt.pk).delete()
    mailbox.hold_next()
    doomed = start_worker()
    enqueue([receipt.pk])
    wait_until(
        lambda: mailbox.holding.is_set() and Notification.objects.get(pk=receipt.pk).status == Status.SENDING,
        what="the worker to be in the middle of sending",
    )
    doomed.kill()
    mailbox.release()
    fresh = start_worker()
    next_beat = 0.0

    def beat_until_delivered() -> bool:
        nonlocal next_beat
        if time.monotonic() >= next_beat:
            notifications_redispatch()
            next_beat = time.monotonic() + BEAT
        return bool(mailbox.accepted)

    wait_until(beat_until_delivered, what="the email to go out again", timeout=LEASE + BEAT + SLACK + 10)

    (held,), (delivered,) = mailbox.held, mailbox.accepted
    waited = delivered.at - held.at
    # Not before the lease ran out (the worker might still be sending), and not much after.
    assert LEASE - 0.5 <= waited <= LEASE + BEAT + SLACK
    assert delivered["Message-ID"] == held["Message-ID"]
    wait_until(
        lambda: Notification.objects.get(pk=receipt.pk).status == Status.SENT, what="the row marked sent"
    )
    wait_idle(redis_server, doomed, fresh)
    assert len(mailbox.accepted) == 1
    assert Notification.objects.get(pk=receipt.pk).attempts == 2
