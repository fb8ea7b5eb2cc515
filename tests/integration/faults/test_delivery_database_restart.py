"""PostgreSQL restarted while mail goes out: every email reaches the SMTP server exactly once.

Run with DATABASE_URL=postgres://... REDIS_URL=redis://...; the drill restarts a server of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection

from notifications.models import Notification
from notifications.services import enqueue

from ...conftest import Cast
from ...factories import file_ticket
from ..conftest import RedisServer, Worker, wait_idle, wait_until
from .conftest import GatedMailbox, PrivatePostgres

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="fault drills need PostgreSQL and Redis: set DATABASE_URL=postgres://... and REDIS_URL=redis://...",
    ),
]

StartWorker = Callable[..., Worker]
MARKING_RETRIED = "marking it sent failed, trying again"
TASK_RETRIED = re.compile(r"retry: Retry in \d+s: OperationalError")


def test_postgres_restarted_while_mail_goes_out_delivers_every_email_exactly_once(
    transactional_db: None,
    cast: Cast,
    mailbox: GatedMailbox,
    start_worker: StartWorker,
    redis_server: RedisServer,
    private_postgres: PrivatePostgres,
) -> None:
    for number in range(4):
        file_ticket(cast.employee, subject=f"Fault drill delivery {number}")
    redis_server.flush()  # the filings' own tasks went to the test database: only ours below run
    ids = list(Notification.objects.order_by("id").values_list("pk", flat=True))
    database = "drill_delivery"
    url = private_postgres.copy_of_test_database(database)

    def rows() -> list[tuple[int, str, int, str]]:
        return private_postgres.rows(  # type: ignore[return-value]
            database, "SELECT id, status, attempts, message_id FROM notifications_notification ORDER BY id"
        )

    def sent(wanted: list[int]) -> bool:
        return all(status == "sent" for pk, status, *_ in rows() if pk in wanted)

    mailbox.close_gate()
    workers = [start_worker(DATABASE_URL=url), start_worker(DATABASE_URL=url)]
    first, second = ids[:4], ids[4:]

    # 1. Both workers have the database cut between SMTP's 250 and marking their row sent.
    enqueue(first)
    wait_until(lambda: mailbox.at_gate == 2, what="both workers in the middle of a send")
    private_postgres.stop()
    mailbox.open_gate()
    wait_until(
        lambda: all(MARKING_RETRIED in worker.output() for worker in workers),
        what="both workers to retry marking their row sent",
    )
    private_postgres.start()
    wait_until(lambda: sent(first), what="the first emails marked sent")

    # 2. The database is away when the next tasks start: they retry before claiming anything.
    private_postgres.stop()
    enqueue(second)
    wait_until(
        lambda: sum(len(TASK_RETRIED.findall(worker.output())) for worker in workers) >= 2,
        what="tasks to retry while the database is away",
    )
    private_postgres.start()
    wait_until(lambda: sent(second), what="the other emails marked sent")

    wait_idle(redis_server, *workers)
    final = rows()
    assert [(pk, status, attempts) for pk, status, attempts, _ in final] == [(pk, "sent", 1) for pk in ids]
    arrived = Counter(message["Message-ID"] for message in mailbox.accepted)
    assert arrived == Counter(message_id for *_, message_id in final)
    assert set(arrived.values()) == {1}
    for worker in workers:
        assert "could not be marked sent for" not in worker.output()
