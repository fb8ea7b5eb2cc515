"""Journeys that need a yes first, in a real Chromium, with the approval email read from the outbox.

(0) An employee asks for Facebook to be unblocked at work; the department head approves from
the email; the ticket reaches IT with the approval in its history.
An access request approved by the owner becomes a grant ticket; "Granted" records the access.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Department
from approvals.models import Approval
from notifications.delivery import notification_deliver
from notifications.models import Kind, Notification
from social.models import Access

from ..conftest import Cast, person
from ..social.scene import account_make
from .conftest import PageFactory, log_in, screenshot

pytestmark = pytest.mark.browser

# The email's link names the desk's SITE_URL; the browser opens its path on the live server.
LINK = re.compile(r"https?://[^/\s]+(/approvals/link/\S+/)")


def delivered_link(recipient_email: str) -> str:
    """Send what waits in the outbox, then read the decide link from the approver's email."""
    start = len(mail.outbox)
    for pk in Notification.objects.filter(kind=Kind.APPROVAL_ASKED, status="pending").values_list(
        "pk", flat=True
    ):
        assert notification_deliver(notification_id=pk) == "sent"
    (email,) = [m for m in mail.outbox[start:] if any(recipient_email in to for to in m.to)]
    match = LINK.search(email.body)
    assert match, email.body
    return match.group(1)


def test_facebook_unblocked_after_the_department_head_approves_from_the_email(
    cast: Cast, new_page: PageFactory
) -> None:
    head = person("dana.head@example.com", "employee")
    Department.objects.filter(name="Sales").update(head=head)

    employee = new_page()
    log_in(employee, cast.employee)
    employee.get_by_role("link", name="Ask for an exception").click()
    expect(employee.get_by_role("heading", name="Ask for an exception")).to_be_visible()
    employee.get_by_label("A site blocked by the company network").check()
    employee.get_by_label("Which site or software").fill("facebook.com")
    employee.get_by_label("Platform (optional)").select_option(label="Facebook")
    employee.get_by_label("Why you need it").fill("I answer customers on our Facebook page from the office.")
    employee.get_by_role("button", name="Ask for approval").click()
    expect(employee.locator("#messages")).to_contain_text("Dana Head decides")
    expect(employee.get_by_text("Waiting for a decision")).to_be_visible()

    url = delivered_link(head.email)
    approver = new_page()
    log_in(approver, head)
    approver.goto(url)
    expect(approver.get_by_role("heading", name="Unblock facebook.com for Erin Employee")).to_be_visible()
    expect(approver.get_by_text("I answer customers on our Facebook page")).to_be_visible()
    screenshot(approver, "approval-from-email")
    approver.get_by_label("Comment").fill("Yes, for the page team.")
    approver.get_by_role("button", name="Approve").click()
    expect(approver.locator("#messages")).to_contain_text("You approved")

    approval = Approval.objects.get()
    assert approval.status == "approved" and approval.ticket is not None
    assert approval.ticket.queue == cast.it

    # The same link, used again, decides nothing.
    approver.goto(url)
    expect(approver.get_by_role("heading", name="This link was already used")).to_be_visible()
    screenshot(approver, "approval-link-used")

    agent = new_page()
    log_in(agent, cast.it_agent)
    agent.goto(approval.ticket.get_desk_url())
    expect(agent.get_by_role("heading", name="Unblock facebook.com for Erin Employee")).to_be_visible()
    expect(agent.locator("ol.history")).to_contain_text("Dana Head approved")
    expect(agent.locator("ol.history")).to_contain_text("Yes, for the page team.")


def test_access_approved_by_the_owner_is_granted_on_its_ticket(cast: Cast, new_page: PageFactory) -> None:
    page_account = account_make(cast, name="LinkedIn page", queue=cast.marketing, owner=cast.other_employee)

    employee = new_page()
    log_in(employee, cast.employee)
    employee.goto("/approvals/")
    employee.get_by_role("link", name="Request access to an account").click()
    employee.get_by_label("Account").select_option(label="LinkedIn page (LinkedIn)")
    employee.get_by_label("Role wanted").select_option(label="Editor")
    employee.get_by_label("Why you need it").fill("I post the weekly job offers.")
    employee.get_by_role("button", name="Ask the owner").click()
    expect(employee.locator("#messages")).to_contain_text("Oscar Other decides")

    owner = new_page()
    log_in(owner, cast.other_employee)
    owner.goto(delivered_link(cast.other_employee.email))
    owner.get_by_role("button", name="Approve").click()
    expect(owner.locator("#messages")).to_contain_text("You approved")
    approval = Approval.objects.get()
    assert approval.ticket is not None and approval.ticket.queue == cast.marketing

    agent = new_page()
    log_in(agent, cast.marketing_agent)
    agent.goto(approval.ticket.get_desk_url())
    panel = agent.locator(".ticket-access")
    expect(panel).to_contain_text("Editor access to LinkedIn page for Erin Employee, approved by Oscar Other")
    expect(agent.locator("ol.history")).to_contain_text("Oscar Other approved")
    screenshot(agent, "ticket-grant-panel")
    panel.get_by_role("button", name="Granted").click()
    expect(agent.locator("#messages")).to_contain_text("Erin Employee is Editor on LinkedIn page")
    assert Access.objects.get(account=page_account).holder == cast.employee
    expect(agent.locator(".ticket-access")).to_contain_text("Granted")
    expect(agent.locator("ol.history")).to_contain_text(
        "granted Erin Employee Editor access to LinkedIn page"
    )
    agent.goto(page_account.get_desk_url())
    expect(agent.locator(".access-list")).to_contain_text("Erin Employee")
