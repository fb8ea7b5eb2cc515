"""Sending one webhook delivery, at most once per claim, and logging the attempt.

The request goes to the address the URL was checked against (addresses.destination), with
short timeouts and no redirect followed. A 2xx answer is a delivery; anything else, an
address refused, a timeout or a refused connection is a failure, tried again with capped
exponential backoff. An endpoint that fails WEBHOOK_DISABLE_AFTER_FAILURES times in a row is
turned off and its owner told.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

import urllib3
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from notifications.delivery import MAX_BACKOFF_SECONDS, TryAgain

from . import signing
from .addresses import AddressRefused, Destination, destination
from .models import Attempt, Delivery, Endpoint
from .services import endpoint_turn_off

log = logging.getLogger(__name__)

USER_AGENT = "SocialITDesk-Webhooks/1.0"
# Enough of an answer to tell what went wrong, never a whole page.
EXCERPT_BYTES = 500


@dataclass(frozen=True)
class Reply:
    status: int
    excerpt: str


def backoff(attempts: int) -> int:
    base = settings.WEBHOOK_RETRY_SECONDS
    return int(min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def body_of(delivery: Delivery) -> bytes:
    """The same bytes on every attempt: the receiver checks the signature over exactly these."""
    content = {"delivery": str(delivery.uuid), **delivery.payload}
    return json.dumps(content, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def signed_headers(delivery: Delivery, body: bytes, *, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.topic,
        signing.DELIVERY_HEADER: str(delivery.uuid),
        signing.TIMESTAMP_HEADER: str(timestamp),
        signing.SIGNATURE_HEADER: signing.signature(
            secret=delivery.endpoint.secret, timestamp=timestamp, body=body
        ),
    }


def post(target: Destination, *, body: bytes, headers: dict[str, str]) -> Reply:
    """POST to the checked address, naming the host in the Host header and for TLS."""
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS, read=settings.WEBHOOK_READ_TIMEOUT_SECONDS
    )
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=timeout, retries=False, maxsize=1
        )
    try:
        response = pool.urlopen(
            "POST",
            target.target,
            body=body,
            headers={**headers, "Host": target.host_header},
            redirect=False,
            retries=False,
            preload_content=False,
            assert_same_host=False,
        )
        try:
            excerpt = response.read(EXCERPT_BYTES, decode_content=False)
        finally:
            response.close()
        return Reply(status=response.status, excerpt=excerpt.decode(errors="replace"))
    finally:
        pool.close()


def _failure(error: Exception) -> str:
    if isinstance(error, urllib3.exceptions.ConnectTimeoutError):
        return f"No connection within {settings.WEBHOOK_CONNECT_TIMEOUT_SECONDS} s."
    if isinstance(error, urllib3.exceptions.ReadTimeoutError | TimeoutError):
        return f"No answer within {settings.WEBHOOK_READ_TIMEOUT_SECONDS} s."
    return f"{type(error).__name__}: {error}"


def delivery_deliver(*, delivery_id: int) -> str:
    """Claim the row, send it, log the attempt, mark it: a second run of the same task finds nothing."""
    now = timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "not pending"
    delivery = Delivery.objects.select_related("endpoint__owner").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _mark_failed(delivery, "The endpoint is turned off; turn it on, then send this again.")
        return "endpoint off"
    body = body_of(delivery)
    started_at, clock = timezone.now(), time.monotonic()
    reply: Reply | None = None
    error = ""
    try:
        target = destination(endpoint.url)
        reply = post(target, body=body, headers=signed_headers(delivery, body, timestamp=int(time.time())))
    except AddressRefused as refused:
        error = str(refused)
    except (urllib3.exceptions.HTTPError, OSError) as failed:
        error = _failure(failed)
    if reply is not None and not 200 <= reply.status < 300:
        error = f"Answered HTTP {reply.status}" + (
            "; redirects are not followed, give the final URL." if 300 <= reply.status < 400 else "."
        )
    Attempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=started_at,
        duration_ms=int((time.monotonic() - clock) * 1000),
        status_code=reply.status if reply else None,
        error=error,
        response_excerpt=reply.excerpt if reply else "",
    )
    if not error:
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.DELIVERED, delivered_at=timezone.now(), last_error=""
        )
        Endpoint.objects.filter(pk=endpoint.pk, failures_in_row__gt=0).update(failures_in_row=0)
        return "delivered"
    return _failed(delivery, endpoint, error)


def _failed(delivery: Delivery, endpoint: Endpoint, error: str) -> str:
    Endpoint.objects.filter(pk=endpoint.pk).update(failures_in_row=F("failures_in_row") + 1)
    failures = Endpoint.objects.filter(pk=endpoint.pk).values_list("failures_in_row", flat=True).get()
    if failures >= settings.WEBHOOK_DISABLE_AFTER_FAILURES:
        endpoint_turn_off(endpoint=endpoint, reason=f"{failures} failures in a row; the last: {error}")
        _mark_failed(delivery, f"{error} The endpoint was turned off after {failures} failures in a row.")
        return "failed"
    if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        _mark_failed(delivery, error)
        return "failed"
    delay = backoff(delivery.attempts)
    Delivery.objects.filter(pk=delivery.pk, status=Delivery.Status.SENDING).update(
        status=Delivery.Status.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=delay),
        last_error=error,
    )
    raise TryAgain(delay=delay, reason=error)


def _mark_failed(delivery: Delivery, reason: str) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error=reason[:2000])
