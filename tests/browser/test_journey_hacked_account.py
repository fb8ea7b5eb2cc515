"""Journey (1) of the registry in a real Chromium: an employee reports the hacked X account, IT
and Communications run the checklist, a second person approves the statement, the account is
active again. Screens of each new page land in test-results/screens/."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from checklists.models import Checklist, Item
from checklists.reference_data import checklists_load
from notifications.models import Kind, Notification
from social.models import AccountEvent, CompanyAccount
from tickets.models import Collaboration, Ticket

from ..conftest import Cast, platform
from ..social.scene import account_make
from .conftest import (
    PHONE,
    PageFactory,
    assert_fields_labelled,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser
STATEMENT = "Our X account @acme was accessed by someone else. Please ignore its posts since 8:00; we are restoring it."


@pytest.fixture
def x_account(cast: Cast) -> CompanyAccount:
    checklists_load()
    return account_make(
        cast,
        platform=platform("twitter-x"),
        name="Acme on X",
        handle="@acme",
        url="https://x.com/acme",
        queue=cast.marketing,
        owner=cast.other_employee,
        deputy=cast.marketing_agent,
    )


def tick(page: Page, text: str) -> None:
    page.get_by_role("button", name=f"Done: “{text}”").click()
    expect(page.locator("#messages")).to_contain_text(f"Ticked “{text}”.")


def test_a_hacked_x_account_from_the_report_to_active_again(
    cast: Cast, new_page: PageFactory, x_account: CompanyAccount
) -> None:
    # The employee reports it from the portal's home.
    employee = new_page()
    log_in(employee, cast.employee)
    employee.get_by_role("link", name="Report a hacked account").click()
    expect(employee).to_have_title(re.compile(r"^Report a hacked account"))
    # htmx brings the platform's accounts: choose one only once they have been swapped in.
    with employee.expect_response(lambda response: "/new/accounts/" in response.url):
        employee.get_by_label("Platform").select_option(label="Twitter/X")
    employee.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')"
    )
    employee.get_by_label("Company account").select_option(label="Acme on X (@acme)")
    expect(employee.get_by_label("Which account?")).to_be_hidden()
    employee.get_by_label("Posts we did not write").check()
    employee.get_by_label("A password-reset or second-factor email nobody asked for").check()
    employee.get_by_label("Anything else").fill("Crypto ads every ten minutes since 8:00.")
    assert_fields_labelled(employee)
    screenshot(employee, "report-hacked")
    employee.get_by_role("button", name="Report it hacked").click()

    ticket = Ticket.objects.get()
    expect(employee).to_have_url(re.compile(rf"/requests/{ticket.pk}/$"))
    expect(employee.locator("#messages")).to_contain_text(f"{ticket.reference} is with IT as urgent")
    facts = employee.locator(".facts")
    expect(facts).to_contain_text("Acme on X")
    expect(facts).to_contain_text("Compromised")
    assert (ticket.queue, ticket.priority, ticket.account) == (cast.it, Ticket.Priority.URGENT, x_account)
    assert Collaboration.objects.filter(ticket=ticket, queue=cast.communications).exists()
    assert Checklist.objects.filter(ticket=ticket).exists()
    told = set(Notification.objects.filter(kind=Kind.ACCOUNT_NOTICE).values_list("recipient", flat=True))
    assert told == {cast.other_employee.pk, cast.marketing_agent.pk}

    # Communications sees it in its desk, beside IT, and drafts the statement.
    comms = new_page()
    log_in(comms, cast.comms_agent)
    comms.goto("/desk/")
    comms.locator("#results").get_by_role("link", name=ticket.subject).click()
    expect(comms).to_have_url(re.compile(rf"/desk/tickets/{ticket.pk}/$"))
    panel = comms.locator("#checklist")
    expect(panel).to_contain_text("Hacked account response")
    expect(panel.get_by_role("link", name="X: help with a compromised account")).to_be_visible()
    comms.get_by_role("textbox", name="Holding statement").fill(STATEMENT)
    comms.get_by_role("button", name="Save the draft").click()
    expect(comms.locator("#messages")).to_contain_text("Statement saved")
    expect(comms.get_by_role("button", name="Approve the statement")).to_have_count(0)

    # IT tries to resolve at once: refused, with what is left.
    it = new_page()
    log_in(it, cast.it_agent)
    it.goto(f"/desk/tickets/{ticket.pk}/")
    it.get_by_label("Change status").select_option(label="Resolved")
    it.get_by_role("button", name="Set status").click()
    refusal = it.locator("#messages")
    expect(refusal).to_contain_text("can't be finished yet. Still to do:")
    expect(refusal).to_contain_text("“Secure the recovery email first”")
    expect(refusal).to_contain_text("“Write the after-action note”")
    screenshot(it, "ticket-checklist")

    for text in [
        "Secure the recovery email first",
        "Reset the account's password",
        "Sign out all sessions",
        "Revoke connected apps",
        "Check the recovery email, phone and second factor",
    ]:
        tick(it, text)
    expect(it.locator("#checklist")).to_contain_text("Account secured")
    expect(it.get_by_role("button", name="Done: “Publish the holding statement”")).to_be_disabled()

    # A manager approves the statement Communications wrote; then it can be published.
    manager = new_page()
    log_in(manager, cast.manager)
    manager.goto(f"/desk/tickets/{ticket.pk}/")
    manager.get_by_role("button", name="Approve the statement").click()
    expect(manager.locator("#messages")).to_contain_text("Statement approved")
    comms.reload()
    tick(comms, "Publish the holding statement")

    for text in [
        "Pause scheduled posts",
        "Review recent posts and messages; archive, then remove what the intruder posted",
        "Report the compromise to the platform",
        "Re-verify everyone with access",
        "Write the after-action note",
    ]:
        tick(it, text)
    screenshot(it, "ticket-checklist-done")
    it.get_by_label("Change status").select_option(label="Resolved")
    it.get_by_role("button", name="Set status").click()
    expect(it.locator("#messages")).to_contain_text("Status set to Resolved.")

    x_account.refresh_from_db()
    assert x_account.status == CompanyAccount.Status.ACTIVE
    assert x_account.review_due_at is not None and x_account.review_due_at <= timezone.now()
    assert AccountEvent.objects.filter(account=x_account, kind=AccountEvent.Kind.RESTORED).exists()
    assert not Item.objects.filter(checklist__ticket=ticket, done_at__isnull=True).exists()
    it.goto(x_account.get_desk_url())
    expect(it.locator("section", has_text="Tickets about this account")).to_contain_text(ticket.subject)
    expect(it.locator("h1 + .badge, .badge.fs-6").first).to_have_text("Active")
    screenshot(it, "account-tickets")


def test_the_new_screens_fit_a_phone(cast: Cast, new_page: PageFactory, x_account: CompanyAccount) -> None:
    from social.incidents import account_report_hacked

    ticket = account_report_hacked(
        reporter=cast.employee, platform=x_account.platform, account=x_account, signs=["cannot_log_in"]
    )
    employee = new_page(PHONE)
    log_in(employee, cast.employee)
    employee.goto("/requests/accounts/hacked/")
    employee.get_by_label("Platform").select_option(label="Twitter/X")
    expect(employee.get_by_label("Company account")).to_be_visible()
    employee.get_by_label("Company account").select_option(label="Not listed: I'll name it")
    expect(employee.get_by_label("Which account?")).to_be_visible()
    assert_no_horizontal_scroll(employee)
    screenshot(employee, "report-hacked")
    employee.goto("/")
    screenshot(employee, "portal-home-hacked")

    agent = new_page(PHONE)
    log_in(agent, cast.comms_agent)
    agent.goto(f"/desk/tickets/{ticket.pk}/")
    expect(agent.locator("#checklist")).to_be_visible()
    assert_no_horizontal_scroll(agent)
    screenshot(agent, "ticket-checklist")
    agent.goto(x_account.get_desk_url())
    assert_no_horizontal_scroll(agent)
    screenshot(agent, "account-tickets")

    desk = new_page()
    log_in(desk, cast.employee)
    desk.goto("/")
    screenshot(desk, "portal-home-hacked")
