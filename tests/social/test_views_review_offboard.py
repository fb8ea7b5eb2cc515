"""The access review page and the desk's offboarding: who may, what they see, that GET changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from social import services
from social.models import Access, CompanyAccount
from tickets.models import Ticket

from ..conftest import Cast, client_for, person
from ..tickets.pages import shown
from .scene import RECOVERY_PHONE, account_make, queries, registry_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(cast: Cast) -> CompanyAccount:
    account = account_make(cast, queue=cast.marketing, owner=cast.employee)
    services.access_grant(
        account=account, actor=cast.manager, holder=cast.other_employee, role=Access.Role.ADMIN
    )
    return account


def review_url(account: CompanyAccount) -> str:
    return f"/requests/accounts/{account.pk}/review/"


def test_anonymous_visitors_are_sent_to_log_in(account: CompanyAccount) -> None:
    response = Client().get(review_url(account))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_owner_sees_everyone_the_second_factor_and_the_warnings(
    cast: Cast, account: CompanyAccount
) -> None:
    page = shown(client_for(cast.employee).get(review_url(account)))

    assert str(cast.other_employee) in page and "Admin" in page
    assert "Authenticator app" in page and RECOVERY_PHONE in page
    assert "Only 1 full admin" in page


@pytest.mark.parametrize("who", ["other_employee", "it_agent", "comms_agent"])
def test_others_cannot_open_the_review(cast: Cast, account: CompanyAccount, who: str) -> None:
    assert client_for(getattr(cast, who)).get(review_url(account)).status_code == 404
    assert client_for(getattr(cast, who)).post(review_url(account), {"note": ""}).status_code == 404


def test_a_forged_account_is_not_found(cast: Cast) -> None:
    assert client_for(cast.employee).get("/requests/accounts/999999/review/").status_code == 404


def test_revoking_without_a_note_is_refused_and_nothing_changes(cast: Cast, account: CompanyAccount) -> None:
    access = Access.objects.get()
    before = registry_state()

    response = client_for(cast.employee).post(
        review_url(account), {f"access-{access.pk}": "revoke", "note": ""}
    )

    assert response.status_code == 200 and "Say why the access you revoke ends" in shown(response)
    assert registry_state() == before
    assert not Ticket.objects.exists()


def test_completing_the_review_revokes_through_a_ticket(cast: Cast, account: CompanyAccount) -> None:
    access = Access.objects.get()

    response = client_for(cast.employee).post(
        review_url(account), {f"access-{access.pk}": "revoke", "note": "Moved to Finance"}
    )

    assert response.status_code == 302
    access.refresh_from_db()
    assert access.revocation_pending
    account.refresh_from_db()
    assert account.last_reviewed_at is not None


def test_the_review_page_costs_the_same_for_many_people(cast: Cast, account: CompanyAccount) -> None:
    client = client_for(cast.employee)
    few = queries(client, review_url(account))
    for number in range(6):
        holder = person(f"holder{number}@example.com", "employee")
        services.access_grant(account=account, actor=cast.manager, holder=holder, role=Access.Role.EDITOR)

    assert queries(client, review_url(account)) == few


# ---- offboarding -----------------------------------------------------------------------------


def offboard_url(cast: Cast) -> str:
    return f"/desk/accounts/offboard/{cast.other_employee.pk}/"


def test_offboarding_is_for_managers_and_administrators(cast: Cast, account: CompanyAccount) -> None:
    assert client_for(cast.employee).get(offboard_url(cast)).status_code == 403
    assert client_for(cast.marketing_agent).get(offboard_url(cast)).status_code == 404
    assert (
        client_for(cast.marketing_agent).post(offboard_url(cast), {"leaving_on": "2026-12-01"}).status_code
        == 404
    )
    assert Client().get(offboard_url(cast)).status_code == 302
    assert client_for(cast.manager).get("/desk/accounts/offboard/999999/").status_code == 404
    assert not Ticket.objects.exists()


def test_the_manager_sees_what_the_leaver_reaches_and_get_changes_nothing(
    cast: Cast, account: CompanyAccount
) -> None:
    before = registry_state()

    page = shown(client_for(cast.manager).get(offboard_url(cast)))

    assert account.name in page and "Admin" in page
    assert registry_state() == before
    cast.other_employee.refresh_from_db()
    assert cast.other_employee.is_active


def test_choosing_the_person_leads_to_their_page(cast: Cast) -> None:
    response = client_for(cast.manager).get(f"/desk/accounts/offboard/?person={cast.other_employee.pk}")
    assert response["Location"] == offboard_url(cast)
    bad = client_for(cast.manager).get("/desk/accounts/offboard/?person=999999")
    assert bad.status_code == 200 and "Choose someone from the list" in shown(bad)


def test_offboarding_opens_the_revoke_tickets(cast: Cast, account: CompanyAccount) -> None:
    response = client_for(cast.manager).post(
        offboard_url(cast), {"leaving_on": timezone.localdate().isoformat()}
    )

    assert response.status_code == 302
    assert Ticket.objects.get().queue == cast.marketing
    cast.other_employee.refresh_from_db()
    assert not cast.other_employee.is_active


def test_the_offboarding_page_costs_the_same_for_many_accounts(cast: Cast, account: CompanyAccount) -> None:
    client = client_for(cast.manager)
    few = queries(client, offboard_url(cast))
    for _ in range(4):
        more = account_make(cast, owner=cast.employee)
        services.access_grant(
            account=more, actor=cast.manager, holder=cast.other_employee, role=Access.Role.EDITOR
        )

    assert queries(client, offboard_url(cast)) == few
