"""Guessing passwords: an account locks after a few failures, an address after more, and unlocks."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.addresses import client_address
from accounts.models import AuthEvent

from ..conftest import PASSWORD, Cast, client_for

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
LOCKOUTS = reverse("admin:axes_accessattempt_changelist")


def signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def fail(client: Client, url: str, username: str, times: int, **extra: str) -> None:
    for _ in range(times):
        response = client.post(url, {"username": username, "password": "not the password"}, **extra)
        assert response.status_code in (200, 429)


def page(response: object) -> str:
    return html.unescape(response.content.decode())  # type: ignore[attr-defined]


@pytest.mark.parametrize(("url", "who"), [(LOGIN, "employee"), (ADMIN_LOGIN, "it_agent")])
def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(cast: Cast, url: str, who: str) -> None:
    email = getattr(cast, who).email
    client = Client()
    fail(client, url, email, 30)

    response = client.post(url, {"username": email, "password": PASSWORD})

    assert response.status_code == 429
    assert not signed_in(client)
    text = page(response)
    assert "Sign-in to this account is paused after too many failed attempts. Try again in 30 minutes" in text
    assert "reset your password by email, or ask an administrator to unlock the account" in text
    assert "didn't match" not in text


def test_the_account_locks_at_the_tenth_failure_and_not_before(cast: Cast) -> None:
    client = Client()
    fail(client, LOGIN, cast.employee.email, 9)

    assert client.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 302
    assert signed_in(client)


def test_a_success_before_the_limit_starts_the_count_again(cast: Cast) -> None:
    client = Client()
    fail(client, LOGIN, cast.employee.email, 9)
    client.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    fail(client, LOGIN, cast.employee.email, 9)

    assert client.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 302
    assert signed_in(client)


def test_the_account_is_one_whatever_the_case_or_spaces_typed(cast: Cast) -> None:
    client = Client()
    for typed in [
        "ERIN.EMPLOYEE@EXAMPLE.COM",
        " erin.employee@example.com ",
        "Erin.Employee@Example.com",
    ] * 4:
        client.post(LOGIN, {"username": typed, "password": "not the password"})

    response = client.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD})

    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {cast.employee.email}


def test_the_lock_covers_the_account_from_any_address(cast: Cast) -> None:
    fail(Client(REMOTE_ADDR="198.51.100.7"), LOGIN, cast.employee.email, 10)

    other_place = Client(REMOTE_ADDR="203.0.113.9")
    response = other_place.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD})

    assert response.status_code == 429
    assert not signed_in(other_place)


def test_the_lock_lifts_by_itself_after_the_cool_off(cast: Cast) -> None:
    client = Client()
    fail(client, LOGIN, cast.employee.email, 12)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        response = client.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD})

    assert response.status_code == 302
    assert signed_in(client)


def test_attempts_during_the_lock_do_not_push_the_time_back(cast: Cast) -> None:
    client = Client()
    fail(client, LOGIN, cast.employee.email, 10)
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        fail(client, LOGIN, cast.employee.email, 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert client.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 302
    assert signed_in(client)


def test_guessing_across_accounts_locks_the_address(cast: Cast) -> None:
    guesser = Client(REMOTE_ADDR="198.51.100.7")
    for number in range(6):  # 54 failures, none of the accounts reaching its own limit of 10
        fail(guesser, LOGIN, f"someone{number}@example.com", 9)

    response = guesser.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD})

    assert response.status_code == 429
    assert "Sign-in from your network is paused" in page(response)
    assert "ask an administrator to unlock it" in page(response)
    elsewhere = Client(REMOTE_ADDR="203.0.113.9")
    assert elsewhere.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 302


def test_a_few_mistakes_in_an_office_behind_one_address_lock_nobody_else(cast: Cast) -> None:
    office = Client(REMOTE_ADDR="198.51.100.7")
    for person in (cast.it_agent, cast.marketing_agent, cast.manager, cast.other_employee):
        fail(office, LOGIN, person.email, 5)

    assert office.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 302
    assert signed_in(office)


def test_an_administrator_unlocks_the_account_and_the_sign_in_works(cast: Cast) -> None:
    client = Client()
    fail(client, ADMIN_LOGIN, cast.it_agent.email, 30)
    assert (
        client.post(ADMIN_LOGIN, {"username": cast.it_agent.email, "password": PASSWORD}).status_code == 429
    )
    admin = client_for(cast.admin)
    listing = admin.get(LOCKOUTS)
    assert listing.status_code == 200
    assert cast.it_agent.email in page(listing)

    response = admin.post(
        LOCKOUTS,
        {"action": "unlock", "_selected_action": list(AccessAttempt.objects.values_list("pk", flat=True))},
        follow=True,
    )

    assert "Unlocked: 1 record(s) of failed sign-ins forgotten." in page(response)
    assert not AccessAttempt.objects.exists()
    unlocked = AuthEvent.objects.get(kind=AuthEvent.Kind.UNLOCKED)
    assert (unlocked.user, unlocked.email) == (cast.it_agent, cast.it_agent.email)
    assert cast.admin.email in unlocked.detail
    response = client.post(ADMIN_LOGIN, {"username": cast.it_agent.email, "password": PASSWORD})
    assert response.status_code == 302
    assert signed_in(client)


def test_a_password_reset_unlocks_the_account(cast: Cast) -> None:
    from notifications.emails import build
    from notifications.models import Kind, Notification

    client = Client()
    fail(client, LOGIN, cast.employee.email, 10)
    client.post(reverse("accounts:password_reset"), {"email": cast.employee.email})
    link = build(Notification.objects.get(kind=Kind.PASSWORD_RESET)).body.split("http://127.0.0.1:8000")[1]
    form = client.get(link.split()[0], follow=True)
    new_password = "a brand new long passphrase"
    client.post(form.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})

    response = client.post(LOGIN, {"username": cast.employee.email, "password": new_password})

    assert response.status_code == 302
    assert signed_in(client)


@pytest.mark.parametrize("who", ["manager", "it_agent"])
def test_only_administrators_see_the_lock_outs(cast: Cast, who: str) -> None:
    fail(Client(), LOGIN, cast.employee.email, 10)

    response = client_for(getattr(cast, who)).get(LOCKOUTS)

    assert response.status_code == 403


def test_the_lock_out_list_needs_a_sign_in() -> None:
    response = Client().get(LOCKOUTS)

    assert response.status_code == 302
    assert response["Location"].startswith(ADMIN_LOGIN)


# ---- the client's address ---------------------------------------------------------------------


def test_without_a_proxy_the_forwarded_header_is_ignored(settings: object) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert client_address(request) == "198.51.100.7"


def test_behind_a_proxy_the_address_it_saw_is_the_client(settings: object) -> None:
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.66, 203.0.113.9"
    )  # the left entry is whatever the client claimed

    assert client_address(request) == "203.0.113.9"


def test_behind_a_proxy_a_forwarded_entry_that_is_no_address_is_not_used(settings: object) -> None:
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    settings.PROXY_COUNT = 2  # type: ignore[attr-defined]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="<script>, 203.0.113.9")

    assert client_address(request) == "10.0.0.2"


def test_a_sign_in_with_a_junk_forwarded_header_is_counted_not_crashed(cast: Cast, settings: object) -> None:
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")

    response = client.post(LOGIN, {"username": cast.employee.email, "password": "not the password"})

    assert response.status_code == 200
    assert AccessAttempt.objects.get().ip_address == "10.0.0.2"


def test_a_forged_forwarded_header_does_not_dodge_the_address_lock(cast: Cast, settings: object) -> None:
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 20  # type: ignore[attr-defined]
    for number in range(4):
        fail(
            Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}"),
            LOGIN,
            f"someone{number}@example.com",
            5,
        )

    forged = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR="192.0.2.200")
    assert forged.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 429


def test_behind_a_proxy_each_client_is_counted_on_its_own(cast: Cast, settings: object) -> None:
    settings.BEHIND_PROXY = True  # type: ignore[attr-defined]
    settings.SIGNIN_ADDRESS_FAILURE_LIMIT = 20  # type: ignore[attr-defined]
    for number in range(4):
        fail(
            Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7"),
            LOGIN,
            f"someone{number}@example.com",
            5,
        )

    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert colleague.post(LOGIN, {"username": cast.employee.email, "password": PASSWORD}).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
