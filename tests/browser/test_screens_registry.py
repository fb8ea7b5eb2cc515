"""The registry's screens in a real Chromium at desktop and phone width, into test-results/screens/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from social import services
from social.models import Access, CompanyAccount

from ..conftest import Cast, platform
from ..social.scene import account_make
from .conftest import (
    DESKTOP,
    PHONE,
    assert_fields_labelled,
    assert_no_horizontal_scroll,
    log_in,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def registry(cast: Cast) -> CompanyAccount:
    erin, mia = cast.employee, cast.marketing_agent
    page_account = account_make(
        cast,
        name="Company page",
        handle="Acme",
        url="https://www.linkedin.com/company/acme-corporation-international",
        purpose="Corporate news, results and hiring for professionals.",
        deputy=cast.other_employee,
        last_reviewed_at=timezone.now() - timedelta(days=120),
        second_factor=CompanyAccount.SecondFactor.SMS,
        second_factor_holder=erin,
    )
    for holder, role in (
        (erin, Access.Role.ADMIN),
        (mia, Access.Role.ADMIN),
        (cast.other_employee, Access.Role.ANALYST),
    ):
        services.access_grant(account=page_account, actor=cast.manager, holder=holder, role=role)
    agency = services.access_grant(
        account=page_account,
        actor=cast.manager,
        holder=cast.comms_agent,
        role=Access.Role.OTHER,
        role_label="Content admin",
    )
    services.access_revoke(access=agency, actor=mia, reason="Campaign over")
    services.connected_app_add(
        account=page_account, actor=mia, name="Hootsuite", scope="publish posts, read messages"
    )
    services.account_update(
        account=page_account,
        actor=mia,
        changes={"recovery_phone": "Marketing team phone"},
        reason="Old phone lost",
    )
    account_make(cast, name="Company blog", platform=platform("blog"), queue=cast.it, owner=mia, handle="")
    account_make(
        cast,
        name="Main X account",
        platform=platform("twitter-x"),
        handle="@acme",
        queue=cast.communications,
        owner=cast.manager,
    )
    careers = account_make(
        cast,
        name="Careers page",
        platform=platform("facebook"),
        handle="Acme Careers",
        owner=cast.other_employee,
        deputy=erin,
        second_factor=CompanyAccount.SecondFactor.NONE,
        second_factor_holder=None,
    )
    services.access_grant(account=careers, actor=cast.manager, holder=erin, role=Access.Role.MODERATOR)
    leaver = account_make(
        cast, name="France on X", platform=platform("twitter-x"), handle="@acme_fr", owner=cast.comms_agent
    )
    services.account_update(account=leaver, actor=cast.manager, changes={"status": "compromised"})
    User.objects.filter(pk=cast.comms_agent.pk).update(is_active=False)
    account_make(
        cast,
        name="Company email",
        platform=platform("company-email"),
        handle="social@acme.example",
        queue=cast.it,
    )
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


def test_registry_list(cast: Cast, registry: CompanyAccount, page: Page) -> None:
    log_in(page, cast.manager)

    def check() -> None:
        expect(page.get_by_role("heading", name="Company accounts")).to_be_visible()
        expect(page.get_by_role("link", name="Company page")).to_be_visible()

    at_both_widths(page, "registry-list", lambda: page.goto("/desk/accounts/"), check)
    page.set_viewport_size(DESKTOP)
    page.get_by_label("No second factor").check()
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Careers page")).to_be_visible()


def test_account_page(cast: Cast, registry: CompanyAccount, page: Page) -> None:
    log_in(page, cast.marketing_agent)

    def check() -> None:
        expect(page.get_by_role("heading", name="Company page")).to_be_visible()
        expect(page.get_by_text("Marketing team phone").first).to_be_visible()
        expect(page.get_by_role("link", name="Grant access")).to_be_visible()

    at_both_widths(page, "registry-account", lambda: page.goto(registry.get_desk_url()), check)
    page.set_viewport_size(DESKTOP)
    page.get_by_role("link", name="Revoke Oscar Other's Analyst access").click()
    page.get_by_role("button", name="Revoke access").click()
    expect(page.get_by_text("Say why")).to_be_visible()
    screenshot(page, "registry-revoke-error")
    page.get_by_label("Why").fill("Moved to Sales")
    page.get_by_role("button", name="Revoke access").click()
    expect(page.get_by_text("access is revoked")).to_be_visible()


def test_account_forms(cast: Cast, registry: CompanyAccount, page: Page) -> None:
    log_in(page, cast.marketing_agent)
    at_both_widths(
        page,
        "registry-edit",
        lambda: page.goto(f"{registry.get_desk_url()}edit/"),
        lambda: expect(page.get_by_label("Where the credentials are kept")).to_be_visible(),
    )
    at_both_widths(
        page,
        "registry-grant",
        lambda: page.goto(f"{registry.get_desk_url()}access/new/"),
        lambda: expect(page.get_by_label("Through ticket")).to_be_visible(),
    )


def test_my_accounts(cast: Cast, registry: CompanyAccount, page: Page) -> None:
    log_in(page, cast.employee)

    def check_list() -> None:
        expect(page.get_by_role("heading", name="My accounts")).to_be_visible()
        expect(page.get_by_text("You: Owner").first).to_be_visible()

    at_both_widths(page, "my-accounts", lambda: page.goto("/requests/accounts/"), check_list)
    at_both_widths(
        page,
        "my-account",
        lambda: page.goto(registry.get_portal_url()),
        lambda: expect(page.get_by_text("Marketing team phone")).to_be_visible(),
    )
