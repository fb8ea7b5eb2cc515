"""Webhooks end to end: a change commits, a real Celery worker posts it to a real HTTP server.

Run with DATABASE_URL=postgres://… and REDIS_URL=redis://…, as the rest of the integration suite.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest
from django.conf import settings
from django.db import connection

from tickets import services
from webhooks.models import Delivery, Endpoint, Topic
from webhooks.signing import signature_valid

from ..conftest import Cast
from ..factories import file_ticket
from ..webhooks.receiver import Answer, Receiver, receiving
from .conftest import Worker, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the integration suite needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)",
    ),
]

# The worker may call the loopback receiver; a failed attempt is tried again a second later.
WORKER_ENVIRONMENT = {"WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "1", "WEBHOOK_RETRY_SECONDS": "1"}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with receiving() as live:
        yield live


def test_a_worker_delivers_what_a_committed_change_queued(
    cast: Cast, receiver: Receiver, start_worker: Callable[..., Worker]
) -> None:
    endpoint = Endpoint.objects.create(
        name="IT chat",
        url=receiver.url,
        owner=cast.admin,
        topics=[Topic.TICKET_CREATED, Topic.TICKET_ASSIGNED],
    )
    receiver.answer(Answer(status=500))  # the first try fails; the worker's retry lands
    start_worker(**WORKER_ENVIRONMENT)

    ticket = file_ticket(cast.employee)  # committed: no test transaction here
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)

    wait_until(
        lambda: Delivery.objects.filter(ticket=ticket, status=Delivery.Status.DELIVERED).count() == 2,
        what="both deliveries marked delivered",
    )
    created = Delivery.objects.get(ticket=ticket, topic=Topic.TICKET_CREATED)
    assert created.attempts == 2
    bodies = [json.loads(request.body) for request in receiver.received]
    assert sorted({body["topic"] for body in bodies}) == ["ticket.assigned", "ticket.created"]
    for request in receiver.received:
        assert signature_valid(
            secret=endpoint.secret,
            timestamp=request.headers["X-SocialIT-Timestamp"],
            body=request.body,
            header=request.headers["X-SocialIT-Signature"],
            now=time.time(),
        )
