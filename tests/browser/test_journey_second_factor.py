"""A manager's second factor in a real browser: set it up at first sign-in, then give a code each time."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from accounts.models import AuthEvent, User
from twofactor.selectors import user_authenticator

from ..conftest import PASSWORD, Cast
from ..twofactor.devices import code_for_key, code_now
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


def password_step(page: Page, user: User) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Work email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()


def pictured(page: Page, name: str) -> None:
    """The screen as it is now at desktop and phone width, without reloading it."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_fields_labelled(page)
        if viewport is PHONE:
            assert_no_horizontal_scroll(page)
        screenshot(page, name)
    page.set_viewport_size(DESKTOP)


def log_out(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Main").locator(".dropdown-toggle").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_a_manager_sets_up_a_second_factor_then_gives_a_code_at_each_sign_in(
    cast: Cast, new_page: PageFactory
) -> None:
    manager = cast.manager
    page = new_page()
    refused: list[str] = []

    def keep_errors(message: ConsoleMessage) -> None:
        # A Content-Security-Policy refusal shows up as a console error.
        if message.type == "error":
            refused.append(message.text)

    page.on("console", keep_errors)

    # First sign-in: the password is right, but the desk waits until an app is set up.
    password_step(page, manager)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/set-up/\?next=%2Fdesk%2F$"))
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and box["height"] >= 150, box
    pictured(page, "second-factor-set-up")

    # "Scanning": the key the page offers for typing is what an app would read from the QR code.
    key = page.locator("#setup-key").inner_text()
    assert re.fullmatch(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", key), key
    code_field = page.get_by_label("6-digit code")
    expect(code_field).to_have_attribute("autocomplete", "one-time-code")
    expect(code_field).to_have_attribute("inputmode", "numeric")
    code_field.fill(code_for_key(key))
    with page.expect_navigation():
        page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    expect(page.get_by_text("This is the only time they are shown.")).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{4} [a-z2-7]{4}", code) for code in codes), codes
    pictured(page, "second-factor-recovery-codes")
    with page.expect_navigation():
        page.get_by_role("link", name="I have saved them: continue").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.get_by_role("heading", name="Unresolved by queue")).to_be_visible()

    # Next sign-in: the code step comes between the password and the desk.
    log_out(page)
    password_step(page, manager)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/\?next=%2Fdesk%2F$"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/verify/\?next=%2Fadmin%2F$"))
    pictured(page, "second-factor-code")
    device = user_authenticator(manager)
    assert device is not None
    # The enrolment spent this half-minute's code; the app shows the next one shortly.
    page.get_by_label("6-digit code").fill(code_now(device, steps_ahead=1))
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()
    expect(page).to_have_url(re.compile(r"/admin/reports/$"))

    # Lost phone: a wrong code is refused, a recovery code works once.
    log_out(page)
    password_step(page, manager)
    page.get_by_label("6-digit code").fill("000000" if code_now(device) != "000000" else "111111")
    with page.expect_navigation():
        page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("That code didn't work.")).to_be_visible()
    pictured(page, "second-factor-code-refused")
    page.get_by_text("Lost your phone? Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    pictured(page, "second-factor-recovery-code")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in with a recovery code").click()
    expect(page).to_have_url(re.compile(r"/desk/$"))
    expect(page.get_by_role("alert")).to_contain_text("You signed in with a recovery code; 9 left.")

    # Their own page says where things stand and offers new codes.
    page.goto("/accounts/profile/")
    pictured(page, "second-factor-profile")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="Two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in")).to_be_visible()
    expect(page.get_by_text("9 of 10 left")).to_be_visible()
    expect(page.get_by_role("button", name="Turn off two-factor sign-in")).to_have_count(0)
    pictured(page, "second-factor-manage")

    kinds = list(AuthEvent.objects.filter(user=manager).values_list("kind", flat=True))
    assert AuthEvent.Kind.OTP_ENROLLED in kinds and AuthEvent.Kind.OTP_FAILED in kinds
    assert AuthEvent.Kind.RECOVERY_CODE_USED in kinds
    assert refused == [], f"the browser refused something on these pages: {refused}"


def test_an_administrator_removes_a_lost_phone_and_the_manager_sets_up_again(
    cast: Cast, new_page: PageFactory
) -> None:
    manager_page = new_page()
    log_in(manager_page, cast.manager)
    expect(manager_page).to_have_url(re.compile(r"/desk/$"))

    admin_page = new_page()
    log_in(admin_page, cast.admin)
    admin_page.goto("/admin/")
    admin_page.get_by_role("link", name="TOTP devices").click()
    expect(admin_page.get_by_role("heading", name="Select TOTP device to view")).to_be_visible()
    admin_page.get_by_role(
        "checkbox", name=f"Select this object for an action - Authenticator app ({cast.manager})"
    ).check()
    admin_page.locator("select[name=action]").select_option("remove_second_factor")
    # Django's own changelist: its search box is labelled by an icon, so only pictured here.
    for viewport in (DESKTOP, PHONE):
        admin_page.set_viewport_size(viewport)
        screenshot(admin_page, "second-factor-admin-devices")
    admin_page.set_viewport_size(DESKTOP)
    with admin_page.expect_navigation():
        admin_page.get_by_role("button", name="Go").click()
    expect(admin_page.get_by_text(f"Removed the second factor of {cast.manager.email}")).to_be_visible()

    # The manager's session is over; signing in again leads to setting up a new app.
    manager_page.reload()
    expect(manager_page).to_have_url(re.compile(r"/accounts/login/\?next=/desk/$"))
    password_step(manager_page, cast.manager)
    expect(manager_page).to_have_url(re.compile(r"/accounts/2fa/set-up/"))
