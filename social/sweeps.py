"""The registry's timers, swept by one beat task: ends of access and exceptions, reviews.

Each reads one partial index of rows due (Access.end_due_at, Approval.end_due_at,
CompanyAccount.review_notice_at), claims a batch with skip_locked, acts once per row, and
moves a bad row a little later so that it cannot stall the rest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from accounts.models import User
from approvals.models import Approval
from notifications.models import Kind as Email
from notifications.services import Recipient, notify
from tickets.models import Platform, ProblemType
from tickets.services import ticket_file

from .access_requests import exceptions_queue
from .models import Access, CompanyAccount
from .reviews import review_notice_send
from .revocation import revoke_ticket_open

log = logging.getLogger(__name__)

RETRY_BAD_ROW = timedelta(minutes=30)
M = TypeVar("M", bound=models.Model)


def _sweep(
    rows: Callable[[], models.QuerySet[M]],
    act: Callable[[M], list[str]],
    column: str,
    now: datetime,
    batch: int,
) -> int:
    done = 0
    while True:
        with transaction.atomic():
            due = list(
                rows()
                .select_for_update(skip_locked=True, of=("self",))
                .filter(**{f"{column}__lte": now})
                .order_by(column)[:batch]
            )
            for row in due:
                try:
                    with transaction.atomic():
                        fields = act(row)
                        row.save(update_fields=fields)
                        done += 1
                except Exception:
                    log.exception("Sweep of %s failed on %s; trying again later", column, row.pk)
                    type(row)._default_manager.filter(pk=row.pk).update(**{column: now + RETRY_BAD_ROW})
        if len(due) < batch:
            return done


def _ends_on(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%d %b %Y}"


def _access_end(now: datetime) -> Callable[[Access], list[str]]:
    def act(access: Access) -> list[str]:
        assert access.ends_at is not None
        account = access.account
        if now < access.ends_at:
            notify(
                kind=Email.ACCESS_ENDING,
                recipients=[
                    Recipient(user=access.holder, url=f"{settings.SITE_URL}{account.get_portal_url()}")
                ],
                ticket_id=None,
                thread=f"account-{account.pk}",
                context={
                    "account": account.name,
                    "role": access.role_name,
                    "ends_on": _ends_on(access.ends_at),
                },
            )
            access.end_due_at = access.ends_at
            return ["end_due_at"]
        requester = next(
            (p for p in (access.holder, account.owner, account.deputy) if p is not None and p.is_active), None
        )
        if requester is None:
            raise ValueError(f"Nobody active to file the revoke ticket of access {access.pk}")
        revoke_ticket_open(
            account=account,
            accesses=[access],
            requester=requester,
            why=f"{access.holder}'s {access.role_name} access ended on {_ends_on(access.ends_at)}",
            actor=None,
        )
        access.end_due_at = None
        return ["end_due_at", "revocation_ticket"]

    return act


def _exception_end(now: datetime) -> Callable[[Approval], list[str]]:
    def act(approval: Approval) -> list[str]:
        assert approval.ends_at is not None
        if now < approval.ends_at:
            notify(
                kind=Email.ACCESS_ENDING,
                recipients=[
                    Recipient(
                        user=approval.requester, url=f"{settings.SITE_URL}{approval.get_absolute_url()}"
                    )
                ],
                ticket_id=None,
                thread=f"approval-{approval.pk}",
                context={
                    "account": approval.details.get("what", approval.subject),
                    "role": "exception for",
                    "ends_on": _ends_on(approval.ends_at),
                },
            )
            approval.end_due_at = approval.ends_at
            return ["end_due_at"]
        requester = approval.requester if approval.requester.is_active else None
        requester = (
            requester or User.objects.filter(is_active=True, role=User.Role.MANAGER).order_by("pk").first()
        )
        if requester is None:
            raise ValueError(f"Nobody active to file the end of exception {approval.pk}")
        ticket_file(
            requester=requester,
            platform=Platform.objects.get(slug=approval.details.get("platform") or "other"),
            problem_type=ProblemType.objects.get(
                slug="network-block" if approval.kind == Approval.Kind.NETWORK else "other"
            ),
            subject=f"End the exception: {approval.subject}"[:200],
            description=f"The exception approved by {approval.decided_by} ended on {_ends_on(approval.ends_at)}. Take it back.",
            queue=exceptions_queue(),
            queue_reason="an ended exception goes back to IT",
        )
        approval.end_due_at = None
        return ["end_due_at"]

    return act


def access_sweep(*, now: datetime | None = None, batch: int = 100) -> int:
    now = now or timezone.now()
    done = _sweep(
        lambda: Access.objects.filter(revoked_at__isnull=True).select_related(
            "holder", "account__platform", "account__queue", "account__owner", "account__deputy"
        ),
        _access_end(now),
        "end_due_at",
        now,
        batch,
    )
    done += _sweep(
        lambda: Approval.objects.filter(status=Approval.Status.APPROVED).select_related(
            "requester", "decided_by"
        ),
        _exception_end(now),
        "end_due_at",
        now,
        batch,
    )
    managers = list(User.objects.filter(role=User.Role.MANAGER, is_active=True))

    def review(account: CompanyAccount) -> list[str]:
        review_notice_send(account, now=now, managers=managers)
        return ["review_notice_at", "review_reminded_at"]

    done += _sweep(
        lambda: CompanyAccount.objects.select_related("owner", "deputy"),
        review,
        "review_notice_at",
        now,
        batch,
    )
    return done
