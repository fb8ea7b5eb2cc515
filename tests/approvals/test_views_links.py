"""Email links: they open the request; only the signed-in approver's POST decides, once.

Tampered, reused, expired, someone else's, a mail scanner's GET: a clear page, nothing decided.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client

from approvals.links import link_token
from approvals.models import Approval
from approvals.services import approval_decide

from ..conftest import Cast, client_for
from ..tickets.pages import shown
from .scene import approval_ask, approval_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval(cast: Cast) -> Approval:
    return approval_ask(cast.employee, cast.other_employee)


def link(approval: Approval, approver: object) -> str:
    return f"/approvals/link/{link_token(approval=approval, approver=approver)}/"  # type: ignore[arg-type]


def test_the_approver_opens_the_link_and_sees_the_request_without_deciding(
    cast: Cast, approval: Approval
) -> None:
    before = approval_state(approval)

    response = client_for(cast.other_employee).get(link(approval, cast.other_employee))

    page = shown(response)
    assert response.status_code == 200
    assert "Unblock facebook.com" in page and "I run the company page." in page and "facebook.com" in page
    assert 'value="approve"' in page and 'value="reject"' in page
    assert approval_state(approval) == before


def test_a_mail_scanner_following_the_link_decides_nothing(cast: Cast, approval: Approval) -> None:
    before = approval_state(approval)

    anonymous = Client().get(link(approval, cast.other_employee))
    head = Client().head(link(approval, cast.other_employee))

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert head.status_code == 302
    assert approval_state(approval) == before


def test_the_approver_decides_by_post(cast: Cast, approval: Approval) -> None:
    response = client_for(cast.other_employee).post(
        link(approval, cast.other_employee), {"decision": "approve", "comment": "Fine by me"}
    )

    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.comment) == (
        "approved",
        cast.other_employee,
        "Fine by me",
    )


def test_a_rejection_without_a_reason_is_refused_and_kept_pending(cast: Cast, approval: Approval) -> None:
    response = client_for(cast.other_employee).post(
        link(approval, cast.other_employee), {"decision": "reject"}
    )

    assert response.status_code == 400
    assert "Say why you reject it" in shown(response)
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_a_reused_link_is_refused(cast: Cast, approval: Approval) -> None:
    url = link(approval, cast.other_employee)
    client = client_for(cast.other_employee)
    client.post(url, {"decision": "approve"})
    before = approval_state(approval)

    again = client.post(url, {"decision": "reject", "comment": "Changed my mind"})

    assert again.status_code == 410
    assert "already used" in shown(again) and "already approved" in shown(again)
    assert approval_state(approval) == before


def test_a_tampered_link_is_refused(cast: Cast, approval: Approval) -> None:
    token = link_token(approval=approval, approver=cast.other_employee)
    forged = signing.dumps({"a": approval.pk, "u": cast.other_employee.pk, "v": 1}, salt="another.purpose")
    before = approval_state(approval)

    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "nonsense"):
        response = client_for(cast.other_employee).post(f"/approvals/link/{bad}/", {"decision": "approve"})
        assert response.status_code == 400
        assert "not valid" in shown(response)
    assert approval_state(approval) == before


def test_an_expired_link_is_refused(cast: Cast, approval: Approval, settings: object) -> None:
    url = link(approval, cast.other_employee)
    before = approval_state(approval)

    with time_machine.travel(timedelta(hours=73), tick=False):
        response = client_for(cast.other_employee).post(url, {"decision": "approve"})

    assert response.status_code == 400
    assert "expired" in shown(response) and "72 hours" in shown(response)
    assert approval_state(approval) == before


def test_someone_elses_link_is_refused(cast: Cast, approval: Approval) -> None:
    url = link(approval, cast.other_employee)
    before = approval_state(approval)

    for intruder in (cast.employee, cast.manager, cast.it_agent):
        response = client_for(intruder).post(url, {"decision": "approve"})
        assert response.status_code == 403
        assert "for someone else" in shown(response)
    assert approval_state(approval) == before


def test_a_link_sent_before_the_request_passed_on_no_longer_decides(cast: Cast, approval: Approval) -> None:
    url = link(approval, cast.other_employee)
    Approval.objects.filter(pk=approval.pk).update(link_version=approval.link_version + 1)
    before = approval_state(approval)

    response = client_for(cast.other_employee).post(url, {"decision": "approve"})

    assert response.status_code == 410
    assert "passed to someone else" in shown(response)
    assert approval_state(approval) == before


def test_a_link_to_a_request_decided_in_the_portal_is_refused(cast: Cast, approval: Approval) -> None:
    url = link(approval, cast.other_employee)
    approval_decide(approval=approval, actor=cast.other_employee, approve=False, comment="Not now")

    response = client_for(cast.other_employee).get(url)

    assert response.status_code == 410
    assert "already rejected" in shown(response)


def test_the_link_needs_the_csrf_token(cast: Cast, approval: Approval) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.other_employee)
    before = approval_state(approval)

    response = client.post(link(approval, cast.other_employee), {"decision": "approve"})

    assert response.status_code == 403
    assert approval_state(approval) == before
