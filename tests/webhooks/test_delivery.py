"""Webhook deliveries against a real HTTP server on loopback: signed, retried, given up on."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings

from notifications.delivery import TryAgain
from notifications.models import Kind, Notification
from webhooks.delivery import backoff, delivery_deliver
from webhooks.models import Attempt, Delivery, Endpoint, Topic
from webhooks.signing import signature_valid

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import endpoint_for
from .receiver import Answer, Receiver

pytestmark = pytest.mark.django_db


def send(delivery: Delivery) -> str:
    """One attempt, as the worker makes it; a retry is due at once, as if its backoff had passed."""
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.PENDING).update(
        next_attempt_at=timezone.now()
    )
    try:
        return delivery_deliver(delivery_id=delivery.pk)
    except TryAgain:
        return "try again"


def created(cast: Cast, endpoint: Endpoint) -> Delivery:
    file_ticket(cast.employee)
    return Delivery.objects.get(endpoint=endpoint, topic=Topic.TICKET_CREATED)


def test_a_delivery_is_signed_over_timestamp_and_body(cast: Cast, receiver: Receiver) -> None:
    endpoint = endpoint_for(cast.admin, receiver.url)
    delivery = created(cast, endpoint)

    assert send(delivery) == "delivered"

    (request,) = receiver.received
    headers = request.headers
    assert request.path == "/hooks/desk"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-SocialIT-Event"] == "ticket.created"
    assert headers["X-SocialIT-Delivery"] == str(delivery.uuid)
    assert signature_valid(
        secret=endpoint.secret,
        timestamp=headers["X-SocialIT-Timestamp"],
        body=request.body,
        header=headers["X-SocialIT-Signature"],
        now=time.time(),
    )
    assert not signature_valid(
        secret="whsec_wrong",
        timestamp=headers["X-SocialIT-Timestamp"],
        body=request.body,
        header=headers["X-SocialIT-Signature"],
        now=time.time(),
    )
    body = json.loads(request.body)
    assert body["topic"] == "ticket.created"
    assert body["delivery"] == str(delivery.uuid)
    assert body["ticket"]["id"] == delivery.ticket_id
    assert body["ticket"]["requester"] == {"id": cast.employee.pk, "name": str(cast.employee)}
    assert body["event"]["kind"] == "filed"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.DELIVERED
    (attempt,) = Attempt.objects.filter(delivery=delivery)
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")


def test_an_old_or_tampered_request_does_not_verify(cast: Cast, receiver: Receiver) -> None:
    endpoint = endpoint_for(cast.admin, receiver.url)
    send(created(cast, endpoint))
    (request,) = receiver.received
    stamp, header = request.headers["X-SocialIT-Timestamp"], request.headers["X-SocialIT-Signature"]
    later = int(stamp) + 301
    check: dict[str, Any] = {"secret": endpoint.secret, "timestamp": stamp, "header": header}
    assert not signature_valid(**check, body=request.body, now=later)
    assert not signature_valid(**check, body=request.body.replace(b"filed", b"fixed"), now=time.time())


def test_a_500_is_tried_again_and_then_delivered(cast: Cast, receiver: Receiver) -> None:
    endpoint = endpoint_for(cast.admin, receiver.url)
    delivery = created(cast, endpoint)
    receiver.answer(Answer(status=500))

    assert send(delivery) == "try again"
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.last_error == "Answered HTTP 500."
    assert delivery.next_attempt_at > timezone.now()
    assert Endpoint.objects.get().failures_in_row == 1

    assert send(delivery) == "delivered"
    attempts = list(Attempt.objects.filter(delivery=delivery).values_list("number", "status_code"))
    assert attempts == [(1, 500), (2, 200)]
    assert Endpoint.objects.get().failures_in_row == 0
    # The same body both times: a receiver keyed on the delivery id sees one event.
    first, second = receiver.received
    assert first.body == second.body


def test_a_timeout_is_tried_again(cast: Cast, receiver: Receiver) -> None:
    endpoint = endpoint_for(cast.admin, receiver.url)
    delivery = created(cast, endpoint)
    receiver.answer(Answer(delay=1.5))

    started = time.monotonic()
    assert send(delivery) == "try again"
    assert time.monotonic() - started < 1.4, "the read timeout bounds the attempt"
    (attempt,) = Attempt.objects.filter(delivery=delivery)
    assert attempt.status_code is None
    assert attempt.error == "No answer within 0.5 s."

    assert send(delivery) == "delivered"


def test_a_redirect_is_not_followed(cast: Cast, receiver: Receiver) -> None:
    endpoint = endpoint_for(cast.admin, receiver.url)
    delivery = created(cast, endpoint)
    receiver.answer(Answer(status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}))

    assert send(delivery) == "try again"
    assert len(receiver.received) == 1
    assert "redirects are not followed" in Attempt.objects.get().error


def test_backoff_doubles_up_to_its_cap(settings: Settings) -> None:
    settings.WEBHOOK_RETRY_SECONDS = 30
    assert [backoff(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(20) == 1800


def test_repeated_failures_turn_the_endpoint_off_and_tell_its_owner(
    cast: Cast, receiver: Receiver, settings: Settings
) -> None:
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    endpoint = endpoint_for(cast.admin, receiver.url)
    delivery = created(cast, endpoint)
    receiver.answer(*[Answer(status=503)] * 5)

    assert [send(delivery) for _ in range(3)] == ["try again", "try again", "failed"]

    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert "3 failures in a row" in endpoint.disabled_reason
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    (told,) = Notification.objects.filter(kind=Kind.WEBHOOK_DISABLED)
    assert told.recipient == cast.admin
    assert told.context["endpoint"] == "IT chat"
    assert told.context["url"].endswith(f"/admin/webhooks/endpoint/{endpoint.pk}/change/")
    # Nothing more is sent to it, and new events make no deliveries for it.
    file_ticket(cast.employee)
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1
    assert len(receiver.received) == 3


def test_a_private_address_is_refused_at_send_when_not_allowed(
    cast: Cast, receiver: Receiver, settings: Settings
) -> None:
    # Saved while the setting allowed it; the name resolves to 127.0.0.1 at send time.
    endpoint = endpoint_for(cast.admin, f"http://localhost:{receiver.port}/hooks/desk")
    delivery = created(cast, endpoint)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False

    assert send(delivery) == "try again"

    assert receiver.received == []
    error = Attempt.objects.get(delivery=delivery).error
    assert "localhost resolves to" in error and "webhooks go only to public addresses" in error


def test_the_request_goes_to_the_address_that_was_checked(
    cast: Cast, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name is resolved once per attempt, and the connection is made to that very address."""
    lookups: list[str] = []

    def resolver(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr("webhooks.addresses.socket.getaddrinfo", resolver)
    endpoint = endpoint_for(cast.admin, f"http://hooks.example.test:{receiver.port}/in")
    assert send(created(cast, endpoint)) == "delivered"
    # The name once, by the check; the connection then asks only for the literal address.
    assert lookups[0] == "hooks.example.test"
    assert set(lookups[1:]) <= {"127.0.0.1"}
    (request,) = receiver.received
    assert request.headers["Host"] == f"hooks.example.test:{receiver.port}"
