"""The API's docs and the token screen in Chromium, under the desk's Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ..conftest import Cast
from .conftest import (
    PHONE,
    PageFactory,
    assert_fields_labelled,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)
from .test_csp import Watched, watched  # noqa: F401  # the fixture that catches refusals

pytestmark = pytest.mark.browser


def test_docs_page_draws_the_api_with_nothing_refused(cast: Cast, watched: Watched) -> None:  # noqa: F811
    page = watched.page
    log_in(page, cast.employee)
    watched.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Social IT Desk API")
    operation = page.locator(".opblock-summary", has_text="/api/v1/tickets/{id}/").first
    operation.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    screenshot(page, "api-docs")
    watched.assert_nothing_refused()


def test_docs_page_fits_a_phone(cast: Cast, new_page: PageFactory) -> None:
    page = new_page(PHONE)
    page.goto("/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Social IT Desk API")
    screenshot(page, "api-docs")


@pytest.mark.parametrize("size", [None, PHONE])
def test_token_screen_shows_the_new_token_once(
    cast: Cast,
    new_page: PageFactory,
    size: dict[str, int] | None,
) -> None:
    page = new_page(size)
    log_in(page, cast.employee)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Intranet chat bot")
    page.get_by_label("Read and write").check()
    page.get_by_label("Expires after").select_option("30")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_label("Token")).to_have_value(re.compile(r"^sit_[0-9a-f]{8}_"))
    expect(page.get_by_role("listitem").filter(has_text="Intranet chat bot")).to_contain_text(
        "Read and write"
    )
    assert_fields_labelled(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, "api-tokens")
