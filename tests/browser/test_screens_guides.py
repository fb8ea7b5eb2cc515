"""The guides screens in a real Chromium at desktop and phone width, kept in test-results/screens/:
the portal list and a guide, the desk editor and a revision's diff. Each also checks the labels,
that nothing scrolls sideways on a phone, and that reading a guide counts one view, by POST."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from guides import services
from guides.models import Guide, GuideView
from guides.seed import starter_guides_load

from ..conftest import Cast
from .conftest import DESKTOP, PHONE, assert_fields_labelled, assert_no_horizontal_scroll, log_in, screenshot

pytestmark = pytest.mark.browser

HACKED = "the-first-fifteen-minutes-after-an-account-is-hacked"


@pytest.fixture
def library(cast: Cast) -> Guide:
    starter_guides_load()
    guide = Guide.objects.get(slug="the-blog-shows-an-error-or-a-broken-page")
    body = guide.body.replace(
        "## Check it in two minutes",
        "## Check it in two minutes\n\nFirst, note the time: the server's logs are kept by the minute.",
    ).replace("Reload once", "Reload the page once")
    services.guide_update(
        actor=cast.it_agent,
        guide=guide,
        note="Ask for the time first",
        content=services.GuideContent(
            title=guide.title,
            slug=guide.slug,
            summary=guide.summary,
            body=body,
            topic=guide.topic,
            audience=guide.audience,
            status=guide.status,
            platforms=list(guide.platforms.all()),
            owner=cast.it_agent,
            review_by=guide.review_by,
        ),
    )
    return guide


def at_both_widths(page: Page, name: str, show: Callable[[], None], check: Callable[[], None]) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        show()
        check()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, name)


def goto(page: Page, url: str) -> Callable[[], None]:
    def show() -> None:
        response = page.goto(url)
        assert response is not None and response.ok, f"{url} answered {response and response.status}"

    return show


def test_portal_guide_list(cast: Cast, library: Guide, page: Page) -> None:
    log_in(page, cast.employee)

    def check() -> None:
        expect(page).to_have_title("Guides · Social IT Desk")
        expect(page.get_by_role("heading", name="Guides", exact=True)).to_be_visible()
        expect(page.get_by_role("link", name="Etiquette for the company Twitter/X account")).to_be_visible()

    at_both_widths(page, "guides-list", goto(page, "/guides/"), check)

    def search() -> None:
        goto(page, "/guides/")()
        page.get_by_label("Search guides").fill("twitter hacked")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("heading", name="Best matches for “twitter hacked”")).to_be_visible()

    def found() -> None:
        expect(
            page.get_by_role("link", name="The first fifteen minutes after an account is hacked")
        ).to_be_visible()

    at_both_widths(page, "guides-search", search, found)


def test_portal_guide_page_counts_one_view_and_takes_feedback(cast: Cast, library: Guide, page: Page) -> None:
    log_in(page, cast.employee)

    def check() -> None:
        expect(
            page.get_by_role("heading", name="The first fifteen minutes after an account is hacked")
        ).to_be_visible()
        expect(page.get_by_role("heading", name="Did this answer your question?")).to_be_visible()
        expect(page.get_by_role("heading", name="Related guides")).to_be_visible()
        expect(page.get_by_role("link", name="facebook.com/hacked")).to_have_attribute(
            "href", "https://www.facebook.com/hacked"
        )

    at_both_widths(page, "guide-page", goto(page, f"/guides/{HACKED}/"), check)
    page.wait_for_function(
        "() => performance.getEntriesByType('resource').some(e => e.name.endsWith('/viewed/'))"
    )
    assert GuideView.objects.filter(guide__slug=HACKED, person=cast.employee).count() == 1

    page.get_by_text("Yes", exact=True).click()
    page.get_by_label("Anything to add? (optional)").fill("Clear steps, thanks.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thanks: glad it helped.")).to_be_visible()


def test_desk_guide_editor(cast: Cast, library: Guide, page: Page) -> None:
    log_in(page, cast.it_agent)

    def show() -> None:
        goto(page, library.get_desk_url())()
        page.get_by_role("button", name="Preview").click()
        expect(page.locator("#preview h2").first).to_be_visible()

    def check() -> None:
        expect(page.get_by_role("heading", name=f"Edit “{library.title}”")).to_be_visible()
        expect(page.get_by_label("Text")).to_be_visible()
        expect(page.get_by_role("heading", name="Pictures")).to_be_visible()

    at_both_widths(page, "desk-guide-editor", show, check)

    at_both_widths(
        page,
        "desk-guide-list",
        goto(page, "/desk/guides/"),
        lambda: expect(page.get_by_role("link", name=library.title)).to_be_visible(),
    )


def test_desk_revision_diff(cast: Cast, library: Guide, page: Page) -> None:
    log_in(page, cast.it_agent)
    revision = library.revisions.get(number=2)

    def check() -> None:
        expect(page.get_by_role("heading", name=f"Revision 2 of “{library.title}”")).to_be_visible()
        expect(page.locator(".diff ins").first).to_be_visible()
        expect(page.get_by_role("heading", name="Details changed")).to_be_visible()

    at_both_widths(page, "desk-guide-revision", goto(page, revision.get_absolute_url()), check)
