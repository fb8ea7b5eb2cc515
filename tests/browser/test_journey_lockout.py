"""Guessing in a real browser: the account locks, the page says what to do, an administrator unlocks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from accounts.models import AuthEvent

from ..conftest import PASSWORD, Cast
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


def pictured(page: Page, name: str, *, labels: bool = True) -> None:
    """At desktop and phone width; the admin's own search box is labelled by an image, hence `labels`."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        if labels:
            assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, name)
    page.set_viewport_size(DESKTOP)


def try_password(page: Page, email: str, password: str) -> None:
    page.get_by_label("Work email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def test_a_locked_account_is_told_when_to_try_again_and_an_administrator_unlocks_it(
    cast: Cast, new_page: PageFactory
) -> None:
    page = new_page()
    page.goto("/accounts/login/")
    for _ in range(10):
        try_password(page, cast.employee.email, "not the password")

    try_password(page, cast.employee.email, PASSWORD)

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Sign-in to this account is paused after too many failed attempts.")
    expect(alert).to_contain_text("Try again in 30 minutes")
    expect(alert).to_contain_text("reset your password by email, or ask an administrator")
    assert page.get_by_label("Work email").input_value() == cast.employee.email
    pictured(page, "login-locked-out")

    admin = new_page()
    log_in(admin, cast.admin)
    admin.goto("/admin/accounts/authevent/")
    expect(admin.get_by_role("link", name="Locked out").first).to_be_visible()
    pictured(admin, "admin-sign-in-events", labels=False)
    admin.goto("/admin/axes/accessattempt/")
    admin.get_by_role("row", name=cast.employee.email).get_by_role("checkbox").check()
    admin.get_by_label("Action:").select_option(label="Unlock: forget these failed sign-ins")
    pictured(admin, "admin-lockouts", labels=False)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("Unlocked: 1 record(s) of failed sign-ins forgotten.")).to_be_visible()

    try_password(page, cast.employee.email, PASSWORD)
    assert "/accounts/login/" not in page.url
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.UNLOCKED, user=cast.employee).exists()
