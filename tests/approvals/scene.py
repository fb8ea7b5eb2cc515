"""Approvals made the way the portal makes them: through the services."""

from __future__ import annotations

from accounts.models import User
from approvals import services
from approvals.models import Approval
from notifications.models import Kind, Notification


def approval_ask(
    requester: User, approver: User, *, stand_in: User | None = None, **extra: object
) -> Approval:
    return services.approval_open(
        kind=Approval.Kind.NETWORK,
        requester=requester,
        subject="Unblock facebook.com",
        reason="I run the company page.",
        first_approver=approver,
        stand_in=stand_in,
        details={"facts": [{"label": "Site", "value": "facebook.com"}]},
        **extra,  # type: ignore[arg-type]
    )


def asked_emails(approval: Approval) -> list[Notification]:
    return list(
        Notification.objects.filter(kind=Kind.APPROVAL_ASKED, context__approval_id=approval.pk).order_by("pk")
    )


def approval_state(approval: Approval) -> tuple[object, ...]:
    approval.refresh_from_db()
    return (approval.status, approval.decided_by_id, approval.comment, approval.events.count())
