"""The rating link in the "resolved" email: signed for one ticket and its requester, for 14 days.

The link lets its holder rate without signing in, so it says only which ticket and whom; the
page it opens decides nothing on GET (mail scanners follow links), its buttons POST.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from notifications.models import Notification

SALT = "satisfaction.rating-link"
VALID_FOR = timedelta(days=14)


@dataclass(frozen=True)
class RatingLink:
    ticket_id: int
    requester_id: int


class LinkExpired(Exception):
    """A genuine link, older than VALID_FOR."""


def rating_token(*, ticket_id: int, requester_id: int) -> str:
    return signing.dumps({"t": ticket_id, "u": requester_id}, salt=SALT, compress=True)


def rating_url(*, ticket_id: int, requester_id: int) -> str:
    token = rating_token(ticket_id=ticket_id, requester_id=requester_id)
    return f"{settings.SITE_URL}{reverse('satisfaction:rate', args=[token])}"


def rating_link_read(token: str) -> RatingLink:
    """The ticket and person a token names; signing.BadSignature if forged, LinkExpired if old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=VALID_FOR)
    except signing.SignatureExpired as expired:
        raise LinkExpired from expired
    if not isinstance(data, dict) or not isinstance(data.get("t"), int) or not isinstance(data.get("u"), int):
        raise signing.BadSignature("Not a rating link.")
    return RatingLink(ticket_id=data["t"], requester_id=data["u"])


def rating_email_context(notification: Notification) -> dict[str, object]:
    if notification.ticket_id is None:
        return {}
    return {
        "rating_url": rating_url(ticket_id=notification.ticket_id, requester_id=notification.recipient_id),
        "rating_days": VALID_FOR.days,
    }
