"""The main pages under the Content-Security-Policy in a real browser: nothing blocked, everything works.

Chromium reports each refusal as a `securitypolicyviolation` event and a console error; both are
collected across navigations, and each page is used (filters, widgets, the chart) before the
count is read, since most refusals happen only when a script acts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Page, expect

from accounts.models import User
from tickets import services
from tickets.models import Ticket

from ..conftest import Cast, platform, problem
from ..factories import file_ticket
from .conftest import PageFactory, log_in, screenshot

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS_JS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline code"} on ${location.pathname}`
    + ` (${event.sourceFile || "the page"}:${event.lineNumber})`
  );
});
"""
CHART_DRAWN_JS = """
() => {
  const canvas = document.getElementById("volume-chart");
  const chart = window.Chart && window.Chart.getChart(canvas);
  return Boolean(chart) && canvas.width > 0 && canvas.height > 0;
}
"""


# A known refusal: once its report is in, every earlier one on the page has arrived too.
SENTINEL_JS = """
() => {
  const mark = document.createElement("i");
  mark.setAttribute("style", "--csp-sentinel: 1");
  document.body.append(mark);
  mark.remove();
}
"""
SENTINEL_VIOLATION = re.compile(r"^style-src-attr refused inline on \S+ \(the page:\d+\)$")
SENTINEL_ERROR = re.compile(r"^Applying inline style violates")
SETTLE_MS = 5_000


@dataclass
class Watched:
    page: Page
    violations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def settle(self) -> None:
        """Wait for the reports of what the page refused so far (they arrive asynchronously)."""
        self.page.evaluate(SENTINEL_JS)
        event = error = False
        for _ in range(SETTLE_MS // 50):
            event = event or _take(self.violations, SENTINEL_VIOLATION)
            error = error or _take(self.errors, SENTINEL_ERROR)
            if event and error:
                return
            self.page.wait_for_timeout(50)
        raise AssertionError(f"no report of a refusal on {self.page.url}: the watch is blind")

    def goto(self, url: str) -> None:
        """Leave the page only once its reports are in: a report sent as it unloads may be lost."""
        if self.page.url != "about:blank":
            self.settle()
        self.page.goto(url)

    def assert_nothing_refused(self) -> None:
        self.settle()
        assert self.violations == []
        assert self.errors == []


def _take(reports: list[str], sentinel: re.Pattern[str]) -> bool:
    for index in range(len(reports) - 1, -1, -1):
        if sentinel.search(reports[index]):
            del reports[index]
            return True
    return False


@pytest.fixture
def watched(new_page: PageFactory) -> Iterator[Watched]:
    page = new_page()
    watch = Watched(page)
    page.expose_function("reportViolation", lambda violation: watch.violations.append(violation))
    page.add_init_script(REPORT_VIOLATIONS_JS)
    page.on(
        "console",
        lambda message: (
            message.type == "error"
            and watch.errors.append(f"{message.text} ({message.location.get('url') or page.url})")
        ),
    )
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400 and watch.errors.append(f"{response.status} {response.url}"),
    )
    yield watch


@pytest.fixture
def ticket(cast: Cast) -> Ticket:
    ticket = file_ticket(cast.employee, problem="compromised-account", subject="Strange posts on our page")
    file_ticket(cast.other_employee, problem="login-access", subject="Locked out of LinkedIn")
    services.ticket_claim(ticket=ticket, actor=cast.it_agent)
    services.ticket_reply(ticket=ticket, author=cast.it_agent, body="Changing the password now.")
    return ticket


def switch_to(watch: Watched, user: User) -> None:
    watch.goto("/accounts/login/")
    watch.page.context.clear_cookies()
    log_in(watch.page, user)


def test_the_main_pages_work_with_nothing_refused(cast: Cast, ticket: Ticket, watched: Watched) -> None:
    page = watched.page

    switch_to(watched, cast.employee)
    watched.goto("/requests/new/")
    page.get_by_label("What is the problem?").select_option(str(problem("compromised-account").pk))
    expect(page.locator("#problem-help")).to_be_visible()
    assert page.evaluate("document.querySelectorAll('head style').length") == 0, "htmx injected its styles"

    switch_to(watched, cast.it_agent)
    watched.goto("/desk/")
    expect(page.locator("#result-count")).to_have_text("2 tickets")
    with page.expect_response(lambda response: "/desk/?" in response.url):
        page.get_by_label("Status", exact=True).select_option(label="Waiting on requester")
    expect(page.locator("#result-count")).to_have_text("0 tickets")
    watched.goto(f"/desk/tickets/{ticket.pk}/")
    expect(page.get_by_text("Changing the password now.")).to_be_visible()
    page.get_by_role("button", name=re.compile(cast.it_agent.get_short_name())).click()
    expect(page.get_by_role("link", name="Profile")).to_be_visible()  # Bootstrap's dropdown ran
    watched.goto("/accounts/2fa/set-up/")
    expect(page.locator("svg.qr-code")).to_be_visible()

    watched.assert_nothing_refused()


