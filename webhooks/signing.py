"""How a webhook request is signed, and how a receiver checks it (README, "Webhooks").

The signature is HMAC-SHA256, keyed with the endpoint's secret, over the timestamp, a dot
and the exact body bytes: `X-SocialIT-Signature: sha256=<hex>`. The timestamp (Unix seconds,
`X-SocialIT-Timestamp`) is that of the attempt, so a receiver can refuse old or replayed
requests; the body is the same on every attempt, and `X-SocialIT-Delivery` names it.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-SocialIT-Signature"
TIMESTAMP_HEADER = "X-SocialIT-Timestamp"
DELIVERY_HEADER = "X-SocialIT-Delivery"
EVENT_HEADER = "X-SocialIT-Event"
# How old a signed request a receiver should still accept, as the README's example checks.
TOLERANCE_SECONDS = 300


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(
    *, secret: str, timestamp: str, body: bytes, header: str, now: float, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """The receiver's check: a fresh timestamp and a matching signature, compared in constant time."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret=secret, timestamp=int(timestamp), body=body), header)
