"""What a new user meets first, in Chromium at 1280 and 390 px: an agent who opens the site's root
lands on their queue, the desk list shows ten tickets and more on a screen, and the admin's
lists and the dashboard fit. Pictures of each land in test-results/screens/.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tickets import services
from tickets.services.sla import sla_sweep

from ..conftest import PASSWORD, Cast
from ..factories import file_ticket
from .conftest import DESKTOP, PHONE, PageFactory, assert_no_horizontal_scroll, log_in, screenshot
from .test_screens import LONG_URL, backdate

pytestmark = pytest.mark.browser

SUBJECTS = [
    ("login-access", "Locked out of the LinkedIn page"),
    ("publishing-problem", f"The careers post links to a page that is gone: {LONG_URL}"),
    ("network-block", "Facebook blocked on the Lyon office network"),
    ("compromised-account", "Our Twitter/X account is posting crypto ads"),
    ("login-access", "Lost the second factor for the blog editor"),
    ("publishing-problem", "Images missing in the spring launch post"),
    ("network-block", "LinkedIn won't load on the VPN"),
    ("login-access", "Need admin access to the Facebook careers page"),
    ("publishing-problem", "Blog post stuck in draft: the publish button spins forever and nothing happens"),
    ("login-access", "Password reset mail for the blog never arrives"),
    ("network-block", "Proxy error on Twitter/X from the Paris office"),
    ("publishing-problem", "Broken link in our Facebook post about the open day"),
]
# A select cuts its text when the chosen option is wider than the box less its padding and arrow.
SELECT_CLIPPED_JS = """
(select) => {
  const style = getComputedStyle(select);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  const text = context.measureText(select.options[select.selectedIndex].text).width;
  const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return text > room;
}
"""


@pytest.fixture
def it_queue(cast: Cast) -> None:
    """Twelve IT tickets of every kind, the long-URL one among them, some worked on."""
    for number, (problem, subject) in enumerate(SUBJECTS):
        ticket = file_ticket(
            cast.employee if number % 2 else cast.other_employee, problem=problem, subject=subject
        )
        if number % 3 == 0:
            services.ticket_claim(ticket=ticket, actor=cast.it_agent)
            services.ticket_reply(ticket=ticket, author=cast.it_agent, body="We're on it.")
        if number % 4 == 1:
            services.ticket_set_status(ticket=ticket, status="waiting_third_party", actor=cast.it_agent)
        backdate(ticket, timedelta(hours=number * 3))
    file_ticket(cast.employee, problem="metrics-request", subject="Follower growth for the sales review")


def test_an_it_agent_who_logs_in_at_the_root_lands_on_the_it_queue(
    cast: Cast, it_queue: None, page: Page
) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    page.get_by_label("Work email").fill(cast.it_agent.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.get_by_role("heading", name="IT queue", exact=True)).to_be_visible()
    expect(page.locator("#result-count")).to_have_text("12 tickets")
    expect(page.get_by_role("link", name=SUBJECTS[3][1])).to_be_visible()
    expect(page.get_by_text("Follower growth for the sales review")).to_have_count(0)

    # Their own requests stay one click away.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    expect(page.get_by_role("heading", name="All my requests")).to_be_visible()


def test_the_desk_list_gives_subjects_the_room_and_shows_ten_tickets(
    cast: Cast, it_queue: None, new_page: PageFactory
) -> None:
    page = new_page(DESKTOP)
    log_in(page, cast.it_agent)
    page.goto("/desk/")
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(12)

    on_screen = [
        box for box in (row.bounding_box() for row in rows.all()) if box and box["y"] + box["height"] <= 900
    ]
    assert len(on_screen) >= 10, f"only {len(on_screen)} whole rows above the fold at 1280×900"

    widths = page.evaluate(
        "() => Object.fromEntries(Array.from(document.querySelectorAll('#results thead th'))"
        ".map((th) => [th.textContent.trim(), th.getBoundingClientRect().width]))"
    )
    assert widths["Ticket"] > widths["Status"] + widths["SLA"] + widths["Assignee"], widths
    assert widths["Ticket"] >= 420, widths
    # A long URL breaks anywhere: its row stays a few lines high.
    long_row = rows.filter(has_text="volunteering-days").bounding_box()
    assert long_row is not None and long_row["height"] < 110, long_row
    for label in ("Sort", "Status", "Queue", "Platform", "Problem type", "Assignee", "Priority"):
        assert not page.get_by_label(label, exact=True).evaluate(SELECT_CLIPPED_JS), f"{label} is cut"
    screenshot(page, "first-desk-list")

    phone = new_page(PHONE)
    log_in(phone, cast.it_agent)
    phone.goto("/desk/")
    expect(phone.get_by_role("heading", name="IT queue", exact=True)).to_be_visible()
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "first-desk-list")


def test_an_empty_filter_result_clears_in_one_click(cast: Cast, it_queue: None, page: Page) -> None:
    log_in(page, cast.it_agent)
    page.get_by_label("Search").fill("nothing is called like this")
    expect(page.locator("#results")).to_contain_text("No tickets match these filters.")

    page.get_by_role("link", name="Clear filters").click()

    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.locator("#result-count")).to_have_text("12 tickets")
    expect(page.get_by_label("Search")).to_have_value("")


def test_the_routing_rules_list_fits_1280_px(cast: Cast, new_page: PageFactory) -> None:
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport)
        log_in(page, cast.admin)
        page.goto("/admin/tickets/routingrule/")
        table = page.locator("#result_list")
        expect(table).to_be_visible()
        if viewport is DESKTOP:
            results = page.locator("#changelist .results").bounding_box()
            assert results is not None
            for title in ("Priority", "Assignee", "Round robin"):
                header = table.locator("thead th", has_text=re.compile(title, re.I)).bounding_box()
                assert header is not None
                assert header["x"] + header["width"] <= results["x"] + results["width"] + 1, title
        screenshot(page, "first-admin-routing-rules")


def test_the_breached_tickets_list_shows_requester_and_created(cast: Cast, page: Page) -> None:
    ticket = file_ticket(cast.employee, problem="login-access", subject="Still locked out of LinkedIn")
    backdate(ticket, timedelta(days=5))
    sla_sweep()
    log_in(page, cast.admin)

    page.goto("/admin/tickets/ticket/?sla=breached")
    results = page.locator("#changelist .results").bounding_box()
    assert results is not None
    for title in ("Requester", "Created"):
        header = page.locator("#result_list thead th", has_text=re.compile(title, re.I)).first.bounding_box()
        assert header is not None
        assert header["x"] + header["width"] <= results["x"] + results["width"] + 1, title
    expect(page.locator("#result_list")).to_contain_text("Still locked out of LinkedIn")
    screenshot(page, "first-admin-breached")


def test_the_dashboard_colours_sla_rates_by_the_aim(
    cast: Cast, it_queue: None, new_page: PageFactory
) -> None:
    for viewport in (DESKTOP, PHONE):
        page = new_page(viewport)
        log_in(page, cast.manager)
        page.goto("/admin/reports/")
        expect(page.get_by_text(re.compile(r"SLA targets met \(aim: 90%\)"))).to_be_visible()
        rates = page.locator(".dashboard .rate").all()
        assert rates, "the answered tickets give the dashboard SLA rates"
        for rate in rates:
            classes = set((rate.get_attribute("class") or "").split())
            assert classes & {"met", "close", "missed"}, classes
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "first-dashboard")
