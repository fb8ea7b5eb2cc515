"""The ticket page's panel for access work: the grant it carries out, the access it revokes."""

from __future__ import annotations

from typing import Any

from django import template

from approvals.models import Approval
from tickets.models import Ticket

from ..models import Access, CompanyAccount
from ..reviews import can_review
from ..selectors import can_edit_account

register = template.Library()


@register.inclusion_tag("social/_ticket_access.html", takes_context=True)
def ticket_access_work(context: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    """Two queries for any ticket; the panel shows only on tickets that grant or revoke access."""
    user = context["request"].user
    grant = (
        Approval.objects.filter(kind=Approval.Kind.ACCESS, status=Approval.Status.APPROVED, ticket=ticket)
        .select_related("requester", "decided_by", "account__queue")
        .first()
    )
    revokes = list(
        Access.objects.filter(revocation_ticket=ticket)
        .select_related("holder", "account__queue")
        .order_by("pk")
    )
    account = grant.account if grant else revokes[0].account if revokes else None
    return {
        "grant": grant,
        "revokes": revokes,
        "can_act": account is not None and user.is_desk_user and can_edit_account(user, account),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def account_work_actions(context: dict[str, Any], account: CompanyAccount) -> dict[str, Any]:
    """What the account page offers around access: review it, ask for it, credentials to rotate."""
    user = context["request"].user
    return {
        "rotation_since": account.credentials_rotation_since,
        "can_review": can_review(user, account),
        "can_request": account.status != CompanyAccount.Status.RETIRED and user.pk != account.owner_id,
    }
