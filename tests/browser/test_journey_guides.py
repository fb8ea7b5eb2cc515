"""Guides in a real Chromium: a guide answers while the request is typed and nothing is filed;
the policy banner until the employee confirms, and the managers' list; a rating from the
resolved email's link, on the dashboard. Each new screen is pictured at 1280 and 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from guides.models import Deflection, Guide, PolicyConfirmation
from guides.seed import POLICY_SLUG, starter_guides_load
from satisfaction.links import rating_token
from satisfaction.models import Rating
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast
from ..factories import file_ticket
from .conftest import DESKTOP, PHONE, assert_fields_labelled, assert_no_horizontal_scroll, log_in, screenshot

pytestmark = pytest.mark.browser

HACKED_TITLE = "The first fifteen minutes after an account is hacked"


@pytest.fixture
def library(cast: Cast) -> None:
    starter_guides_load()


def manager_page(browser: Browser, live_server: LiveServer, cast: Cast) -> Page:
    page = browser.new_context(base_url=live_server.url, viewport=DESKTOP).new_page()
    log_in(page, cast.manager)
    return page


def test_a_suggested_guide_solves_it_and_nothing_is_filed(
    cast: Cast, library: None, page: Page, browser: Browser, live_server: LiveServer
) -> None:
    log_in(page, cast.employee)
    # The employee has confirmed the policy: this journey is about the filing form.
    policy = Guide.objects.get(slug=POLICY_SLUG)
    PolicyConfirmation.objects.create(guide=policy, person=cast.employee, version=policy.policy_version)

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto("/requests/new/")
        page.get_by_label("Platform").select_option(label="Twitter/X")
        page.get_by_label("Subject").press_sequentially("our twitter account was hacked", delay=20)
        suggestions = page.get_by_role("complementary", name="Guides that may help")
        expect(suggestions.get_by_role("link", name=re.compile(HACKED_TITLE))).to_be_visible()
        expect(suggestions.get_by_role("listitem")).to_have_count(3)
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "filing-suggestions")

    # Nothing matches well: the suggestions go away.
    page.get_by_label("Subject").fill("")
    page.get_by_label("Subject").press_sequentially("printer broken", delay=20)
    expect(suggestions.get_by_role("listitem")).to_have_count(0)
    page.get_by_label("Subject").fill("")
    page.get_by_label("Subject").press_sequentially("our twitter account was hacked", delay=20)
    item = suggestions.get_by_role("listitem").filter(has_text=HACKED_TITLE)
    with page.expect_navigation():
        item.get_by_role("button", name="This solved it").click()

    expect(page.get_by_role("heading", name=HACKED_TITLE, level=1)).to_be_visible()
    expect(page.get_by_text("Nothing was filed")).to_be_visible()
    assert Ticket.objects.count() == 0
    assert Deflection.objects.get().subject == "our twitter account was hacked"

    manager = manager_page(browser, live_server, cast)
    manager.goto("/admin/reports/")
    figure = manager.locator(".figure", has_text="“This solved it”, nothing filed")
    expect(figure.locator(".value")).to_have_text("1")


def test_the_policy_banner_until_confirmed_and_the_managers_list(
    cast: Cast, library: None, page: Page, browser: Browser, live_server: LiveServer
) -> None:
    log_in(page, cast.employee)
    banner = page.get_by_role("region", name="Social media policy", exact=True)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto("/guides/")
        expect(banner).to_be_visible()
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "policy-banner")

    page.set_viewport_size(DESKTOP)
    banner.get_by_role("link", name="Read and confirm").click()
    expect(page.get_by_role("heading", name="Social media policy", level=1)).to_be_visible()
    screenshot(page, "policy-guide")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("I have read version 1")).click()
    expect(page.get_by_text("You have confirmed version 1.")).to_be_visible()
    expect(banner).to_have_count(0)

    manager = manager_page(browser, live_server, cast)
    for viewport in (DESKTOP, PHONE):
        manager.set_viewport_size(viewport)
        manager.goto("/desk/guides/policy/confirmations/")
        not_yet = manager.get_by_role("region", name=re.compile("Not confirmed yet"))
        expect(not_yet.get_by_text("Oscar Other")).to_be_visible()
        expect(not_yet.get_by_text("Erin Employee")).to_have_count(0)
        if viewport is PHONE:
            assert_no_horizontal_scroll(manager)
        screenshot(manager, "policy-confirmations")


def test_a_rating_from_the_link_reaches_the_dashboard(
    cast: Cast, library: None, page: Page, browser: Browser, live_server: LiveServer
) -> None:
    ticket = file_ticket(cast.employee, subject="The blog shows an error")
    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)
    url = f"/satisfaction/rate/{rating_token(ticket_id=ticket.pk, requester_id=cast.employee.pk)}/"

    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(url)
        expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "rating-link")
    assert Rating.objects.count() == 0  # opening the page records nothing

    page.get_by_label("Anything to tell us? (optional)").fill("Fixed the same morning")
    with page.expect_navigation():
        page.get_by_role("button", name="4, good").click()
    expect(page.get_by_text("you rated it 4 of 5")).to_be_visible()
    screenshot(page, "rating-thanks")

    manager = manager_page(browser, live_server, cast)
    manager.goto("/admin/reports/")
    comments = manager.locator("section", has=manager.get_by_role("heading", name="What requesters said"))
    expect(comments.get_by_role("link", name=ticket.reference)).to_be_visible()
    expect(comments.get_by_text("Fixed the same morning")).to_be_visible()
    manager.locator("#t-csat-comments").scroll_into_view_if_needed()
    screenshot(manager, "dashboard-satisfaction")


def test_the_desk_picker_and_the_portal_rating_box_pictured(cast: Cast, library: None, page: Page) -> None:
    ticket = file_ticket(cast.employee, problem="compromised-account", subject="Our X account posts spam")
    log_in(page, cast.it_agent)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(f"/desk/tickets/{ticket.pk}/")
        page.get_by_label("Insert a guide's link into the reply").press_sequentially("hacked", delay=20)
        insert = page.get_by_role("button", name="Insert link").first
        expect(insert).to_be_visible()
        insert.click()
        expect(page.locator("#id_body")).to_have_value(re.compile(r"\[The first fifteen minutes .*\]\(http"))
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        page.get_by_role("heading", name="Guides", exact=True).scroll_into_view_if_needed()
        screenshot(page, "desk-guide-picker")
        page.locator("#id_body").fill("")

    services.ticket_set_status(ticket=ticket, status=Ticket.Status.RESOLVED, actor=cast.it_agent)
    employee = page.context.browser.new_context(
        base_url=page.url.split("/desk/")[0], viewport=DESKTOP
    ).new_page()  # type: ignore[union-attr]
    log_in(employee, cast.employee)
    for viewport in (DESKTOP, PHONE):
        employee.set_viewport_size(viewport)
        employee.goto(f"/requests/{ticket.pk}/")
        box = employee.get_by_role("region", name="How did we do?")
        expect(box).to_be_visible()
        if viewport is PHONE:
            assert_no_horizontal_scroll(employee)
        screenshot(employee, "portal-rating-box")
    with employee.expect_navigation():
        box.get_by_role("button", name="5, very good").click()
    expect(employee.get_by_text("You rated it 5 of 5")).to_be_visible()
