"""The desk list in a real browser: htmx filters, shareable URLs, bulk actions."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tickets import services
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import PageFactory, cell, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def it_tickets(cast: Cast) -> dict[str, Ticket]:
    tickets = {
        "login": file_ticket(cast.employee, problem="login-access", subject="Locked out of LinkedIn"),
        "blog": file_ticket(cast.employee, problem="publishing-problem", subject="Blog shows a PHP error"),
        "vpn": file_ticket(cast.other_employee, problem="network-block", subject="Facebook blocked on VPN"),
    }
    services.ticket_set_status(ticket=tickets["blog"], status="waiting_requester", actor=cast.it_agent)
    return tickets


def subjects(page: Page) -> list[str]:
    return sorted(page.locator("#results td.subject > a").all_inner_texts())


def test_a_filter_updates_the_results_in_place_and_the_url_can_be_shared(
    cast: Cast, it_tickets: dict[str, Ticket], new_page: PageFactory
) -> None:
    page = new_page()
    log_in(page, cast.it_agent)
    expect(page.locator("#result-count")).to_have_text("3 tickets")
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.evaluate("window.__marker = 1")

    with page.expect_response(lambda response: "/desk/?" in response.url) as filtered:
        page.get_by_label("Status", exact=True).select_option(label="Waiting on requester")
    assert filtered.value.request.headers.get("hx-request") == "true"

    expect(page.locator("#result-count")).to_have_text("1 ticket")
    assert subjects(page) == ["Blog shows a PHP error"]
    assert page.evaluate("window.__marker") == 1, "the filter reloaded the whole page"
    assert loads == []
    expect(page).to_have_url(re.compile(r"/desk/\?.*\bstatus=waiting_requester\b"))
    shared_url = page.url

    colleague = new_page()
    log_in(colleague, cast.it_agent)
    colleague.goto(shared_url)
    expect(colleague.locator("#result-count")).to_have_text("1 ticket")
    assert subjects(colleague) == ["Blog shows a PHP error"]
    expect(colleague.get_by_label("Status", exact=True)).to_have_value("waiting_requester")


def test_take_them_assigns_the_two_ticked_tickets_to_me(
    cast: Cast, it_tickets: dict[str, Ticket], page: Page
) -> None:
    log_in(page, cast.it_agent)
    page.get_by_label(f"Tick {it_tickets['login'].reference}", exact=True).check()
    page.get_by_label(f"Tick {it_tickets['vpn'].reference}", exact=True).check()
    page.locator("#bulk-action").select_option(label="Take them")
    page.get_by_role("button", name="Apply").click()

    expect(page.locator("#messages")).to_contain_text("Updated 2 tickets.")
    for name in ("login", "vpn"):
        assignee = cell(page.locator("#results table"), it_tickets[name].subject, "Assignee")
        expect(assignee).to_have_text(str(cast.it_agent))
    assignees = dict(Ticket.objects.values_list("subject", "assignee"))
    assert assignees == {
        "Locked out of LinkedIn": cast.it_agent.pk,
        "Facebook blocked on VPN": cast.it_agent.pk,
        "Blog shows a PHP error": None,
    }


def test_back_after_filtering_and_opening_a_ticket_shows_the_whole_desk(
    cast: Cast, it_tickets: dict[str, Ticket], page: Page
) -> None:
    log_in(page, cast.it_agent)
    page.get_by_label("Status", exact=True).select_option(label="Waiting on requester")
    expect(page.locator("#result-count")).to_have_text("1 ticket")
    page.get_by_role("link", name="Blog shows a PHP error").click()
    expect(page).to_have_url(re.compile(r"/desk/tickets/\d+/$"))

    page.go_back()

    expect(page).to_have_url(re.compile(r"status=waiting_requester"))
    expect(page.get_by_role("heading", name="IT queue", exact=True)).to_be_visible(timeout=1_000)
    expect(page.get_by_role("navigation", name="Main")).to_be_visible(timeout=1_000)
