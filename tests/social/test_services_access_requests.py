"""Access requests and exceptions: approved through approvals, then a ticket with the approval in its history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Department
from approvals.models import Approval
from approvals.services import approval_decide
from social import access_requests, services
from social.models import Access, CompanyAccount
from tickets.events import history_lines
from tickets.models import Event

from ..conftest import Cast, platform
from .scene import account_make

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(cast: Cast) -> CompanyAccount:
    return account_make(cast, queue=cast.marketing, owner=cast.other_employee, deputy=cast.comms_agent)


def ask(cast: Cast, account: CompanyAccount, **extra: object) -> Approval:
    return access_requests.access_request_open(
        requester=cast.employee,
        account=account,
        role=Access.Role.EDITOR,
        reason="I post the weekly job offers.",
        **extra,  # type: ignore[arg-type]
    )


def test_the_owner_is_asked(cast: Cast, account: CompanyAccount) -> None:
    approval = ask(cast, account)

    assert (approval.kind, approval.approver, approval.stand_in, approval.account) == (
        "access",
        cast.other_employee,
        cast.comms_agent,
        account,
    )
    assert approval.subject == f"Editor access to {account.name} for {cast.employee}"


def test_approved_access_becomes_a_ticket_for_the_owning_queue_with_the_approval_in_its_history(
    cast: Cast, account: CompanyAccount
) -> None:
    approval = ask(cast, account)

    approval_decide(approval=approval, actor=cast.other_employee, approve=True, comment="Welcome aboard")

    approval.refresh_from_db()
    ticket = approval.ticket
    assert ticket is not None
    assert (ticket.queue, ticket.requester, ticket.account) == (cast.marketing, cast.employee, account)
    lines = [
        line.sentence for line in history_lines(Event.objects.filter(ticket=ticket).select_related("actor"))
    ]
    assert any(f"Sent to {cast.marketing}" in line for line in lines)
    assert any(
        f"{cast.other_employee} approved" in line and "Welcome aboard" in line and str(cast.employee) in line
        for line in lines
    )


def test_granted_on_the_ticket_records_the_access_once(cast: Cast, account: CompanyAccount) -> None:
    ends = timezone.now() + timedelta(days=30)
    approval = ask(cast, account, ends_at=ends)
    approval_decide(approval=approval, actor=cast.other_employee, approve=True)
    approval.refresh_from_db()

    access = access_requests.access_request_grant(approval=approval, actor=cast.marketing_agent)

    assert (access.holder, access.role, access.granted_through, access.ends_at) == (
        cast.employee,
        "editor",
        approval.ticket,
        ends,
    )
    assert access.end_due_at == ends - timedelta(days=3)
    assert Event.objects.filter(ticket=approval.ticket, kind=Event.Kind.ACCESS_RECORDED).count() == 1
    with pytest.raises(ValidationError, match="already"):
        access_requests.access_request_grant(approval=approval, actor=cast.marketing_agent)


def test_only_the_owning_queue_grants(cast: Cast, account: CompanyAccount) -> None:
    approval = ask(cast, account)
    approval_decide(approval=approval, actor=cast.other_employee, approve=True)

    with pytest.raises(PermissionDenied):
        access_requests.access_request_grant(approval=approval, actor=cast.it_agent)
    assert not Access.objects.filter(holder=cast.employee).exists()


def test_a_rejected_request_opens_no_ticket(cast: Cast, account: CompanyAccount) -> None:
    approval = ask(cast, account)

    approval_decide(approval=approval, actor=cast.other_employee, approve=False, comment="Ask your manager")

    approval.refresh_from_db()
    assert approval.ticket is None
    with pytest.raises(ValidationError):
        access_requests.access_request_grant(approval=approval, actor=cast.marketing_agent)


def test_asking_twice_or_for_held_access_is_refused(cast: Cast, account: CompanyAccount) -> None:
    ask(cast, account)
    with pytest.raises(ValidationError, match="already asked"):
        ask(cast, account)

    other = account_make(cast, owner=cast.other_employee)
    services.access_grant(account=other, actor=cast.manager, holder=cast.employee, role=Access.Role.EDITOR)
    with pytest.raises(ValidationError, match="already Editor"):
        ask(cast, other)


def test_a_retired_account_takes_no_requests(cast: Cast, account: CompanyAccount) -> None:
    account = services.account_update(account=account, actor=cast.manager, changes={"status": "retired"})
    with pytest.raises(ValidationError, match="retired"):
        ask(cast, account)


def test_an_exception_goes_to_the_department_head_then_to_it(cast: Cast) -> None:
    sales = Department.objects.get(name="Sales")
    sales.head = cast.other_employee
    sales.save()

    approval = access_requests.exception_request_open(
        requester=cast.employee,
        kind=Approval.Kind.NETWORK,
        what="facebook.com",
        reason="I answer customers on our page.",
        platform=platform("facebook"),
    )
    assert approval.approver == cast.other_employee
    approval_decide(approval=approval, actor=cast.other_employee, approve=True, comment="Yes")

    approval.refresh_from_db()
    assert approval.ticket is not None
    assert (approval.ticket.queue, approval.ticket.problem_type.slug, approval.ticket.platform.slug) == (
        cast.it,
        "network-block",
        "facebook",
    )
    assert Event.objects.filter(ticket=approval.ticket, kind=Event.Kind.APPROVAL).exists()


def test_an_exception_without_a_department_head_goes_to_the_managers(cast: Cast) -> None:
    approval = access_requests.exception_request_open(
        requester=cast.employee, kind=Approval.Kind.SOFTWARE, what="Hootsuite desktop", reason="Scheduling."
    )

    assert (approval.stage, approval.approver) == (Approval.Stage.MANAGERS, None)


def test_a_denied_exception_reaches_nobody(cast: Cast) -> None:
    approval = access_requests.exception_request_open(
        requester=cast.employee, kind=Approval.Kind.SOFTWARE, what="Hootsuite desktop", reason="Scheduling."
    )

    approval_decide(approval=approval, actor=cast.manager, approve=False, comment="Use the web version")

    approval.refresh_from_db()
    assert (approval.status, approval.ticket) == ("rejected", None)
