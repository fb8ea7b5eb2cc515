"""Merge and colleagues in a real Chromium: an agent merges a duplicate and both requesters
are told; an employee adds a colleague, who then sees the request in their portal.
Screens of the new controls land in test-results/screens/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from notifications.models import Kind, Notification
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import (
    PHONE,
    PageFactory,
    assert_fields_labelled,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser


def both_widths(new_page: PageFactory, user: object, path: str, name: str, section: str) -> None:
    for viewport in (None, PHONE):
        page: Page = new_page(viewport) if viewport else new_page()
        log_in(page, user)  # type: ignore[arg-type]
        page.goto(path)
        page.locator(section).scroll_into_view_if_needed()
        assert_fields_labelled(page)
        assert_no_horizontal_scroll(page)
        screenshot(page, name)


def test_merging_two_tickets_tells_both_requesters(cast: Cast, new_page: PageFactory) -> None:
    target = file_ticket(cast.employee, subject="Can't log in to @acme", description="Code never arrives.")
    duplicate = file_ticket(
        cast.other_employee, subject="@acme login broken", description="No SMS code here either."
    )
    services.ticket_reply(ticket=duplicate, author=cast.other_employee, body="Still nothing at noon.")
    Notification.objects.all().delete()

    agent = new_page()
    log_in(agent, cast.it_agent)
    agent.goto(duplicate.get_desk_url())
    assert_fields_labelled(agent)
    agent.get_by_label("Duplicate? Merge it into").fill(target.reference)
    agent.get_by_role("button", name="Merge").click()

    expect(agent).to_have_url(re.compile(rf"/desk/tickets/{target.pk}/$"))
    expect(agent.locator("#messages")).to_contain_text(
        f"{duplicate.reference} is merged into {target.reference}"
    )
    expect(agent.get_by_text(f"Merged from {duplicate.reference}").first).to_be_visible()
    expect(agent.get_by_text("Still nothing at noon.")).to_be_visible()
    expect(agent.locator("#links")).to_contain_text(f"Duplicated by {duplicate.reference}")
    assert Ticket.objects.get(pk=duplicate.pk).status == Ticket.Status.CLOSED

    # The duplicate's requester is told where the request went, and the reply there reaches both.
    told = Notification.objects.get(kind=Kind.MERGED)
    assert told.recipient == cast.other_employee
    assert target.reference in told.context["target"]
    agent.get_by_label("Message").fill("The SMS provider is fixed; please try again.")
    agent.get_by_role("button", name="Send", exact=True).click()
    expect(agent.locator("#messages")).to_contain_text("Reply sent to the requester.")
    replied = set(
        Notification.objects.filter(kind=Kind.REPLY_TO_REQUESTER).values_list("recipient__email", flat=True)
    )
    assert replied == {cast.employee.email, cast.other_employee.email}

    # Their old address leads to the ticket that goes on.
    requester = new_page()
    log_in(requester, cast.other_employee)
    requester.goto(duplicate.get_absolute_url())
    expect(requester).to_have_url(re.compile(rf"/requests/{target.pk}/$"))
    expect(requester.get_by_text("Still nothing at noon.")).to_be_visible()

    both_widths(new_page, cast.it_agent, target.get_desk_url(), "desk-links-people", "#links")


def test_an_employee_adds_a_colleague_who_then_sees_the_ticket(cast: Cast, new_page: PageFactory) -> None:
    ticket = file_ticket(cast.employee, subject="Our LinkedIn page lost its admin")
    employee = new_page()
    log_in(employee, cast.employee)
    employee.goto(ticket.get_absolute_url())
    employee.get_by_label("Colleague's work email").fill("nobody@example.com")
    employee.get_by_role("button", name="Add", exact=True).click()
    expect(employee.locator("#messages")).to_contain_text("No colleague signs in as nobody@example.com")
    employee.get_by_label("Colleague's work email").fill(cast.other_employee.email)
    employee.get_by_role("button", name="Add", exact=True).click()
    expect(employee.locator("#messages")).to_contain_text(
        f"{cast.other_employee} is on {ticket.reference} now"
    )
    expect(employee.locator("#colleagues")).to_contain_text(str(cast.other_employee))

    colleague = new_page()
    log_in(colleague, cast.other_employee)
    colleague.goto("/requests/")
    colleague.get_by_role("link", name=re.compile("Our LinkedIn page lost its admin")).click()
    expect(colleague).to_have_url(re.compile(rf"/requests/{ticket.pk}/$"))
    colleague.get_by_label("Your reply").fill("I was the last admin; happy to help.")
    colleague.get_by_role("button", name="Send reply").click()
    expect(colleague.get_by_text("I was the last admin; happy to help.")).to_be_visible()
    expect(colleague.get_by_role("button", name="Mark as resolved")).to_have_count(0)

    both_widths(new_page, cast.employee, ticket.get_absolute_url(), "portal-colleagues", "#colleagues")
