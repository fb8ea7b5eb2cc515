"""The registry's timers: access and exceptions that end, reviews that fall due."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from approvals.models import Approval
from approvals.services import approval_decide
from notifications.models import Kind, Notification
from social import access_requests, services
from social.models import Access, CompanyAccount
from social.sweeps import access_sweep
from tickets.models import Ticket

from ..conftest import Cast
from .scene import account_make

pytestmark = pytest.mark.django_db


def test_access_with_an_end_is_reminded_then_a_revoke_ticket_opens_on_the_day(cast: Cast) -> None:
    account = account_make(cast, queue=cast.marketing)
    ends = timezone.now() + timedelta(days=10)
    access = services.access_grant(
        account=account, actor=cast.manager, holder=cast.other_employee, role=Access.Role.EDITOR, ends_at=ends
    )

    assert access_sweep(now=ends - timedelta(days=4)) == 0
    assert access_sweep(now=ends - timedelta(days=3)) == 1
    reminder = Notification.objects.get(kind=Kind.ACCESS_ENDING)
    assert (reminder.recipient, reminder.context["account"]) == (cast.other_employee, account.name)
    assert access_sweep(now=ends - timedelta(days=1)) == 0

    assert access_sweep(now=ends) == 1

    access.refresh_from_db()
    ticket = Ticket.objects.get(pk=access.revocation_ticket_id)
    assert (ticket.queue, ticket.account) == (cast.marketing, account)
    assert str(cast.other_employee) in ticket.subject
    assert access.revocation_pending and access.end_due_at is None
    assert access_sweep(now=ends + timedelta(days=1)) == 0


def test_an_approved_exception_with_an_end_goes_back_to_it(cast: Cast) -> None:
    ends = timezone.now() + timedelta(days=5)
    approval = access_requests.exception_request_open(
        requester=cast.employee,
        kind=Approval.Kind.SOFTWARE,
        what="Canva desktop",
        reason="Visuals",
        ends_at=ends,
    )
    approval_decide(approval=approval, actor=cast.manager, approve=True)
    approval.refresh_from_db()
    assert approval.end_due_at == ends - timedelta(days=3)

    access_sweep(now=ends - timedelta(days=3))
    access_sweep(now=ends)

    ended = Ticket.objects.get(subject__startswith="End the exception")
    assert ended.queue == cast.it
    approval.refresh_from_db()
    assert approval.end_due_at is None


def test_the_owner_is_reminded_of_a_due_review_and_the_managers_a_week_later(cast: Cast) -> None:
    account = account_make(cast, owner=cast.other_employee)
    due = account.review_due_at
    assert due is not None and account.review_notice_at == due

    access_sweep(now=due)
    reminder = Notification.objects.get(kind=Kind.ACCOUNT_NOTICE)
    assert reminder.recipient == cast.other_employee and "review due" in reminder.context["title"]
    assert access_sweep(now=due + timedelta(days=6)) == 0

    access_sweep(now=due + timedelta(days=7))

    escalated = Notification.objects.filter(kind=Kind.ACCOUNT_NOTICE).exclude(pk=reminder.pk).get()
    assert escalated.recipient == cast.manager and "overdue" in escalated.context["title"]
    account.refresh_from_db()
    assert account.review_notice_at is None


def _sweep_queries() -> int:
    with CaptureQueriesContext(connection) as context:
        access_sweep()
    return len(context.captured_queries)


def test_the_sweep_costs_the_same_however_much_is_not_due(cast: Cast) -> None:
    def grant() -> None:
        services.access_grant(
            account=account_make(cast),
            actor=cast.manager,
            holder=cast.other_employee,
            role=Access.Role.EDITOR,
            ends_at=timezone.now() + timedelta(days=60),
        )

    grant()
    few = _sweep_queries()
    for _ in range(5):
        grant()

    assert _sweep_queries() == few
    assert CompanyAccount.objects.count() == 6
