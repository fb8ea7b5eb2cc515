"""Report a hacked account, from the portal: who may, what bad input does, what GET changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from checklists.reference_data import checklists_load
from social.models import CompanyAccount
from tickets.models import Ticket

from ..checklists.scene import x_account
from ..conftest import Cast, client_for, platform
from ..tickets.pages import SCRIPT, field_errors, messages_shown, raw, shown
from .scene import registry_state

pytestmark = pytest.mark.django_db
URL = reverse("my_accounts:report_hacked")


@pytest.fixture(autouse=True)
def checklists(reference: None) -> None:
    checklists_load()


def data(chosen: CompanyAccount | None, **extra: object) -> dict[str, object]:
    values: dict[str, object] = {
        "platform": chosen.platform_id if chosen else platform("twitter-x").pk,
        "account": chosen.pk if chosen else "not-listed",
        "signs": ["cannot_log_in", "messages_sent"],
        "details": "Since 8:00.",
    }
    values.update(extra)
    return values


def test_the_portal_home_offers_it(cast: Cast) -> None:
    assert f'href="{URL}"' in raw(client_for(cast.employee).get("/"))


def test_an_employee_reports_the_x_account_and_lands_on_the_ticket(cast: Cast) -> None:
    account = x_account(cast)

    response = client_for(cast.other_employee).post(URL, data(account), follow=True)

    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == ticket.get_absolute_url()
    assert messages_shown(response) == [
        (
            "success",
            f"Thanks — {ticket.reference} is with IT as urgent. Don't post from the account until IT says so.",
        )
    ]
    assert (ticket.queue, ticket.priority, ticket.account) == (cast.it, Ticket.Priority.URGENT, account)
    account.refresh_from_db()
    assert account.status == "compromised"
    assert "Compromised" in shown(response)
    assert "IT, with Communications" in shown(response)


def test_the_form_starts_with_the_account_of_the_page_that_linked_here(cast: Cast) -> None:
    account = x_account(cast)

    page = raw(client_for(cast.employee).get(URL, {"platform": account.platform_id, "account": account.pk}))

    assert f'<option value="{account.pk}" selected>' in page


def test_nothing_ticked_and_nothing_said_is_refused_with_what_to_do(cast: Cast) -> None:
    account = x_account(cast)
    before = registry_state()

    response = client_for(cast.employee).post(URL, data(account, signs=[], details=""))

    assert '<p id="error_1_id_signs"><strong>Tick what you see, or describe it below.</strong></p>' in raw(
        response
    )
    assert not Ticket.objects.exists() and registry_state() == before


def test_not_listed_needs_the_name_and_keeps_it(cast: Cast) -> None:
    client = client_for(cast.employee)
    x_account(cast)

    refused = client.post(URL, data(None, company_account=""))
    client.post(URL, data(None, company_account=f"@acme_jobs {SCRIPT}"))

    assert field_errors(refused, "company_account") == ["Name the account, such as @acme or the page's name."]
    ticket = Ticket.objects.get()
    assert ticket.account is None and ticket.company_account == f"@acme_jobs {SCRIPT}"
    assert SCRIPT not in raw(client.get(ticket.get_absolute_url()))


def test_a_forged_or_other_platforms_account_is_refused(cast: Cast) -> None:
    account = x_account(cast)
    client = client_for(cast.employee)

    forged = client.post(URL, data(account, account=999999))
    elsewhere = client.post(URL, data(account, platform=platform("facebook").pk))

    assert field_errors(forged, "account") == ["Choose one of the accounts listed for this platform."]
    assert "No account of this platform is in the registry: name it in the box instead." in shown(elsewhere)
    assert not Ticket.objects.exists()


def test_anonymous_is_sent_to_log_in_and_nothing_is_filed(cast: Cast) -> None:
    account = x_account(cast)

    for response in (Client().get(URL), Client().post(URL, data(account))):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Ticket.objects.exists()


def test_get_changes_nothing(cast: Cast) -> None:
    account = x_account(cast)
    before = registry_state()

    response = client_for(cast.employee).get(URL, data(account))

    assert response.status_code == 200
    assert not Ticket.objects.exists() and registry_state() == before


def test_csrf_holds(cast: Cast) -> None:
    account = x_account(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.employee)

    assert client.post(URL, data(account)).status_code == 403
    assert not Ticket.objects.exists()


def test_staff_report_too(cast: Cast) -> None:
    account = x_account(cast)

    client_for(cast.marketing_agent).post(URL, data(account))

    assert Ticket.objects.get().requester == cast.marketing_agent
