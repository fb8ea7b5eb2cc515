"""Who is asked, who may decide, escalation after working hours and expiry, all through the services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.services import user_deactivate
from approvals import services
from approvals.models import Approval
from notifications.models import Kind, Notification
from sla.models import Calendar

from ..conftest import Cast
from .scene import approval_ask, asked_emails

pytestmark = pytest.mark.django_db


def test_the_first_approver_is_asked_and_emailed(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.other_employee)

    assert (approval.stage, approval.approver) == (Approval.Stage.FIRST, cast.other_employee)
    assert [n.recipient for n in asked_emails(approval)] == [cast.other_employee]
    assert approval.next_due_at == approval.escalate_at


def test_the_stand_in_is_asked_when_the_first_approver_is_away(cast: Cast) -> None:
    services.absence_set(user=cast.other_employee, until=timezone.localdate() + timedelta(days=3))

    approval = approval_ask(cast.employee, cast.other_employee, stand_in=cast.marketing_agent)

    assert (approval.stage, approval.approver) == (Approval.Stage.STAND_IN, cast.marketing_agent)


def test_the_stand_in_is_asked_when_the_first_approver_left(cast: Cast) -> None:
    user_deactivate(user=cast.other_employee)

    approval = approval_ask(cast.employee, cast.other_employee, stand_in=cast.marketing_agent)

    assert approval.approver == cast.marketing_agent


def test_the_managers_decide_when_nobody_else_can(cast: Cast) -> None:
    approval = services.approval_open(
        kind=Approval.Kind.SOFTWARE,
        requester=cast.employee,
        subject="Allow the Hootsuite app",
        reason="Scheduling posts.",
        first_approver=None,
    )

    assert (approval.stage, approval.approver) == (Approval.Stage.MANAGERS, None)
    assert [n.recipient for n in asked_emails(approval)] == [cast.manager]


def test_nobody_approves_their_own_request(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.employee, stand_in=cast.other_employee)

    assert approval.approver == cast.other_employee
    with pytest.raises(PermissionDenied):
        services.approval_decide(approval=approval, actor=cast.employee, approve=True)


def test_a_reason_is_required(cast: Cast) -> None:
    with pytest.raises(ValidationError, match="why"):
        services.approval_open(
            kind=Approval.Kind.NETWORK,
            requester=cast.employee,
            subject="x",
            reason="   ",
            first_approver=cast.other_employee,
        )
    assert not Approval.objects.exists()


def test_approving_records_who_and_tells_the_requester(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.other_employee)

    services.approval_decide(approval=approval, actor=cast.other_employee, approve=True, comment="Go ahead")

    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.comment) == (
        "approved",
        cast.other_employee,
        "Go ahead",
    )
    assert approval.next_due_at is None
    told = Notification.objects.get(kind=Kind.APPROVAL_DECIDED)
    assert (told.recipient, told.context["decided_by"], told.context["comment"]) == (
        cast.employee,
        str(cast.other_employee),
        "Go ahead",
    )


def test_rejecting_needs_a_reason(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.other_employee)

    with pytest.raises(ValidationError, match="why you reject"):
        services.approval_decide(approval=approval, actor=cast.other_employee, approve=False, comment="")

    approval.refresh_from_db()
    assert approval.status == "pending"


def test_someone_not_asked_cannot_decide(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.other_employee)

    for outsider in (cast.it_agent, cast.manager):
        with pytest.raises(PermissionDenied):
            services.approval_decide(approval=approval, actor=outsider, approve=True)


def test_a_decided_request_is_not_decided_again(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.other_employee)
    services.approval_decide(approval=approval, actor=cast.other_employee, approve=True)

    with pytest.raises(ValidationError, match="already approved"):
        services.approval_decide(approval=approval, actor=cast.other_employee, approve=False, comment="No")


def test_unanswered_it_passes_to_the_managers_after_the_working_hours(cast: Cast) -> None:
    # Friday 17:00 in Paris: eight working hours later is Monday 16:00.
    calendar = Calendar.objects.get(name="Office hours (Paris)")
    friday = timezone.make_aware(timezone.datetime(2026, 12, 4, 17, 0))
    approval = approval_ask(cast.employee, cast.other_employee, calendar=calendar)
    approval.created_at = friday
    approval.escalate_at = services._escalate_at(friday, calendar)
    approval.next_due_at = approval.escalate_at
    approval.expires_at = friday + timedelta(days=7)
    approval.save()
    assert timezone.localtime(approval.escalate_at).strftime("%a %H:%M") == "Mon 16:00"

    assert services.approvals_sweep(now=approval.escalate_at - timedelta(minutes=1)) == 0
    assert services.approvals_sweep(now=approval.escalate_at) == 1

    approval.refresh_from_db()
    assert (approval.stage, approval.approver, approval.next_due_at) == (
        Approval.Stage.MANAGERS,
        None,
        approval.expires_at,
    )
    assert [n.recipient for n in asked_emails(approval)] == [cast.other_employee, cast.manager]
    services.approval_decide(approval=approval, actor=cast.manager, approve=True)


def test_undecided_it_expires_and_the_requester_hears(cast: Cast) -> None:
    approval = approval_ask(cast.employee, cast.other_employee)

    services.approvals_sweep(now=approval.expires_at)

    approval.refresh_from_db()
    assert (approval.status, approval.next_due_at) == ("expired", None)
    assert Notification.objects.filter(kind=Kind.APPROVAL_EXPIRED, recipient=cast.employee).count() == 1
    assert services.approvals_sweep(now=approval.expires_at + timedelta(days=1)) == 0


def test_the_sweep_costs_the_same_whatever_is_not_due(cast: Cast) -> None:
    for _ in range(5):
        approval_ask(cast.employee, cast.other_employee)
    with CaptureQueriesContext(connection) as nothing_due:
        services.approvals_sweep()
    assert len(nothing_due.captured_queries) <= 3
