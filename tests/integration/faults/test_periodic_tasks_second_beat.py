"""A second beat by mistake: each periodic task run twice at once still acts once per ticket and email.

Each pair of runs is made to overlap inside their transactions: every run holds at its first
write until the other has reached its own, so both hold their row locks at the same moment.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from notifications.delivery import notification_deliver
from notifications.models import Kind, Notification
from notifications.services import notifications_redispatch
from socialit.celery import app as celery_app
from tickets.models import Event, Ticket
from tickets.services.sla import sla_sweep
from tickets.services.work import tickets_close_resolved

from ...conftest import Cast
from ...factories import file_ticket

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks that skip what is locked need PostgreSQL"
    ),
]

T = TypeVar("T")
Status = Notification.Status


def at_once(call: Callable[[], T], *, holding_at: str, runs: int = 2) -> list[T]:
    """Run `call` in `runs` threads, each on its own connection, overlapping at `holding_at`.

    Each run holds just before its first statement starting with `holding_at` until every run
    has reached its own: a run that never gets there (blocked on a lock, or given nothing to
    do) breaks the barrier and fails the test.
    """
    barrier = threading.Barrier(runs, timeout=20)
    results: list[Any] = [None] * runs
    errors: list[BaseException] = []

    def run(index: int) -> None:
        held = False

        def hold(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
            nonlocal held
            if not held and sql.startswith(holding_at):
                held = True
                barrier.wait()
            return execute(sql, params, many, context)

        try:
            with connection.execute_wrapper(hold):
                results[index] = call()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def published(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The notification ids handed to the broker, in place of Redis."""
    ids: list[int] = []
    monkeypatch.setattr(celery_app, "send_task", lambda name, args, **options: ids.append(args[0]))
    return ids


def test_two_sla_sweeps_at_once_fire_each_breach_once(
    transactional_db: None, cast: Cast, published: list[int]
) -> None:
    tickets = [file_ticket(cast.employee, subject=f"Overdue {n}") for n in range(12)]
    later = timezone.now() + timedelta(days=60)

    fired = at_once(lambda: sla_sweep(now=later, batch=4), holding_at='INSERT INTO "tickets_event"')

    breaches = Counter(
        (event.ticket_id, event.payload["target"])
        for event in Event.objects.filter(kind=Event.Kind.SLA_BREACH)
    )
    assert set(breaches) == {(t.pk, target) for t in tickets for target in ("first response", "resolution")}
    assert set(breaches.values()) == {1}
    assert sum(fired) == len(breaches)
    mailed = Counter(
        (n.ticket_id, n.kind, n.email, n.context["target"])
        for n in Notification.objects.filter(kind__in=[Kind.SLA_BREACH, Kind.SLA_ESCALATION])
    )
    assert mailed and set(mailed.values()) == {1}
    assert not Ticket.objects.filter(next_sla_at__lte=later).exists()


def test_two_auto_closings_at_once_close_each_ticket_once(
    transactional_db: None, cast: Cast, published: list[int]
) -> None:
    tickets = [file_ticket(cast.employee, subject=f"Long resolved {n}") for n in range(8)]
    Ticket.objects.update(status=Ticket.Status.RESOLVED, resolved_at=timezone.now() - timedelta(days=30))

    closed = at_once(lambda: tickets_close_resolved(limit=3), holding_at='UPDATE "tickets_ticket"')
    closed.append(tickets_close_resolved())

    assert closed == [3, 3, 2]
    assert set(Ticket.objects.values_list("status", flat=True)) == {Ticket.Status.CLOSED}
    closings = Counter(
        Event.objects.filter(kind=Event.Kind.STATUS, payload__how="closed").values_list(
            "ticket_id", flat=True
        )
    )
    assert closings == Counter(t.pk for t in tickets)


def test_two_redispatchers_at_once_share_the_stuck_rows_and_every_email_is_sent_once(
    transactional_db: None, cast: Cast, published: list[int], mailoutbox: list[mail.EmailMessage]
) -> None:
    for n in range(5):
        file_ticket(cast.employee, subject=f"Undelivered {n}")
    rows = list(Notification.objects.order_by("id").values_list("pk", flat=True))
    stuck, overdue = rows[:6], rows[6:]
    long_ago = timezone.now() - timedelta(minutes=10)
    Notification.objects.filter(pk__in=stuck).update(status=Status.SENDING, claimed_at=long_ago, attempts=1)
    Notification.objects.filter(pk__in=overdue).update(next_attempt_at=long_ago)
    published.clear()

    handed = at_once(
        lambda: notifications_redispatch(limit=3), holding_at='UPDATE "notifications_notification"'
    )
    for notification_id in list(published):  # the worker's part: a row given twice is sent once
        notification_deliver(notification_id=notification_id)

    assert handed == [6, 6]
    assert set(stuck) <= set(published)
    # Each stuck row was taken back by one re-dispatcher only.
    assert set(Counter(pk for pk in published if pk in stuck).values()) == {1}
    sent = Counter(message.extra_headers["Message-ID"] for message in mailoutbox)
    assert len(sent) == len(set(published)) and set(sent.values()) == {1}
