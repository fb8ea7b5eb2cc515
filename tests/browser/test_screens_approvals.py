"""Approvals, access requests, reviews and offboarding at desktop and phone width, into test-results/screens/."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import Department
from approvals.links import link_token
from approvals.models import Approval
from approvals.services import approval_decide
from social import access_requests, services
from social.models import Access, CompanyAccount

from ..conftest import Cast, person, platform
from ..social.scene import account_make
from .conftest import DESKTOP, PHONE, assert_fields_labelled, assert_no_horizontal_scroll, log_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(cast: Cast) -> CompanyAccount:
    Department.objects.filter(name="Sales").update(head=cast.other_employee)
    page_account = account_make(
        cast, name="Company page on LinkedIn", queue=cast.marketing, owner=cast.other_employee
    )
    services.access_grant(
        account=page_account, actor=cast.manager, holder=cast.marketing_agent, role=Access.Role.ADMIN
    )
    services.access_grant(
        account=page_account, actor=cast.manager, holder=cast.comms_agent, role=Access.Role.ANALYST
    )
    access_requests.access_request_open(
        requester=cast.employee,
        account=page_account,
        role=Access.Role.EDITOR,
        reason="I post the weekly job offers and answer the comments under them.",
    )
    exception = access_requests.exception_request_open(
        requester=cast.employee,
        kind=Approval.Kind.NETWORK,
        what="facebook.com",
        platform=platform("facebook"),
        reason="I answer customers on our Facebook page from the office.",
    )
    approval_decide(
        approval=exception, actor=cast.other_employee, approve=True, comment="Yes, for the page team."
    )
    careers = account_make(
        cast,
        name="Careers page",
        platform=platform("facebook"),
        queue=cast.marketing,
        owner=cast.other_employee,
    )
    granted = access_requests.access_request_open(
        requester=cast.employee, account=careers, role=Access.Role.MODERATOR, reason="Moderating comments."
    )
    approval_decide(approval=granted, actor=cast.other_employee, approve=True)
    return page_account


def at_both_widths(page: Page, name: str, show: Callable[[], None], check: Callable[[], None]) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        show()
        check()
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, name)


def test_approvals_screens(cast: Cast, scene: CompanyAccount, page: Page) -> None:
    log_in(page, cast.other_employee)
    waiting = Approval.objects.get(kind=Approval.Kind.ACCESS, status="pending")
    at_both_widths(
        page,
        "approvals-list",
        lambda: page.goto("/approvals/"),
        lambda: expect(page.get_by_role("heading", name="Waiting for you")).to_be_visible(),
    )
    at_both_widths(
        page,
        "approval-decide",
        lambda: page.goto(waiting.get_absolute_url()),
        lambda: expect(page.get_by_role("button", name="Reject")).to_be_visible(),
    )
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Reject").click()
    expect(page.get_by_text("Say why you reject it")).to_be_visible()
    screenshot(page, "approval-decide-error")
    token = link_token(approval=waiting, approver=cast.employee)
    at_both_widths(
        page,
        "approval-link-refused",
        lambda: page.goto(f"/approvals/link/{token}/"),
        lambda: expect(page.get_by_role("heading", name="This link is for someone else")).to_be_visible(),
    )


def test_asking_screens(cast: Cast, scene: CompanyAccount, page: Page) -> None:
    log_in(page, cast.employee)
    at_both_widths(
        page,
        "home-ask-card",
        lambda: page.goto("/"),
        lambda: expect(page.get_by_role("link", name="Ask for an exception")).to_be_visible(),
    )
    at_both_widths(
        page,
        "ask-access",
        lambda: page.goto("/requests/accounts/ask/"),
        lambda: expect(page.get_by_label("Role wanted")).to_be_visible(),
    )
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Ask the owner").click()
    expect(page.get_by_text("Choose the account you need.")).to_be_visible()
    screenshot(page, "ask-access-error")
    at_both_widths(
        page,
        "ask-exception",
        lambda: page.goto("/requests/accounts/exception/"),
        lambda: expect(page.get_by_label("Which site or software")).to_be_visible(),
    )
    at_both_widths(
        page,
        "approvals-asked",
        lambda: page.goto("/approvals/"),
        lambda: expect(page.get_by_role("heading", name="Asked by you")).to_be_visible(),
    )


def test_review_screen(cast: Cast, scene: CompanyAccount, page: Page) -> None:
    log_in(page, cast.other_employee)
    at_both_widths(
        page,
        "access-review",
        lambda: page.goto(f"/requests/accounts/{scene.pk}/review/"),
        lambda: expect(page.get_by_text("Only 1 full admin")).to_be_visible(),
    )
    page.set_viewport_size(DESKTOP)
    page.locator("label", has_text="Revoke Cora Comms").click()
    page.get_by_role("button", name="Complete the review").click()
    expect(page.get_by_text("Say why the access you revoke ends")).to_be_visible()
    screenshot(page, "access-review-error")
    page.get_by_label("Note").fill("Campaign over")
    page.get_by_role("button", name="Complete the review").click()
    expect(page.locator("#messages")).to_contain_text("a ticket asks Marketing to remove 1")


def test_desk_screens(cast: Cast, scene: CompanyAccount, page: Page) -> None:
    leaver = person("lee.leaver@example.com", "employee")
    services.access_grant(account=scene, actor=cast.manager, holder=leaver, role=Access.Role.EDITOR)
    log_in(page, cast.manager)
    at_both_widths(
        page,
        "grants-list",
        lambda: page.goto("/desk/accounts/grants/"),
        lambda: expect(page.get_by_role("button", name="Granted")).to_be_visible(),
    )
    at_both_widths(
        page,
        "offboard-choose",
        lambda: page.goto("/desk/accounts/offboard/"),
        lambda: expect(page.get_by_label("Who is leaving?")).to_be_visible(),
    )
    at_both_widths(
        page,
        "offboard",
        lambda: page.goto(f"/desk/accounts/offboard/{leaver.pk}/"),
        lambda: expect(page.get_by_text("Company page on LinkedIn")).to_be_visible(),
    )
    page.set_viewport_size(DESKTOP)
    page.get_by_label("Leaving date").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Offboard Lee Leaver").click()
    expect(page.locator("#messages")).to_contain_text("1 revoke ticket opened")
    screenshot(page, "offboard-done")
