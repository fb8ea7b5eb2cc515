"""Revoke tickets: one per account, for its owning queue, naming the roles to remove.

Offboarding, an access review and an end date all take access away the same way: a ticket
for the team that looks after the account, and each access marked "revocation pending" until
someone revokes it (services.access_revoke), on the platform and in the registry.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone

from accounts.models import User
from tickets.models import ProblemType, Ticket
from tickets.services import ticket_file

from .history import event_record, subject_of
from .models import Access, AccountEvent, CompanyAccount

ACCESS_PROBLEM = "login-access"


def access_problem_type() -> ProblemType:
    return ProblemType.objects.get(slug=ACCESS_PROBLEM)


def revoke_ticket_open(
    *, account: CompanyAccount, accesses: Sequence[Access], requester: User, why: str, actor: User | None
) -> Ticket:
    """File the ticket and mark each access pending; the caller holds the transaction."""
    lines = [
        f"- {access.holder}: {access.role_name} (since {timezone.localtime(access.granted_at):%d %b %Y})"
        for access in accesses
    ]
    holders = sorted({str(access.holder) for access in accesses})
    ticket = ticket_file(
        requester=requester,
        platform=account.platform,
        problem_type=access_problem_type(),
        subject=f"Remove {', '.join(holders)} from {account.name}"[:200],
        description=(
            f"{why}\n\nRemove on {account.platform}, then revoke in the registry:\n" + "\n".join(lines)
        ),
        account=account,
        queue=account.queue,
        queue_reason=f"{account.queue} looks after {account.name}",
    )
    Access.objects.filter(pk__in=[access.pk for access in accesses], revoked_at__isnull=True).update(
        revocation_ticket=ticket, end_due_at=None
    )
    for access in accesses:
        access.revocation_ticket = ticket
        event_record(
            account=account,
            actor=actor,
            kind=AccountEvent.Kind.REVOCATION_REQUESTED,
            summary=f"Revocation of {access.holder}'s {access.role_name} access asked in {ticket.reference}",
            subject=subject_of(access),
            fields=[
                {
                    "field": "revocation_ticket",
                    "label": "Ticket",
                    "before": None,
                    "after": {"id": ticket.pk, "label": ticket.reference},
                    "restricted": False,
                }
            ],
            reason=why,
        )
    return ticket
