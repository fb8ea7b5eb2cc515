"""The request form's company account: the chosen platform's registered accounts, or not listed."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from social.models import CompanyAccount
from tickets.models import Ticket

from ..conftest import Cast, client_for, platform
from ..social.scene import account_make
from .pages import field_errors, filing_data, raw, shown

pytestmark = pytest.mark.django_db
CHOICES = reverse("tickets:account_choices")


@pytest.fixture
def accounts(cast: Cast) -> dict[str, CompanyAccount]:
    return {
        "x": account_make(cast, platform=platform("twitter-x"), name="Acme on X", handle="@acme"),
        "x_retired": account_make(
            cast, platform=platform("twitter-x"), name="Old Acme", handle="@acme_old", status="retired"
        ),
        "facebook": account_make(cast, platform=platform("facebook"), name="Acme Facebook page", handle=""),
    }


def test_the_choices_follow_the_platform(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    client = client_for(cast.employee)

    x = shown(client.get(CHOICES, {"platform": platform("twitter-x").pk}))
    facebook = shown(client.get(CHOICES, {"platform": platform("facebook").pk}))

    assert "Acme on X (@acme)" in x and "Acme Facebook page" not in x
    assert "Old Acme" not in x  # retired
    assert "Not listed: I'll name it" in x
    assert "Acme Facebook page" in facebook and "Acme on X" not in facebook


def test_a_platform_without_accounts_asks_for_the_name_only(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    page = raw(client_for(cast.employee).get(CHOICES, {"platform": platform("linkedin").pk}))

    assert 'name="account"' not in page
    assert 'name="company_account"' in page


def test_a_picked_account_hides_the_name_and_keeps_what_was_typed_for_later(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    client = client_for(cast.employee)
    x = platform("twitter-x").pk

    picked = raw(
        client.get(CHOICES, {"platform": x, "account": accounts["x"].pk, "company_account": "@typed"})
    )
    not_listed = raw(
        client.get(CHOICES, {"platform": x, "account": "not-listed", "company_account": "@typed"})
    )

    assert f'<option value="{accounts["x"].pk}" selected>' in picked
    assert 'class="d-none"' in picked
    assert 'value="@typed"' in not_listed and 'class="d-none"' not in not_listed


def test_the_fragment_is_for_signed_in_people_and_changes_nothing(cast: Cast) -> None:
    response = Client().get(CHOICES, {"platform": platform("twitter-x").pk})

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(cast.employee).post(CHOICES).status_code == 405
    assert client_for(cast.employee).get(CHOICES, {"platform": "nope"}).status_code == 200


def test_filing_about_a_registered_account_links_it(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    client_for(cast.employee).post(reverse("tickets:new"), filing_data(account=accounts["x"].pk))

    ticket = Ticket.objects.get()
    assert (ticket.account, ticket.company_account) == (accounts["x"], "")


def test_not_listed_keeps_the_name_as_typed(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    client_for(cast.employee).post(
        reverse("tickets:new"), filing_data(account="not-listed", company_account=" @acme_jobs ")
    )

    ticket = Ticket.objects.get()
    assert (ticket.account, ticket.company_account) == (None, "@acme_jobs")


def test_not_listed_without_a_name_says_what_to_do(cast: Cast, accounts: dict[str, CompanyAccount]) -> None:
    response = client_for(cast.employee).post(
        reverse("tickets:new"), filing_data(account="not-listed", company_account="")
    )

    assert field_errors(response, "company_account") == [
        "Name the account, such as @acme or the page's name."
    ]
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("forged", ["facebook", "x_retired", "missing"])
def test_an_account_not_offered_is_refused(
    cast: Cast, accounts: dict[str, CompanyAccount], forged: str
) -> None:
    pk = accounts[forged].pk if forged in accounts else 999999

    response = client_for(cast.employee).post(reverse("tickets:new"), filing_data(account=pk))

    assert field_errors(response, "account") == ["Choose one of the accounts listed for this platform."]
    assert not Ticket.objects.exists()


def test_the_ticket_page_shows_the_account_and_its_status(
    cast: Cast, accounts: dict[str, CompanyAccount]
) -> None:
    client_for(cast.employee).post(reverse("tickets:new"), filing_data(account=accounts["x"].pk))
    ticket = Ticket.objects.get()
    CompanyAccount.objects.filter(pk=accounts["x"].pk).update(status="compromised")

    portal = shown(client_for(cast.employee).get(ticket.get_absolute_url()))
    desk = raw(client_for(cast.it_agent).get(ticket.get_desk_url()))

    assert "Acme on X" in portal and "Compromised" in portal
    assert f'href="/desk/accounts/{accounts["x"].pk}/"' in desk and "Compromised" in desk
    assert f"/desk/accounts/{accounts['x'].pk}/" not in raw(
        client_for(cast.employee).get(ticket.get_absolute_url())
    )


def test_an_unlisted_name_reads_as_not_in_the_registry(cast: Cast) -> None:
    client_for(cast.employee).post(reverse("tickets:new"), filing_data(company_account="@acme_jobs"))

    page = shown(client_for(cast.employee).get(Ticket.objects.get().get_absolute_url()))
    assert "@acme_jobs" in page and "(not in the registry)" in page
