"""The manager dashboard in a real browser, on the demo desk: ten weeks of history.

The manager lands on it from the admin, the chart is drawn by Chart.js served by the app itself,
the numbers are there in text too, a new range is a new (shareable) URL, and it is pictured at
desktop and phone width for a person to look at.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Request, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tickets import services
from tickets.demo import DEMO_PASSWORD, demo_load
from tickets.reference_data import reference_data_load

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

CHART_DRAWN_JS = """
() => {
  const canvas = document.getElementById("volume-chart");
  const chart = window.Chart && window.Chart.getChart(canvas);
  return Boolean(chart) && canvas.width > 0 && canvas.height > 0;
}
"""
CHART_JS = """
() => {
  const canvas = document.getElementById("volume-chart");
  const box = canvas.getBoundingClientRect();
  const chart = window.Chart.getChart(canvas);
  // Something was painted: at least one pixel of the canvas is not transparent.
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i]) { painted++; } }
  return {
    width: box.width,
    height: box.height,
    painted,
    days: chart.data.labels.length,
    opened: chart.data.datasets[0].data.reduce((a, b) => a + b, 0),
  };
}
"""


@pytest.fixture
def morgan(transactional_db: None) -> User:
    """The demo desk as `make run` loads it: people, ten weeks of history and today's tickets."""
    reference_data_load()
    demo_load()
    return User.objects.get(email="morgan@socialit.example")


def figure(page: Page, label: str) -> str:
    return page.locator(".dash-figures .figure", has_text=label).locator(".value").inner_text().strip()


def wait_for_chart(page: Page) -> dict[str, int]:
    page.wait_for_function(CHART_DRAWN_JS)
    drawn: dict[str, int] = page.evaluate(CHART_JS)
    return drawn


def test_the_manager_lands_on_the_dashboard_and_changes_the_range(
    morgan: User, new_page: PageFactory, live_server: LiveServer
) -> None:
    page = new_page()
    elsewhere: list[str] = []

    def outside(request: Request) -> None:
        if not request.url.startswith((live_server.url, "data:", "blob:")):
            elsewhere.append(request.url)

    page.on("request", outside)
    log_in(page, morgan, DEMO_PASSWORD)

    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/admin/reports/$"))
    expect(page.get_by_role("heading", name="Social media support at a glance")).to_be_visible()
    drawn = wait_for_chart(page)
    assert drawn["width"] > 300 and drawn["height"] > 150, drawn
    assert drawn["painted"] > 1000, drawn
    assert drawn["days"] == 30
    chart_src = page.evaluate(
        "() => Array.from(document.scripts).map((s) => s.src).filter((s) => s.includes('chart'))"
    )
    assert chart_src == [f"{live_server.url}/static/vendor/chart.js/chart.umd.min.js"]

    # The text alternative: the canvas says what it shows, and every day is in a table.
    canvas = page.locator("#volume-chart")
    expect(canvas).to_have_attribute("role", "img")
    expect(canvas).to_have_attribute("aria-label", re.compile(r"tickets opened and \d+ resolved"))
    page.get_by_text("The numbers, day by day").click()
    days = page.locator("section[aria-labelledby=t-volume] details tbody tr")
    expect(days).to_have_count(30)
    assert int(figure(page, "opened")) == drawn["opened"] > 0
    opened_30 = figure(page, "opened")

    page.get_by_label("Range").select_option("7d")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply").click()
    assert parse_qs(urlsplit(page.url).query)["range"] == ["7d"]
    drawn_7 = wait_for_chart(page)
    assert drawn_7["days"] == 7
    expect(days).to_have_count(7)
    opened_7 = figure(page, "opened")
    assert int(opened_7) == drawn_7["opened"]
    assert int(opened_7) < int(opened_30)

    # The URL is the state: a colleague who opens it sees the same.
    colleague = new_page()
    log_in(colleague, morgan, DEMO_PASSWORD)
    colleague.goto(page.url)
    expect(colleague.get_by_label("Range")).to_have_value("7d")
    assert figure(colleague, "opened") == opened_7
    assert elsewhere == [], f"the dashboard fetched from outside the app: {elsewhere}"


def test_the_dashboard_pictured_at_desktop_and_phone_width(morgan: User, page: Page) -> None:
    log_in(page, morgan, DEMO_PASSWORD)
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto("/admin/reports/")
        drawn = wait_for_chart(page)

        assert drawn["width"] > 0.6 * viewport["width"], drawn
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, "dashboard")


FIGURES_OVERFLOW_JS = """
() => Array.from(document.querySelectorAll(".dash-figures .figure"))
  .filter((card) => {
    const value = card.querySelector(".value");
    return value.scrollWidth > value.clientWidth;
  })
  .map((card) => card.innerText.replace(/\\s+/g, " ").trim())
"""


def test_every_figure_fits_its_card_at_desktop_width(cast: Cast, page: Page) -> None:
    for _ in range(5):  # 5 days of work at IT's 85 an hour: 10,200 EUR
        ticket = file_ticket(cast.employee, problem="login-access")
        services.ticket_log_time(ticket=ticket, agent=cast.it_agent, minutes=24 * 60)
    log_in(page, cast.manager)
    page.goto("/admin/reports/")
    expect(page.locator(".dash-figures").first).to_contain_text("10,200 EUR")

    assert page.evaluate(FIGURES_OVERFLOW_JS) == []
