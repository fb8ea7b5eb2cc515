"""The portal's asks (access, exceptions) and the desk's "granted": who may, bad input, GET changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from approvals.models import Approval
from approvals.services import approval_decide
from social import access_requests
from social.models import Access, CompanyAccount

from ..conftest import Cast, client_for
from ..tickets.pages import SCRIPT, raw, shown
from .scene import account_make, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(cast: Cast) -> CompanyAccount:
    return account_make(cast, queue=cast.marketing, owner=cast.other_employee)


def approved(cast: Cast, account: CompanyAccount) -> Approval:
    approval = access_requests.access_request_open(
        requester=cast.employee, account=account, role=Access.Role.EDITOR, reason="Weekly posts"
    )
    approval_decide(approval=approval, actor=cast.other_employee, approve=True)
    approval.refresh_from_db()
    return approval


@pytest.mark.parametrize("url", ["/requests/accounts/ask/", "/requests/accounts/exception/"])
def test_anonymous_visitors_are_sent_to_log_in(url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_offers_the_accounts_and_preselects_one(cast: Cast, account: CompanyAccount) -> None:
    page = raw(client_for(cast.employee).get(f"/requests/accounts/ask/?account={account.pk}"))

    assert f'<option value="{account.pk}" selected>' in page


def test_asking_without_a_reason_is_refused_and_nothing_stored(cast: Cast, account: CompanyAccount) -> None:
    response = client_for(cast.employee).post(
        "/requests/accounts/ask/", {"account": account.pk, "role": "editor", "reason": "  "}
    )

    assert response.status_code == 200
    assert "Say why you need access" in shown(response)
    assert not Approval.objects.exists()


def test_a_forged_account_is_refused(cast: Cast) -> None:
    response = client_for(cast.employee).post(
        "/requests/accounts/ask/", {"account": 999999, "role": "editor", "reason": "x"}
    )

    assert "Choose an account from the list" in shown(response)
    assert not Approval.objects.exists()


def test_asking_opens_an_approval_for_the_owner(cast: Cast, account: CompanyAccount) -> None:
    response = client_for(cast.employee).post(
        "/requests/accounts/ask/", {"account": account.pk, "role": "editor", "reason": f"Posts {SCRIPT}"}
    )

    approval = Approval.objects.get()
    assert response["Location"] == f"/approvals/{approval.pk}/"
    assert approval.approver == cast.other_employee
    page = client_for(cast.other_employee).get(f"/approvals/{approval.pk}/")
    assert SCRIPT not in raw(page) and SCRIPT in shown(page)


def test_asking_for_an_exception(cast: Cast) -> None:
    response = client_for(cast.employee).post(
        "/requests/accounts/exception/",
        {"kind": "network", "what": "facebook.com", "reason": "I answer customers on our page."},
    )

    assert response.status_code == 302
    approval = Approval.objects.get()
    assert (approval.kind, approval.stage) == ("network", Approval.Stage.MANAGERS)


def test_the_grants_list_is_for_the_owning_queue(cast: Cast, account: CompanyAccount) -> None:
    approval = approved(cast, account)

    mine = shown(client_for(cast.marketing_agent).get("/desk/accounts/grants/"))
    theirs = shown(client_for(cast.it_agent).get("/desk/accounts/grants/"))

    assert approval.subject in mine and approval.subject not in theirs
    assert client_for(cast.employee).get("/desk/accounts/grants/").status_code == 403


def test_granted_by_another_queue_is_not_found_and_get_changes_nothing(
    cast: Cast, account: CompanyAccount
) -> None:
    approval = approved(cast, account)

    assert client_for(cast.it_agent).post(f"/desk/accounts/grants/{approval.pk}/").status_code == 404
    assert client_for(cast.marketing_agent).get(f"/desk/accounts/grants/{approval.pk}/").status_code == 405
    assert client_for(cast.employee).post(f"/desk/accounts/grants/{approval.pk}/").status_code == 403
    assert not Access.objects.exists()


def test_granted_records_the_access_and_returns_to_the_ticket(cast: Cast, account: CompanyAccount) -> None:
    approval = approved(cast, account)

    response = client_for(cast.marketing_agent).post(f"/desk/accounts/grants/{approval.pk}/")

    assert approval.ticket is not None
    assert response["Location"] == approval.ticket.get_desk_url()
    assert Access.objects.get().holder == cast.employee
    again = client_for(cast.marketing_agent).post(f"/desk/accounts/grants/{approval.pk}/", follow=True)
    assert "already recorded" in shown(again)
    assert Access.objects.count() == 1


def test_the_grants_list_costs_the_same_for_many(cast: Cast, account: CompanyAccount) -> None:
    approved(cast, account)
    client = client_for(cast.marketing_agent)
    few = queries(client, "/desk/accounts/grants/")
    for _ in range(4):
        approved(cast, account_make(cast, queue=cast.marketing, owner=cast.other_employee))

    assert queries(client, "/desk/accounts/grants/") == few
