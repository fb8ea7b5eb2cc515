"""An account's page lists its tickets: in the desk those of the viewer's queues, in the portal
the viewer's own requests; in a fixed number of queries."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from tickets.models import Ticket

from ..conftest import Cast, client_for, platform
from ..factories import file_ticket
from ..tickets.pages import raw, shown
from .scene import account_make, queries

pytestmark = pytest.mark.django_db


def about(account: object, requester: object, problem: str = "login-access", **extra: object) -> Ticket:
    return file_ticket(requester, problem=problem, platform="linkedin", account=account, **extra)


def test_the_desk_page_lists_the_tickets_of_the_viewers_queues(cast: Cast) -> None:
    account = account_make(cast)
    it_ticket = about(account, cast.employee, subject="Can't log in to the page")
    marketing_ticket = about(account, cast.employee, problem="metrics-request", subject="Follower numbers")
    about(None, cast.employee, subject="Not about it")

    it_page = shown(client_for(cast.it_agent).get(account.get_desk_url()))
    manager_page = shown(client_for(cast.manager).get(account.get_desk_url()))

    assert it_ticket.subject in it_page and marketing_ticket.subject not in it_page
    assert "Not about it" not in manager_page
    assert it_ticket.subject in manager_page and marketing_ticket.subject in manager_page
    assert f'href="{it_ticket.get_desk_url()}"' in raw(client_for(cast.manager).get(account.get_desk_url()))


def test_the_portal_page_lists_only_the_viewers_own_requests(cast: Cast) -> None:
    account = account_make(cast, owner=cast.employee)
    mine = about(account, cast.employee, subject="Mine")
    about(account, cast.other_employee, subject="Somebody else's")

    page = raw(client_for(cast.employee).get(account.get_portal_url()))

    assert "Mine" in page and "Somebody else&#x27;s" not in page and "Somebody else's" not in page
    assert f'href="{mine.get_absolute_url()}"' in page


def test_the_page_offers_to_report_the_account_hacked(cast: Cast) -> None:
    account = account_make(cast)

    page = raw(client_for(cast.employee).get(account.get_portal_url()))

    assert f"/requests/accounts/hacked/?platform={account.platform_id}&amp;account={account.pk}" in page


def test_the_account_page_costs_the_same_with_more_tickets(cast: Cast) -> None:
    account = account_make(cast)
    about(account, cast.employee)
    few = queries(client_for(cast.manager), account.get_desk_url())
    for number in range(6):
        requester = cast.employee if number % 2 else cast.other_employee
        ticket = about(account, requester, problem=["login-access", "metrics-request"][number % 2])
        if number % 3 == 0:
            Ticket.objects.filter(pk=ticket.pk).update(assignee=cast.it_agent)

    assert queries(client_for(cast.manager), account.get_desk_url()) == few
    assert queries(client_for(cast.employee), account.get_portal_url()) == queries(
        client_for(cast.employee), account.get_portal_url()
    )


# ---- the migration that links the text of older tickets ---------------------------------------

link = importlib.import_module("social.migrations.0003_link_ticket_accounts").link


@pytest.mark.parametrize(
    "text",
    [
        "@acme-page",
        "ACME-PAGE",
        " Acme Careers ",
        "https://www.linkedin.com/company/acme/",
        "linkedin.com/company/acme",
    ],
)
def test_older_tickets_are_linked_where_the_text_names_one_account(cast: Cast, text: str) -> None:
    account = account_make(
        cast, name="Acme careers", handle="@acme-page", url="https://linkedin.com/company/acme"
    )
    ticket = about(None, cast.employee, company_account=text)

    link(apps, None)

    ticket.refresh_from_db()
    assert ticket.account == account
    assert ticket.company_account == text.strip()


def test_text_of_another_platform_or_no_account_stays_unlinked(cast: Cast) -> None:
    account_make(cast, name="Acme careers", handle="@acme")
    on_x = file_ticket(cast.employee, platform="twitter-x", company_account="@acme")
    unknown = about(None, cast.employee, company_account="@someone-else")

    link(apps, None)

    assert Ticket.objects.filter(pk__in=[on_x.pk, unknown.pk], account__isnull=True).count() == 2


def test_text_that_names_two_accounts_stays_unlinked(cast: Cast) -> None:
    account_make(cast, name="Acme", handle="@jobs")
    account_make(cast, name="Jobs", handle="@acme")
    ticket = about(None, cast.employee, company_account="acme")

    link(apps, None)

    ticket.refresh_from_db()
    assert ticket.account is None
    assert platform("linkedin").pk == ticket.platform_id
