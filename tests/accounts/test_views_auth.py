"""Logging in by email, where each role lands, logging out, and the profile page."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertRedirects

from accounts.models import User

from ..conftest import PASSWORD, Cast, client_for

LOGIN = reverse("accounts:login")
LOGOUT = reverse("accounts:logout")
PROFILE = reverse("accounts:profile")
MISMATCH = "Your email and password didn't match. Check both and try again."


def logged_in_as(client: Client) -> int | None:
    pk = client.session.get(SESSION_KEY)
    return int(pk) if pk is not None else None


@pytest.mark.parametrize(
    ("who", "typed", "lands_on"),
    [
        ("employee", "erin.employee@example.com", "/"),
        ("employee", "Erin.Employee@EXAMPLE.com", "/"),
        ("employee", "  erin.employee@example.com  ", "/"),
        ("it_agent", "IAN.IT@example.com", "/desk/"),
        ("manager", "Max.Manager@Example.Com", "/desk/"),
        ("admin", "ada.admin@example.com", "/desk/"),
    ],
)
def test_log_in_by_email_in_any_case_lands_on_the_right_screen(
    cast: Cast, who: str, typed: str, lands_on: str
) -> None:
    client = Client()

    response = client.post(LOGIN, {"username": typed, "password": PASSWORD})

    assertRedirects(response, lands_on, fetch_redirect_response=False)
    assert logged_in_as(client) == getattr(cast, who).pk
    if who in ("manager", "admin"):
        # Their second factor comes before the desk (tests/twofactor).
        assert client.get(lands_on)["Location"].startswith(reverse("twofactor:enrol"))
    else:
        assert client.get(lands_on).status_code == 200


def test_log_in_goes_back_to_the_page_that_asked_for_it(cast: Cast) -> None:
    client = Client()
    asked = reverse("tickets:new")
    login_page = client.get(asked)
    assertRedirects(login_page, f"{LOGIN}?next={quote(asked)}", fetch_redirect_response=False)
    assert f'name="next" value="{asked}"' in client.get(login_page["Location"]).content.decode()

    response = client.post(
        LOGIN, {"username": "erin.employee@example.com", "password": PASSWORD, "next": asked}
    )

    assertRedirects(response, asked, fetch_redirect_response=False)


def test_a_next_address_with_html_is_shown_as_text(cast: Cast) -> None:
    page = Client().get(LOGIN, {"next": '/"><script>alert(1)</script>'}).content.decode()

    assert 'value="/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_log_in_never_sends_anyone_to_another_site(cast: Cast, next_url: str) -> None:
    response = Client().post(
        LOGIN, {"username": "ian.it@example.com", "password": PASSWORD, "next": next_url}
    )

    assertRedirects(response, "/desk/", fetch_redirect_response=False)


@pytest.mark.parametrize(
    ("typed", "password"),
    [
        ("erin.employee@example.com", "wrong password"),
        ("nobody@example.com", PASSWORD),
        ("erin.employee@example", PASSWORD),
        ("", ""),
    ],
)
def test_a_failed_log_in_says_so_and_logs_nobody_in(cast: Cast, typed: str, password: str) -> None:
    client = Client()

    response = client.post(LOGIN, {"username": typed, "password": password})

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert (MISMATCH if typed else "This field is required.") in page
    assert logged_in_as(client) is None


def test_an_inactive_account_cannot_log_in(cast: Cast) -> None:
    cast.employee.is_active = False
    cast.employee.save()
    client = Client()

    response = client.post(LOGIN, {"username": "erin.employee@example.com", "password": PASSWORD})

    assert response.status_code == 200
    assert MISMATCH in html.unescape(response.content.decode())
    assert logged_in_as(client) is None


@pytest.mark.parametrize(("who", "lands_on"), [("employee", "/"), ("it_agent", "/desk/")])
def test_the_log_in_page_sends_someone_already_in_to_their_screen(
    cast: Cast, who: str, lands_on: str
) -> None:
    response = client_for(getattr(cast, who)).get(LOGIN)

    assertRedirects(response, lands_on, fetch_redirect_response=False)


def test_log_out_is_a_post(cast: Cast) -> None:
    client = client_for(cast.employee)

    assert client.get(LOGOUT).status_code == 405
    assert logged_in_as(client) == cast.employee.pk

    response = client.post(LOGOUT)

    assertRedirects(response, LOGIN, fetch_redirect_response=False)
    assert logged_in_as(client) is None
    assertRedirects(client.get("/"), f"{LOGIN}?next=/", fetch_redirect_response=False)


def test_every_page_offers_log_out_as_a_form(cast: Cast) -> None:
    page = client_for(cast.employee).get("/").content.decode()

    assert f'<form method="post" action="{LOGOUT}">' in page


def csrf_client(user: User | None = None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def test_log_out_without_a_csrf_token_is_refused(cast: Cast) -> None:
    client = csrf_client(cast.employee)

    response = client.post(LOGOUT)

    assert response.status_code == 403
    assert logged_in_as(client) == cast.employee.pk


def test_log_in_without_a_csrf_token_is_refused(cast: Cast) -> None:
    client = csrf_client()

    response = client.post(LOGIN, {"username": "erin.employee@example.com", "password": PASSWORD})

    assert response.status_code == 403
    assert logged_in_as(client) is None


def test_profile_and_password_pages_need_a_log_in() -> None:
    for url in (PROFILE, reverse("accounts:password_change")):
        assertRedirects(Client().get(url), f"{LOGIN}?next={quote(url)}", fetch_redirect_response=False)


def test_the_profile_saves_the_name_and_shows_it_as_text(cast: Cast) -> None:
    client = client_for(cast.employee)

    response = client.post(PROFILE, {"full_name": "<script>alert(1)</script> Erin"}, follow=True)

    assertRedirects(response, PROFILE)
    cast.employee.refresh_from_db()
    assert cast.employee.full_name == "<script>alert(1)</script> Erin"
    page = response.content.decode()
    assert "Your profile is saved." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)</script>" not in page


def test_the_profile_refuses_an_empty_name(cast: Cast) -> None:
    response = client_for(cast.employee).post(PROFILE, {"full_name": "  "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    cast.employee.refresh_from_db()
    assert cast.employee.full_name == "Erin Employee"


def test_a_profile_change_without_a_csrf_token_is_refused(cast: Cast) -> None:
    response = csrf_client(cast.employee).post(PROFILE, {"full_name": "Mallory"})

    assert response.status_code == 403
    cast.employee.refresh_from_db()
    assert cast.employee.full_name == "Erin Employee"
