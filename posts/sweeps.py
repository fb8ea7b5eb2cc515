"""Drafts still unapproved at their publish time expire, and their authors are told."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from notifications.models import Kind as Email
from notifications.services import Recipient, notify
from tickets.services.history import event_record

from .events import ContentReviewed
from .models import ContentReview

log = logging.getLogger(__name__)
WAITING = (ContentReview.State.PENDING, ContentReview.State.CHANGES)


def _expire(review: ContentReview) -> None:
    ticket = review.ticket
    latest = review.drafts.order_by("-number").first()
    assert latest is not None
    review.state = ContentReview.State.EXPIRED
    review.save(update_fields=["state"])
    event_record(ticket=ticket, actor=None, payload=ContentReviewed(action="expired", version=latest.number))
    notify(
        kind=Email.ACCOUNT_NOTICE,
        recipients=[Recipient(user=ticket.requester, url=f"{settings.SITE_URL}{ticket.get_absolute_url()}")],
        ticket_id=ticket.pk,
        thread=ticket.reference,
        context={
            "title": f"Your post for {review.account.name} was not approved in time ({ticket.reference})",
            "headline": f"Version {latest.number} of your post was not approved by its publish time.",
            "lines": ["Don't publish it. File it again with a new publish time if it should still go out."],
        },
    )


def reviews_expire(*, now: datetime | None = None, batch: int = 100) -> int:
    """Expire what is past its publish time; the cost follows the drafts due (one partial index)."""
    now = now or timezone.now()
    expired = 0
    while True:
        with transaction.atomic():
            due = list(
                ContentReview.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("ticket__requester", "account")
                .filter(state__in=WAITING, publish_at__lte=now)
                .order_by("publish_at")[:batch]
            )
            for review in due:
                try:
                    with transaction.atomic():
                        _expire(review)
                    expired += 1
                except Exception:  # one bad row must not stop the others expiring
                    log.exception("content review %s could not expire", review.pk)
        if len(due) < batch:
            return expired
