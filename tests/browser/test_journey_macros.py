"""Macros and saved views in a real Chromium: an agent finds a macro, reads what it will send
and change, sends it, and the ticket waits on the requester; views saved from the desk list
show in its sidebar with their counts. Each new control is pictured at 1280 and 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from checklists.reference_data import checklists_load
from guides.seed import starter_guides_load
from macros.reference_data import macros_load
from savedviews.models import SavedView
from tickets.models import Comment, Event, Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import (
    DESKTOP,
    PHONE,
    PageFactory,
    assert_fields_labelled,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def seeded(cast: Cast) -> None:
    starter_guides_load()
    checklists_load()
    macros_load()


def test_an_agent_previews_a_macro_then_sends_it_and_the_ticket_waits(
    cast: Cast, seeded: None, page: Page
) -> None:
    ticket = file_ticket(cast.employee, subject="Can't get into the X account")
    log_in(page, cast.it_agent)

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"/desk/tickets/{ticket.pk}/")
        macros = page.get_by_role("region", name="Macros")
        macros.get_by_label("Find a canned reply or macro").press_sequentially("password", delay=20)
        expect(macros.get_by_role("link")).to_have_count(1)
        result = macros.get_by_role("link", name=re.compile("Password reset steps"))
        expect(result).to_be_visible()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        macros.scroll_into_view_if_needed()
        screenshot(page, "macro-picker")

        result.click()
        reply = macros.get_by_label(re.compile("Reply to Erin Employee, as it will be sent"))
        expect(reply).to_have_value(re.compile(r"^Hello Erin,"))
        expect(reply).to_have_value(re.compile(f"Ian It, IT \\({ticket.reference}\\)"))
        expect(macros.get_by_text("Set the status to Waiting on requester")).to_be_visible()
        expect(macros.get_by_text("Assign the ticket to you")).to_be_visible()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "macro-preview")

    # Nothing is sent until the agent says so.
    assert not Comment.objects.filter(ticket=ticket).exists()
    reply.fill(reply.input_value().replace("ten minutes", "fifteen minutes"))
    with page.expect_navigation():
        macros.get_by_role("button", name="Send and apply").click()

    expect(page.get_by_text("Applied “Password reset steps”.")).to_be_visible()
    expect(page.get_by_text("Waiting on requester").first).to_be_visible()
    expect(page.get_by_text("applied the macro “Password reset steps”, editing its reply")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Ticket.Status.WAITING_REQUESTER, cast.it_agent)
    assert "fifteen minutes" in Comment.objects.get(ticket=ticket).body
    assert Event.objects.filter(ticket=ticket, kind=Event.Kind.MACRO).count() == 1


def test_an_agent_saves_the_filters_as_a_view_and_the_sidebar_counts_it(cast: Cast, page: Page) -> None:
    for number in range(3):
        file_ticket(cast.employee, subject=f"Locked out {number}")
    SavedView.objects.create(
        name="IT unassigned", queue=cast.it, filters={"assignee": "none"}, created_by=cast.manager
    )
    log_in(page, cast.it_agent)

    page.goto("/desk/?assignee=none&priority=2")
    tools = page.get_by_text("Save or manage views")
    tools.click()
    page.get_by_label("Name these filters").fill("Unassigned, normal")
    with page.expect_navigation():
        page.get_by_role("button", name="Save view").click()
    expect(page.get_by_text("Saved “Unassigned, normal”.")).to_be_visible()

    views = page.get_by_role("region", name="Saved views")
    mine = views.get_by_role("link", name=re.compile("Unassigned, normal"))
    expect(mine).to_have_attribute("aria-current", "page")
    expect(mine).to_contain_text("3")
    expect(views.get_by_role("link", name=re.compile("IT unassigned"))).to_contain_text("3")
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.reload()
        page.get_by_text("Save or manage views").click()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "saved-views-sidebar")


def test_a_manager_makes_a_shared_view_the_queues_default_and_its_agent_opens_on_it(
    cast: Cast, page: Page, new_page: PageFactory
) -> None:
    file_ticket(cast.employee, subject="Locked out")
    SavedView.objects.create(
        name="IT unassigned", queue=cast.it, filters={"assignee": "none"}, created_by=cast.manager
    )
    log_in(page, cast.manager)
    page.goto("/desk/?status=")
    page.get_by_text("Save or manage views").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Make IT's default").click()
    expect(page.get_by_text("IT's agents now open the desk on “IT unassigned”.")).to_be_visible()
    page.get_by_text("Save or manage views").click()
    screenshot(page, "saved-views-default")

    agent = new_page()
    log_in(agent, cast.it_agent)
    agent.goto("/desk/")
    expect(agent).to_have_url(re.compile(r"/desk/\?assignee=none$"))
    expect(agent.get_by_role("link", name=re.compile("IT unassigned"))).to_have_attribute(
        "aria-current", "page"
    )
