"""The main journey in a real browser: a hacked Twitter/X account, from filing to resolved."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tickets.models import Comment, Ticket

from ..conftest import Cast, platform
from ..factories import file_ticket
from .conftest import PageFactory, cell, log_in, screenshot

pytestmark = pytest.mark.browser

SUBJECT = "Our Twitter/X account posts crypto ads"
DESCRIPTION = "Since 8:00 the account posts ads we never wrote, and the recovery email changed."
REPLY = "We have locked the account and reset its password; please don't post until we say so."
NOTE = "Session tokens revoked at 9:40; vendor case VX-7781 opened."


def test_compromised_account_from_filing_to_resolved(cast: Cast, new_page: PageFactory) -> None:
    employee = new_page()
    log_in(employee, cast.employee)
    expect(employee.get_by_role("heading", name="Hello, Erin")).to_be_visible()

    employee.get_by_role("main").get_by_role("link", name="New request").click()
    expect(employee).to_have_title(re.compile(r"^New request"))
    help_box = employee.locator("#problem-help")
    expect(help_box).to_be_hidden()
    employee.get_by_label("Platform").select_option(label="Twitter/X")
    employee.get_by_label("What is the problem?").select_option(label="Compromised account")
    expect(help_box).to_be_visible()
    expect(help_box).to_contain_text("Stop posting from the account")
    employee.get_by_label("Subject").fill(SUBJECT)
    employee.get_by_label("Description").fill(DESCRIPTION)
    employee.get_by_role("button", name="Send request").click()

    ticket = Ticket.objects.get(subject=SUBJECT)
    expect(employee).to_have_url(re.compile(rf"/requests/{ticket.pk}/$"))
    expect(employee.get_by_role("heading", name=SUBJECT)).to_be_visible()
    expect(employee.locator("#messages")).to_contain_text(f"we have your request {ticket.reference}")
    assert (ticket.queue, ticket.priority, ticket.requester) == (
        cast.it,
        Ticket.Priority.URGENT,
        cast.employee,
    )

    agent = new_page()
    log_in(agent, cast.it_agent)
    expect(agent).to_have_url(re.compile(r"/desk/$"))
    table = agent.locator("#results table")
    expect(table.locator("tbody tr", has_text=SUBJECT)).to_have_count(1)
    # An agent of one queue reads its name above the list, and the room goes to the subjects.
    expect(agent.get_by_role("heading", name="IT queue", exact=True)).to_be_visible()
    expect(cell(table, SUBJECT, "Priority")).to_have_text("Urgent")
    table.get_by_role("link", name=SUBJECT).click()

    expect(agent).to_have_url(re.compile(rf"/desk/tickets/{ticket.pk}/$"))
    expect(agent.get_by_role("heading", name=SUBJECT)).to_be_visible()
    history = agent.locator("ol.history")
    expect(history).to_contain_text("Compromised accounts go to IT, urgent")

    agent.get_by_label("Message").fill(REPLY)
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(agent.locator("#messages")).to_contain_text("Reply sent to the requester.")

    agent.locator("label", has_text="Internal note").click()
    expect(agent.get_by_role("radio", name="Internal note")).to_be_checked()
    agent.get_by_label("Message").fill(NOTE)
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(agent.locator("#messages")).to_contain_text("Internal note added.")
    expect(agent.locator("article.message-note")).to_contain_text(NOTE)
    expect(agent.locator("article.message-staff")).to_contain_text(REPLY)
    assert list(Comment.objects.filter(ticket=ticket).values_list("is_internal", flat=True)) == [
        False,
        True,
    ]

    employee.reload()
    conversation = employee.locator("article.message")
    expect(conversation.filter(has_text=REPLY)).to_have_count(1)
    expect(employee.get_by_text(NOTE)).to_have_count(0)
    assert "VX-7781" not in employee.content()
    screenshot(employee, "journey-employee-before-resolving")

    employee.get_by_role("button", name="Mark as resolved").click()
    expect(employee.locator("#messages")).to_contain_text(f"{ticket.reference} is marked resolved")
    expect(employee.locator(".facts")).to_contain_text("Resolved")
    expect(employee.get_by_role("button", name="Reopen")).to_be_visible()
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.RESOLVED


def test_it_agent_gets_a_404_for_a_marketing_ticket(cast: Cast, page: Page) -> None:
    marketing_ticket = file_ticket(cast.employee, problem="metrics-request", subject="Follower numbers")
    assert marketing_ticket.queue == cast.marketing

    log_in(page, cast.it_agent)
    response = page.goto(f"/desk/tickets/{marketing_ticket.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("Follower numbers")).to_have_count(0)
    expect(page.get_by_role("heading", name="We can't find that page")).to_be_visible()


def test_filing_form_with_an_empty_subject_keeps_what_was_typed(cast: Cast, page: Page) -> None:
    log_in(page, cast.employee)
    page.goto("/requests/new/")
    page.get_by_label("Platform").select_option(label="Twitter/X")
    page.get_by_label("What is the problem?").select_option(label="Compromised account")
    page.get_by_label("Description").fill(DESCRIPTION)
    page.get_by_role("button", name="Send request").click()

    subject = page.get_by_label("Subject")
    expect(subject).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator(".invalid-feedback", has_text="Give your request a subject")).to_be_visible()
    expect(page.get_by_label("Description")).to_have_value(DESCRIPTION)
    expect(page.get_by_label("Platform")).to_have_value(str(platform("twitter-x").pk))
    expect(page.locator("#problem-help")).to_contain_text("Stop posting from the account")
    assert not Ticket.objects.exists()
