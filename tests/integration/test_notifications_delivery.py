"""The notification path end to end: the web process, Redis, a real Celery worker, a real SMTP server.

Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/socialit REDIS_URL=redis://127.0.0.1:6379/1.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from pytest_django.fixtures import Settings

from notifications.models import Kind, Notification
from notifications.services import enqueue, notifications_redispatch
from tickets.models import Platform, ProblemType, Ticket

from ..conftest import Cast, client_for
from ..factories import file_ticket
from .conftest import SITE_URL, Mailbox, Received, RedisServer, Worker, wait_idle, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the integration suite needs PostgreSQL and Redis: set DATABASE_URL=postgres://... "
        "and REDIS_URL=redis://... (a Celery worker in another process must share the database)",
    ),
]

Status = Notification.Status
StartWorker = Callable[[], Worker]
SUBJECT = "Locked out of the support account"


@pytest.fixture(autouse=True)
def site_url(settings: Settings) -> None:
    settings.SITE_URL = SITE_URL


def filing_data() -> dict[str, Any]:
    return {
        "platform": Platform.objects.get(slug="twitter-x").pk,
        "problem_type": ProblemType.objects.get(slug="login-access").pk,
        "company_account": "@acme_support",
        "subject": SUBJECT,
        "description": "The two-factor code never arrives on the shared phone.",
    }


def to(received: list[Received], address: str) -> Received:
    (message,) = [m for m in received if m.rcpt_tos == [address]]
    return message


def statuses(**filters: object) -> list[tuple[str, str, int]]:
    return list(
        Notification.objects.filter(**filters).order_by("id").values_list("kind", "status", "attempts")
    )


def settled(**filters: object) -> list[tuple[str, str, int]]:
    """The rows once the worker has marked them: SMTP's 250 reaches the server before the row's update."""
    wait_until(
        lambda: (
            not Notification.objects.filter(**filters, status__in=[Status.PENDING, Status.SENDING]).exists()
        ),
        what="the worker to mark its rows",
    )
    return statuses(**filters)


def root(ticket: Ticket) -> str:
    return f"<sit-{ticket.pk}@socialit.example>"


def test_filing_in_the_portal_mails_the_requester_and_the_queue_and_a_staff_reply_threads(
    transactional_db: None, cast: Cast, mailbox: Mailbox, start_worker: StartWorker
) -> None:
    start_worker()

    response = client_for(cast.employee).post(reverse("tickets:new"), filing_data())

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    received = mailbox.wait_for(2)
    receipt, news = to(received, cast.employee.email), to(received, cast.it_agent.email)

    assert receipt["Subject"] == f"[SIT-{ticket.pk}] We have your request: {SUBJECT}"
    assert receipt["To"] == f"Erin Employee <{cast.employee.email}>"
    assert receipt["From"] == "Social IT Desk <desk@socialit.example>"
    assert f"{SITE_URL}/requests/{ticket.pk}/" in receipt.text
    assert f'href="{SITE_URL}/requests/{ticket.pk}/"' in receipt.html
    assert news["Subject"] == f"[SIT-{ticket.pk}] New in IT: {SUBJECT}"
    assert news["To"] == f"Ian It <{cast.it_agent.email}>"
    assert f"{SITE_URL}/desk/tickets/{ticket.pk}/" in news.text
    for message in (receipt, news):
        assert (message["In-Reply-To"], message["References"]) == (root(ticket), root(ticket))
        assert message["Auto-Submitted"] == "auto-generated"
    assert receipt["Message-ID"] != news["Message-ID"]
    assert settled() == [(Kind.RECEIVED, Status.SENT, 1), (Kind.NEW_IN_QUEUE, Status.SENT, 1)]
    assert Notification.objects.get(kind=Kind.RECEIVED).message_id == receipt["Message-ID"]

    response = client_for(cast.it_agent).post(
        reverse("desk:reply", args=[ticket.pk]),
        {"visibility": "public", "body": "Use the backup codes in the vault.", "status": ""},
    )

    assert response.status_code == 302
    reply = mailbox.wait_for(3)[2]
    assert reply.rcpt_tos == [cast.employee.email]
    assert reply["Subject"] == f"[SIT-{ticket.pk}] Ian It replied: {SUBJECT}"
    assert "Use the backup codes in the vault." in reply.text
    assert reply["In-Reply-To"] == receipt["References"]
    assert reply["References"] == receipt["References"]
    assert reply["Message-ID"] not in (receipt["Message-ID"], news["Message-ID"])


def test_a_ticket_filed_while_redis_is_down_is_mailed_once_when_redis_is_back(
    transactional_db: None,
    cast: Cast,
    mailbox: Mailbox,
    start_worker: StartWorker,
    stoppable_redis: RedisServer,
    settings: Settings,
) -> None:
    stoppable_redis.stop()
    try:
        started = time.monotonic()
        response = client_for(cast.employee).post(reverse("tickets:new"), filing_data())
        elapsed = time.monotonic() - started
        assert response.status_code == 302
        assert elapsed < 10, f"filing took {elapsed:.1f} s with Redis down"
        assert statuses() == [(Kind.RECEIVED, Status.PENDING, 0), (Kind.NEW_IN_QUEUE, Status.PENDING, 0)]
    finally:
        stoppable_redis.start()
    worker = start_worker()
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0

    assert notifications_redispatch() == 2

    received = mailbox.wait_for(2)
    wait_idle(stoppable_redis, worker)
    assert sorted(m.rcpt_tos[0] for m in mailbox.accepted) == sorted(
        [cast.employee.email, cast.it_agent.email]
    )
    assert settled() == [(Kind.RECEIVED, Status.SENT, 1), (Kind.NEW_IN_QUEUE, Status.SENT, 1)]
    assert notifications_redispatch() == 0
    assert to(received, cast.employee.email)["Subject"].startswith("[SIT-")


def test_an_smtp_server_refusing_for_a_while_is_retried_with_backoff_until_it_accepts(
    transactional_db: None, cast: Cast, mailbox: Mailbox, start_worker: StartWorker
) -> None:
    mailbox.refuse_next(3)
    worker = start_worker()

    file_ticket(cast.employee, subject=SUBJECT)

    received = mailbox.wait_for(2)
    assert sorted(m.rcpt_tos[0] for m in received) == sorted([cast.employee.email, cast.it_agent.email])
    assert len(mailbox.refused) == 3
    # The SMTP server has the mail a moment before the worker marks its row sent.
    wait_until(
        lambda: set(Notification.objects.values_list("status", flat=True)) == {Status.SENT},
        what="every row marked sent",
    )
    rows = list(Notification.objects.order_by("id"))
    assert sum(row.attempts for row in rows) == 5
    assert max(row.attempts for row in rows) > 1
    assert {row.last_error for row in rows} == {""}
    for address in (cast.employee.email, cast.it_agent.email):
        tries = sorted(m.at for m in mailbox.refused + mailbox.accepted if m.rcpt_tos == [address])
        gaps = [later - earlier for earlier, later in itertools.pairwise(tries)]
        # NOTIFICATION_RETRY_SECONDS=1 in the worker: 1 s after the first failure, 2 s after the second.
        assert all(gap >= 2**n * 0.9 for n, gap in enumerate(gaps)), gaps
    assert "retry: Retry in" in worker.output()


def test_the_delivery_task_run_twice_for_one_row_sends_one_email(
    transactional_db: None,
    cast: Cast,
    mailbox: Mailbox,
    start_worker: StartWorker,
    redis_server: RedisServer,
) -> None:
    ticket = file_ticket(cast.employee, subject=SUBJECT)
    redis_server.flush()  # drop the tasks filing published: only ours below will run
    receipt = Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    enqueue([receipt.pk, receipt.pk])

    worker = start_worker()

    assert sorted(wait_until(lambda: len(worker.results()) >= 2 and worker.results(), what="two tasks")) == [
        "not pending",
        "sent",
    ]
    wait_idle(redis_server, worker)
    assert [m.rcpt_tos for m in mailbox.accepted] == [[cast.employee.email]]
    assert settled(pk=receipt.pk) == [(Kind.RECEIVED, Status.SENT, 1)]


def test_a_row_whose_worker_died_mid_send_is_delivered_once_by_a_new_worker_after_redispatch(
    transactional_db: None,
    cast: Cast,
    mailbox: Mailbox,
    start_worker: StartWorker,
    redis_server: RedisServer,
    settings: Settings,
) -> None:
    ticket = file_ticket(cast.employee, subject=SUBJECT)
    redis_server.flush()
    receipt = Notification.objects.get(ticket=ticket, kind=Kind.RECEIVED)
    Notification.objects.exclude(pk=receipt.pk).delete()
    mailbox.hold_next()
    doomed = start_worker()
    enqueue([receipt.pk])

    wait_until(
        lambda: mailbox.holding.is_set() and statuses(pk=receipt.pk) == [(Kind.RECEIVED, Status.SENDING, 1)],
        what="the worker to be in the middle of sending",
    )
    doomed.kill()
    mailbox.release()

    assert statuses(pk=receipt.pk) == [(Kind.RECEIVED, Status.SENDING, 1)]
    assert mailbox.accepted == []
    fresh = start_worker()
    settings.NOTIFICATION_LEASE_SECONDS = 0
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0

    assert notifications_redispatch() == 1

    (delivered,) = mailbox.wait_for(1)
    wait_idle(redis_server, doomed, fresh)
    assert len(mailbox.accepted) == 1
    assert delivered.rcpt_tos == [cast.employee.email]
    assert delivered["Message-ID"] == mailbox.held[0]["Message-ID"]
    assert settled(pk=receipt.pk) == [(Kind.RECEIVED, Status.SENT, 2)]


def test_a_running_worker_reconnects_after_a_redis_restart_and_delivers_what_was_filed_meanwhile(
    transactional_db: None,
    cast: Cast,
    mailbox: Mailbox,
    start_worker: StartWorker,
    stoppable_redis: RedisServer,
    settings: Settings,
) -> None:
    worker = start_worker()
    stoppable_redis.stop()
    try:
        response = client_for(cast.employee).post(reverse("tickets:new"), filing_data())
        assert response.status_code == 302
    finally:
        stoppable_redis.start()
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0

    assert notifications_redispatch() == 2

    mailbox.wait_for(2)
    wait_idle(stoppable_redis, worker)
    assert len(mailbox.accepted) == 2
    assert settled() == [(Kind.RECEIVED, Status.SENT, 1), (Kind.NEW_IN_QUEUE, Status.SENT, 1)]
    assert "Connection to broker lost" in worker.output()


def test_a_hung_redis_delays_filing_by_seconds_only_and_every_mail_is_sent_once(
    transactional_db: None,
    cast: Cast,
    mailbox: Mailbox,
    start_worker: StartWorker,
    redis_server: RedisServer,
    settings: Settings,
) -> None:
    worker = start_worker()
    pause_ms = 6000
    # Redis stops answering every client, as when it is stuck, without being stopped.
    assert redis_server.client().execute_command("CLIENT", "PAUSE", pause_ms, "ALL")
    paused_until = time.monotonic() + pause_ms / 1000
    try:
        started = time.monotonic()
        response = client_for(cast.employee).post(reverse("tickets:new"), filing_data())
        elapsed = time.monotonic() - started
    finally:
        wait_until(
            lambda: time.monotonic() > paused_until, what="the pause to end", timeout=pause_ms / 1000 + 1
        )
        redis_server.client().execute_command("CLIENT", "UNPAUSE")
    assert response.status_code == 302
    assert elapsed < 10, f"filing took {elapsed:.1f} s with Redis hung"
    settings.NOTIFICATION_REDISPATCH_AFTER_SECONDS = 0

    notifications_redispatch()

    mailbox.wait_for(2)
    # A publish that timed out may still have reached Redis: the task then runs twice, the mail once.
    wait_until(lambda: "sent" in worker.results(), what="the worker's results")
    wait_idle(redis_server, worker)
    assert sorted(m.rcpt_tos[0] for m in mailbox.accepted) == sorted(
        [cast.employee.email, cast.it_agent.email]
    )
    assert settled() == [(Kind.RECEIVED, Status.SENT, 1), (Kind.NEW_IN_QUEUE, Status.SENT, 1)]