def test_the_dashboard_draws_its_chart_with_nothing_refused(
    cast: Cast, ticket: Ticket, watched: Watched
) -> None:
    page = watched.page
    switch_to(watched, cast.manager)

    watched.goto("/admin/reports/")
    page.wait_for_function(CHART_DRAWN_JS)
    bar_width = page.locator(".bar").first.evaluate("bar => bar.getBoundingClientRect().width")
    assert bar_width > 0, "the backlog bars were not drawn"
    page.get_by_label("Range").select_option("custom")
    expect(page.locator(".dash-dates").first).to_be_visible()
    screenshot(page, "csp-dashboard")

    watched.assert_nothing_refused()


def test_the_admin_widgets_work_with_nothing_refused(cast: Cast, ticket: Ticket, watched: Watched) -> None:
    page = watched.page
    switch_to(watched, cast.admin)

    # filter_horizontal and a tabular inline with "Add another".
    watched.goto(f"/admin/tickets/queue/{cast.it.pk}/change/")
    chooser = page.locator("#id_members_from")
    expect(chooser).to_be_visible()
    chooser.select_option(label=str(cast.marketing_agent))
    page.locator("#id_members_add").click()
    expect(page.locator("#id_members_to")).to_contain_text(str(cast.marketing_agent))
    rows = page.locator("tr.form-row:not(.empty-form)")
    before = rows.count()
    page.locator(".add-row a").click()
    expect(rows).to_have_count(before + 1)
    screenshot(page, "csp-admin-queue-change")

    # autocomplete (select2, fetching its choices) beside four filter_horizontal pickers.
    watched.goto("/admin/tickets/routingrule/add/")
    expect(page.locator(".selector")).to_have_count(4)
    page.locator(".field-assignee .select2-selection").click()
    page.locator(".select2-search__field").fill(cast.it_agent.full_name.split()[0])
    expect(page.locator(".select2-results__option", has_text=str(cast.it_agent))).to_be_visible()

    # The date hierarchy, a change list with its actions, and a read-only change page.
    watched.goto(f"/admin/tickets/ticket/?created_at__year={ticket.created_at.year}")
    expect(page.locator(".xfull, .date-hierarchy, nav.toplinks").first).to_be_visible()
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("selected")
    watched.goto(f"/admin/tickets/ticket/{ticket.pk}/change/")
    expect(page.get_by_text("Changing the password now.").first).to_be_visible()

    # Business hours: time inputs with their clock shortcuts, inlines added in the page.
    watched.goto("/admin/sla/calendar/add/")
    page.locator(".add-row a").first.click()
    expect(page.locator(".clockbox, .timezonewarning, .datetimeshortcuts").first).to_be_attached()

    # Try the rules on a sample ticket.
    watched.goto("/admin/tickets/routingrule/try/")
    page.get_by_label("Platform").select_option(str(platform("twitter-x").pk))
    page.get_by_label("Problem type").select_option(str(problem("compromised-account").pk))
    page.get_by_label("Subject").fill("Strange posts on our account")
    page.get_by_role("button", name="Try").click()
    expect(page.locator("#routing-result")).to_contain_text("queue")

    watched.assert_nothing_refused()


def test_the_watch_sees_what_the_policy_refuses(cast: Cast, watched: Watched) -> None:
    """Without this, a listener that never fired would pass every test above."""
    page = watched.page
    watched.goto("/accounts/login/")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">styled</p>')")
    watched.settle()

    assert page.get_by_text("styled").evaluate("p => getComputedStyle(p).color") != "rgb(255, 0, 0)"
    assert [v for v in watched.violations if v.startswith("style-src-attr refused inline")] != []
    assert [e for e in watched.errors if "Content Security Policy" in e] != []
