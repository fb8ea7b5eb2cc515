"""Signed approval links: bound to one approval, one approver and the approval's current hand.

A link carries the approval's id, the approver's id and the approval's link version, signed
with a purpose salt. It expires (APPROVAL_LINK_HOURS), stops working when the approval passes
to someone else (the version changes) and once it is decided (single use). Opening it shows
the request; only a POST by the signed-in approver decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timeuntil

from accounts.models import User
from notifications.models import Notification

from .models import Approval

SALT = "approvals.link"


def link_token(*, approval: Approval, approver: User) -> str:
    return signing.dumps({"a": approval.pk, "u": approver.pk, "v": approval.link_version}, salt=SALT)


def link_url(*, approval: Approval, approver: User) -> str:
    token = link_token(approval=approval, approver=approver)
    return f"{settings.SITE_URL}{reverse('approvals:link', args=[token])}"


class LinkRefused(Exception):
    """Why a link decides nothing, in words for the person who followed it."""

    def __init__(self, title: str, message: str) -> None:
        super().__init__(message)
        self.title = title
        self.message = message


@dataclass(frozen=True)
class LinkClaim:
    approval_id: int
    approver_id: int
    version: int


def link_read(token: str) -> LinkClaim:
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(hours=settings.APPROVAL_LINK_HOURS))
    except signing.SignatureExpired as error:
        raise LinkRefused(
            "This link has expired",
            f"Approval links work for {settings.APPROVAL_LINK_HOURS} hours. "
            "Open the request from “Approvals” in the portal instead.",
        ) from error
    except signing.BadSignature as error:
        raise LinkRefused(
            "This link is not valid",
            "The link was changed or cut short. Open the request from “Approvals” in the portal instead.",
        ) from error
    try:
        return LinkClaim(int(data["a"]), int(data["u"]), int(data["v"]))
    except (KeyError, TypeError, ValueError) as error:
        raise LinkRefused("This link is not valid", "The link does not name a request.") from error


def link_context(notification: Notification) -> dict[str, object]:
    """The decide link of an approval email, made when the email is written (never stored)."""
    recipient = notification.recipient
    approval = Approval.objects.filter(pk=notification.context.get("approval_id")).first()
    if approval is None:
        return {"decide_url": "", "valid_for": ""}
    now = timezone.now()
    return {
        "decide_url": link_url(approval=approval, approver=recipient),
        "valid_for": timeuntil(now + timedelta(hours=settings.APPROVAL_LINK_HOURS), now),
    }
