"""Access reviews: the owner checks who can reach an account, keeps or revokes each, and signs.

A sweep reminds the owner when the review falls due and tells the managers a week after
(ACCESS_REVIEW_ESCALATE_DAYS), through one indexed column (review_notice_at).
"""

from __future__ import annotations

import logging
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from notifications.models import Kind as Email
from notifications.services import Recipient, notify

from .history import event_record
from .models import Access, AccountEvent, CompanyAccount
from .revocation import revoke_ticket_open
from .selectors import ACCOUNT_RELATED, RECOVERY_RELATED, current_access, rights_of

log = logging.getLogger(__name__)

FEWEST_ADMINS = 2
MOST_ADMINS = 10


def can_review(user: User, account: CompanyAccount) -> bool:
    """The owner, the deputy, and the staff who may change the account."""
    if not user.is_active or account.status == CompanyAccount.Status.RETIRED:
        return False
    return user.pk in (account.owner_id, account.deputy_id) or rights_of(user).can_edit(account)


def reviewable_account(user: User, pk: int) -> CompanyAccount:
    account = get_object_or_404(
        CompanyAccount.objects.select_related(*ACCOUNT_RELATED, *RECOVERY_RELATED), pk=pk
    )
    if not can_review(user, account):
        raise Http404("You don't review this account.")
    return account


@dataclass(frozen=True)
class ReviewPage:
    account: CompanyAccount
    accesses: list[Access]
    admin_count: int
    warnings: list[str]
    overdue: bool


def review_page(account: CompanyAccount) -> ReviewPage:
    accesses = list(
        Access.objects.filter(current_access(), account=account)
        .select_related("holder", "granted_by", "revocation_ticket")
        .order_by("role", "holder__full_name", "id")
    )
    admins = sum(1 for access in accesses if access.role == Access.Role.ADMIN)
    warnings = []
    if admins < FEWEST_ADMINS:
        warnings.append(
            f"Only {admins} full admin{'s' if admins != 1 else ''}: with fewer than {FEWEST_ADMINS}, "
            "one lost phone or one leaver locks the company out."
        )
    if admins > MOST_ADMINS:
        warnings.append(
            f"{admins} full admins: more than {MOST_ADMINS} is more than anyone can keep track of."
        )
    if account.second_factor == CompanyAccount.SecondFactor.NONE:
        warnings.append("No second factor: anyone with the password gets in.")
    return ReviewPage(
        account=account,
        accesses=accesses,
        admin_count=admins,
        warnings=warnings,
        overdue=account.review_due_at is not None and account.review_due_at <= timezone.now(),
    )


@transaction.atomic
def access_review_complete(
    *, account: CompanyAccount, actor: User, revoke: Collection[int], note: str = ""
) -> CompanyAccount:
    """Keep every current access but those in `revoke`, which get one revoke ticket; record it."""
    account = (
        CompanyAccount.objects.select_for_update(of=("self",))
        .select_related(*ACCOUNT_RELATED)
        .get(pk=account.pk)
    )
    if not can_review(actor, account):
        raise PermissionDenied(
            f"Only the owner, the deputy and the {account.queue} team review {account.name}."
        )
    note = " ".join(note.split())
    current = list(Access.objects.filter(current_access(), account=account).select_related("holder"))
    unknown = set(revoke) - {access.pk for access in current}
    if unknown:
        raise ValidationError("Some of the access was changed meanwhile: reload the page and review again.")
    revoked = [access for access in current if access.pk in revoke and access.revocation_ticket_id is None]
    if revoked and not note:
        raise ValidationError({"note": "Say why the access you revoke ends, such as “left the team”."})
    ticket = None
    if revoked:
        ticket = revoke_ticket_open(
            account=account,
            accesses=revoked,
            requester=actor,
            why=f"Access review by {actor}: {note}",
            actor=actor,
        )
    now = timezone.now()
    account.last_reviewed_at = now
    account.review_due_at = account.review_due_from(now)
    account.review_notice_at = account.review_due_at
    account.review_reminded_at = None
    account.save(
        update_fields=["last_reviewed_at", "review_due_at", "review_notice_at", "review_reminded_at"]
    )
    kept = [a for a in current if a not in revoked]
    summary = f"{actor} reviewed access: kept {len(kept)}, revoking {len(revoked)}"
    if ticket is not None:
        summary += f" ({ticket.reference})"
    event_record(
        account=account,
        actor=actor,
        kind=AccountEvent.Kind.REVIEWED,
        summary=summary,
        fields=[
            {
                "field": "kept",
                "label": "Kept",
                "before": None,
                "after": {
                    "id": ",".join(str(a.pk) for a in kept),
                    "label": ", ".join(str(a) for a in kept) or "nobody",
                },
                "restricted": False,
            },
            {
                "field": "revoked",
                "label": "To revoke",
                "before": None,
                "after": {
                    "id": ",".join(str(a.pk) for a in revoked),
                    "label": ", ".join(str(a) for a in revoked) or "nobody",
                },
                "restricted": False,
            },
        ],
        reason=note,
    )
    return account


def _notice(account: CompanyAccount, users: list[User], title: str, headline: str, *, desk: bool) -> None:
    url = account.get_desk_url() if desk else f"{account.get_portal_url()}review/"
    notify(
        kind=Email.ACCOUNT_NOTICE,
        recipients=[Recipient(user=user, url=f"{settings.SITE_URL}{url}") for user in users],
        ticket_id=None,
        thread=f"account-{account.pk}",
        context={"title": title, "headline": headline, "lines": []},
    )


def review_notice_send(account: CompanyAccount, *, now: datetime, managers: list[User]) -> None:
    """The owner's reminder when due; the managers' escalation once it is a week overdue."""
    due = account.review_due_at
    if due is None or account.status == CompanyAccount.Status.RETIRED:
        account.review_notice_at = None
        return
    if account.review_reminded_at is None or account.review_reminded_at < due:
        people = [p for p in (account.owner, account.deputy) if p is not None]
        _notice(
            account,
            people,
            f"Access review due: {account.name}",
            f"It is time to check who can reach {account.name}: keep or revoke each person, then complete the review.",
            desk=False,
        )
        account.review_reminded_at = now
        account.review_notice_at = due + timedelta(days=settings.ACCESS_REVIEW_ESCALATE_DAYS)
        return
    _notice(
        account,
        managers,
        f"Access review overdue: {account.name}",
        f"{account.owner} has not reviewed who can reach {account.name}; it was due {timezone.localtime(due):%d %b %Y}.",
        desk=True,
    )
    account.review_notice_at = None
