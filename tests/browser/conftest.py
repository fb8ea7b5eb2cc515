"""Real-browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

One Chromium per session; every test gets fresh contexts (cookies, storage) so people never
share a session by accident. Screenshots and, on failure, the page's HTML land in test-results/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Locator, Page, Playwright, sync_playwright
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from twofactor.selectors import second_factor_required, user_has_authenticator

from ..conftest import PASSWORD
from ..twofactor.devices import authenticator, code_now

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
SCREENS = RESULTS / "screens"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000

PageFactory = Callable[..., Page]


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    # Fixtures read this on teardown to decide whether to keep evidence of a failure.
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium package to run the browser tests")
    # Evidence of an earlier run's failures would only mislead.
    for stale in RESULTS.glob("FAILED-*"):
        stale.unlink()
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:120]


@pytest.fixture
def new_page(
    browser: Browser, live_server: LiveServer, request: pytest.FixtureRequest
) -> Iterator[PageFactory]:
    """Open a page in a fresh browser context: a different person, a different size."""
    contexts: list[BrowserContext] = []
    pages: list[Page] = []

    def open_page(viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(
            viewport=viewport or DESKTOP,
            base_url=live_server.url,
            locale="en-GB",
            timezone_id="Europe/Paris",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        pages.append(page)
        return page

    yield open_page

    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        stem = _safe_name(request.node.nodeid.split("::", 1)[-1])
        for number, page in enumerate(pages, start=1):
            try:
                page.screenshot(path=str(RESULTS / f"FAILED-{stem}-{number}.png"), full_page=True)
                (RESULTS / f"FAILED-{stem}-{number}.html").write_text(page.content(), encoding="utf-8")
            except Exception as error:  # a crashed page must not hide the test's own failure
                (RESULTS / f"FAILED-{stem}-{number}.txt").write_text(repr(error), encoding="utf-8")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    return new_page()


def log_in(page: Page, user: User, password: str = PASSWORD) -> None:
    """Log in through the real form, the way a person does, with the code from their app if asked.

    People who must have a second factor get an app set up beforehand; enrolling is its own
    journey (test_journey_second_factor.py).
    """
    device = authenticator(user) if second_factor_required(user) or user_has_authenticator(user) else None
    page.goto("/accounts/login/")
    page.get_by_label("Work email").fill(user.email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
    assert "/accounts/login/" not in page.url, f"log-in failed for {user.email}"
    if device is not None and "/accounts/2fa/verify/" in page.url:
        page.get_by_label("6-digit code").fill(code_now(device))
        with page.expect_navigation():
            page.get_by_role("button", name="Verify").click()
        assert "/accounts/2fa/" not in page.url, f"second factor refused for {user.email}"


def cell(table: Locator, row_text: str, column: str) -> Locator:
    """The cell of the row that mentions row_text, in the column headed column."""
    headers = [header.strip() for header in table.locator("thead th").all_inner_texts()]
    return table.locator("tbody tr", has_text=row_text).locator("td").nth(headers.index(column))


def screenshot(page: Page, name: str) -> Path:
    SCREENS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SCREENS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


UNLABELLED_FIELDS_JS = """
() => Array.from(document.querySelectorAll("input, select, textarea"))
  .filter((el) => el.type !== "hidden" && el.type !== "submit" && el.type !== "button")
  .filter((el) => {
    // Bootstrap's .btn-check radios are visually hidden; their <label> is the button people see.
    const style = getComputedStyle(el);
    const shown = el.getClientRects().length > 0 && style.visibility !== "hidden";
    return shown || el.classList.contains("btn-check");
  })
  .filter((el) => {
    const labelled = (el.labels && Array.from(el.labels).some((l) => l.textContent.trim()))
      || (el.getAttribute("aria-label") || "").trim()
      || (el.getAttribute("aria-labelledby") || "").trim()
      || (el.getAttribute("title") || "").trim();
    return !labelled;
  })
  .map((el) => el.outerHTML.slice(0, 160))
"""


def assert_fields_labelled(page: Page) -> None:
    unlabelled = page.evaluate(UNLABELLED_FIELDS_JS)
    assert unlabelled == [], f"fields without a label on {page.url}: {unlabelled}"


def assert_no_horizontal_scroll(page: Page) -> None:
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1] + 1:
        # Name the elements that stick out, so a failure says where to look.
        culprits = page.evaluate(
            """() => Array.from(document.querySelectorAll("body *"))
                .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 8).map((el) => el.tagName + "." + el.className)"""
        )
        raise AssertionError(f"{page.url} scrolls sideways: {widths[0]}px > {widths[1]}px; {culprits}")
