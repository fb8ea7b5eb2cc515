"""Who hears about an approval: the approver asked, the requester told the outcome."""

from __future__ import annotations

from django.conf import settings

from accounts.models import User
from notifications.models import Kind
from notifications.services import Recipient, notify

from .models import Approval


def _context(approval: Approval, **extra: object) -> dict[str, object]:
    return {
        "approval_id": approval.pk,
        "subject": approval.subject,
        "requester": str(approval.requester),
        "reason": approval.reason,
        "facts": list(approval.details.get("facts", [])),
        **extra,
    }


def _page(approval: Approval, user: User) -> Recipient:
    return Recipient(user=user, url=f"{settings.SITE_URL}{approval.get_absolute_url()}")


def on_asked(approval: Approval, approvers: list[User]) -> None:
    notify(
        kind=Kind.APPROVAL_ASKED,
        recipients=[_page(approval, user) for user in approvers],
        ticket_id=None,
        thread=f"approval-{approval.pk}",
        context=_context(approval),
    )


def on_decided(approval: Approval) -> None:
    notify(
        kind=Kind.APPROVAL_DECIDED,
        recipients=[_page(approval, approval.requester)],
        ticket_id=None,
        thread=f"approval-{approval.pk}",
        context=_context(
            approval,
            outcome=approval.get_status_display().lower(),
            decided_by=str(approval.decided_by),
            comment=approval.comment,
            ticket=f"{approval.ticket.reference}" if approval.ticket else "",
        ),
    )


def on_expired(approval: Approval) -> None:
    notify(
        kind=Kind.APPROVAL_EXPIRED,
        recipients=[_page(approval, approval.requester)],
        ticket_id=None,
        thread=f"approval-{approval.pk}",
        context=_context(approval),
    )
