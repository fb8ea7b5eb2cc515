"""Every main screen at desktop and phone width, full page, into test-results/screens/.

Each test also checks what a person would notice first: the title, the headings, no sideways
scrolling on a phone, and a label on every field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db.models import DateTimeField, F
from playwright.sync_api import Page, expect

from tickets import services
from tickets.models import Comment, Event, Ticket

from ..conftest import Cast, platform, problem
from ..factories import file_ticket
from .conftest import (
    DESKTOP,
    PHONE,
    assert_fields_labelled,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser

LONG_URL = (
    "https://blog.example.com/2025/03/how-we-support-our-communities-through-volunteering-days-and-more"
)


@dataclass
class Scene:
    hacked: Ticket
    blog: Ticket


def backdate(ticket: Ticket, delta: timedelta) -> None:
    """Move a ticket and its whole story into the past, so the screens read like a real desk."""
    for model, rows in (
        (Ticket, {"pk": ticket.pk}),
        (Comment, {"ticket": ticket}),
        (Event, {"ticket": ticket}),
    ):
        # Every timestamp moves, the SLA deadlines included, so the story stays consistent.
        for field in model._meta.concrete_fields:
            if isinstance(field, DateTimeField):
                model.objects.filter(**rows, **{f"{field.name}__isnull": False}).update(
                    **{field.name: F(field.name) - delta}
                )


@pytest.fixture
def scene(cast: Cast) -> Scene:
    erin, ian = cast.employee, cast.it_agent
    hacked = file_ticket(
        erin,
        problem="compromised-account",
        subject="Our Twitter/X account is posting crypto ads we never wrote",
        description=(
            "Since about 8:00 the @acme account has posted three ads for a crypto scheme.\n"
            "The recovery e-mail was changed to an address we don't know.\n"
            f"One of the posts links to our blog: {LONG_URL}"
        ),
        company_account="@acme",
    )
    services.ticket_claim(ticket=hacked, actor=ian)
    services.ticket_reply(
        ticket=hacked,
        author=ian,
        body="Thanks Erin. We've locked the account and asked X support to restore it. "
        "Please don't post from it until we say so.",
    )
    services.ticket_reply(
        ticket=hacked,
        author=ian,
        internal=True,
        body="Session tokens revoked 09:40. X support case 0417-2231 opened; 2FA was SMS-only.",
    )
    services.ticket_reply(
        ticket=hacked,
        author=erin,
        body="Understood, thanks. Our agency also has the password — should I tell them?",
    )
    services.ticket_reply(
        ticket=hacked,
        author=ian,
        body="Yes please: ask them to stop using it. We'll share the new one through the vault.",
        status="waiting_requester",
    )
    backdate(hacked, timedelta(hours=3))

    blog = file_ticket(
        erin,
        problem="publishing-problem",
        platform="blog",
        subject="Blog shows a PHP error on the careers page",
    )
    backdate(blog, timedelta(days=1, hours=2))
    metrics = file_ticket(erin, problem="metrics-request", platform="linkedin", subject="LinkedIn reach")
    services.ticket_resolve(ticket=metrics, actor=erin)
    backdate(metrics, timedelta(days=9))
    policy = file_ticket(
        erin, problem="policy-etiquette", platform="facebook", subject="May I share our job ad?"
    )
    services.ticket_resolve(ticket=policy, actor=erin)
    backdate(policy, timedelta(days=30))
    for number, (slug, subject) in enumerate(
        [
            ("login-access", "Lost the 2FA phone for the LinkedIn page"),
            ("network-block", "Facebook is blocked on the VPN in Lyon"),
            ("login-access", "Can't log in to the blog editor"),
        ],
        start=1,
    ):
        other = file_ticket(cast.other_employee, problem=slug, subject=subject)
        backdate(other, timedelta(hours=5 * number))
    hacked.refresh_from_db()
    blog.refresh_from_db()
    return Scene(hacked=hacked, blog=blog)


def at_both_widths(page: Page, name: str, show: Callable[[], None], check: Callable[[], None]) -> None:
    """Show the screen at each width, check it, and keep a full-page picture."""
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


def test_portal_home(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.employee)

    def check() -> None:
        expect(page).to_have_title("My requests · Social IT Desk")
        expect(page.get_by_role("heading", name="Hello, Erin")).to_be_visible()
        expect(page.get_by_role("heading", name="Open requests")).to_be_visible()
        expect(page.get_by_role("heading", name="Recently resolved or closed")).to_be_visible()
        expect(page.get_by_role("link", name=scene.hacked.subject)).to_be_visible()

    at_both_widths(page, "portal-home", goto(page, "/"), check)


def test_filing_form(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.employee)

    def show() -> None:
        goto(page, "/requests/new/")()
        page.get_by_label("What is the problem?").select_option(label="Compromised account")

    def check() -> None:
        expect(page).to_have_title("New request · Social IT Desk")
        expect(page.get_by_role("heading", name="New request")).to_be_visible()
        expect(page.locator("#problem-help")).to_contain_text("Stop posting")
        expect(page.get_by_role("button", name="Send request")).to_be_visible()

    at_both_widths(page, "new-request", show, check)


def test_filing_form_with_errors(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.employee)

    def show() -> None:
        goto(page, "/requests/new/")()
        page.get_by_label("Description").fill("The page is blank since this morning.")
        page.get_by_role("button", name="Send request").click()
        expect(page.locator(".is-invalid").first).to_be_visible()

    def check() -> None:
        expect(page).to_have_title("New request · Social IT Desk")
        expect(page.locator(".invalid-feedback:visible")).to_have_count(3)  # platform, problem, subject
        expect(page.get_by_label("Description")).to_have_value("The page is blank since this morning.")

    at_both_widths(page, "new-request-errors", show, check)


def test_portal_ticket_with_a_conversation(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.employee)

    def check() -> None:
        expect(page).to_have_title(f"{scene.hacked.reference} {scene.hacked.subject} · Social IT Desk")
        expect(page.get_by_role("heading", name=scene.hacked.subject)).to_be_visible()
        expect(page.locator("article.message")).to_have_count(4)  # the request and three public replies
        expect(page.get_by_text("Session tokens revoked")).to_have_count(0)
        expect(page.get_by_role("heading", name="Reply", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Mark as resolved")).to_be_visible()

    at_both_widths(page, "portal-ticket", goto(page, scene.hacked.get_absolute_url()), check)


def test_portal_all_my_requests(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.employee)

    def check() -> None:
        expect(page).to_have_title("All my requests · Social IT Desk")
        expect(page.get_by_role("heading", name="All my requests")).to_be_visible()
        expect(page.locator("a.ticket-row")).to_have_count(4)

    at_both_widths(page, "portal-list", goto(page, "/requests/"), check)


def test_desk_list(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.it_agent)

    def check() -> None:
        expect(page).to_have_title("Desk · Social IT Desk")
        expect(page.get_by_role("heading", name="IT queue", exact=True)).to_be_visible()
        expect(page.locator("#result-count")).to_have_text("5 tickets")
        expect(page.get_by_role("link", name=scene.hacked.subject)).to_be_visible()
        expect(page.get_by_role("heading", name="Unresolved by queue")).to_be_visible()

    at_both_widths(page, "desk-list", goto(page, "/desk/"), check)


def test_desk_ticket_with_replies_a_note_and_history(cast: Cast, scene: Scene, page: Page) -> None:
    log_in(page, cast.it_agent)

    def check() -> None:
        expect(page).to_have_title(f"{scene.hacked.reference} {scene.hacked.subject} · Social IT Desk")
        expect(page.get_by_role("heading", name=scene.hacked.subject)).to_be_visible()
        expect(page.locator("article.message-note")).to_contain_text("Session tokens revoked")
        expect(page.locator("article.message-staff")).to_have_count(2)
        expect(page.get_by_role("heading", name="History")).to_be_visible()
        expect(page.locator("ol.history li")).not_to_have_count(0)
        expect(page.locator("ol.history")).to_contain_text("Compromised accounts go to IT, urgent")
        expect(page.get_by_role("heading", name="Work it")).to_be_visible()

    at_both_widths(page, "desk-ticket", goto(page, scene.hacked.get_desk_url()), check)


def test_login_page(cast: Cast, page: Page) -> None:
    def check() -> None:
        expect(page).to_have_title("Log in · Social IT Desk")
        expect(page.get_by_role("heading", name="Log in")).to_be_visible()
        expect(page.get_by_label("Work email")).to_be_visible()
        expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()

    at_both_widths(page, "login", goto(page, "/accounts/login/"), check)


def test_admin_try_the_routing_rules(cast: Cast, page: Page) -> None:
    log_in(page, cast.admin)
    sample = (
        f"?platform={platform('twitter-x').pk}&problem_type={problem('compromised-account').pk}"
        "&subject=Strange+posts+on+our+account&description=Someone+changed+the+password"
    )

    def check() -> None:
        expect(page).to_have_title(re.compile(r"^Try the routing rules"))
        expect(page.get_by_role("heading", name="Try the routing rules")).to_be_visible()
        expect(page.locator("#routing-result")).to_contain_text("Compromised accounts go to IT, urgent")
        expect(page.locator("#routing-result")).to_contain_text("priority Urgent")
        expect(page.get_by_label("Platform")).to_have_value(str(platform("twitter-x").pk))

    at_both_widths(page, "admin-try-rules", goto(page, "/admin/tickets/routingrule/try/" + sample), check)
