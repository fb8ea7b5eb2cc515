"""Sessions end when idle, when too old, and when the password changes or the account is deactivated."""

from __future__ import annotations

import html
from datetime import timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuthEvent, User, UserSession
from accounts.services import user_deactivate, user_sessions_end

from ..conftest import PASSWORD, Cast, client_for

LOGIN = reverse("accounts:login")
NEW_PASSWORD = "a brand new long passphrase"


def signed_in(user: User) -> Client:
    """A client that signed in through the page, as a person does."""
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_in(client: Client) -> bool:
    return client.get("/").status_code == 200


def test_a_session_idle_past_the_timeout_is_signed_out_with_a_message(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in(cast.employee)

    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert SESSION_KEY not in client.session
    assert "You were signed out after 1\xa0hour without activity. Sign in again to go on." in html.unescape(
        response.content.decode()
    )
    logout = AuthEvent.objects.get(kind=AuthEvent.Kind.LOGOUT)
    assert (logout.user, logout.detail) == (cast.employee, "idle timeout")


def test_activity_keeps_the_session_until_the_absolute_timeout(cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in(cast.employee)
    for minutes in range(50, 12 * 60, 50):  # a request every 50 minutes for 12 hours
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            assert is_in(client), f"signed out after {minutes} minutes"

    with time_machine.travel(start + timedelta(hours=12, minutes=1), tick=False):
        response = client.get("/", follow=True)

    assert SESSION_KEY not in client.session
    assert "a sign-in lasts 12\xa0hours at most" in html.unescape(response.content.decode())


def test_the_timeouts_are_settings(cast: Cast, settings: object) -> None:
    settings.SESSION_IDLE_TIMEOUT_SECONDS = 300  # type: ignore[attr-defined]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = signed_in(cast.employee)

    with time_machine.travel(start + timedelta(minutes=4), tick=False):
        assert is_in(client)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert not is_in(client)


def test_the_session_cookie_does_not_outlive_the_absolute_timeout(cast: Cast) -> None:
    client = signed_in(cast.employee)

    assert client.cookies["sessionid"]["max-age"] == 12 * 3600


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(cast: Cast) -> None:
    here, phone, laptop = signed_in(cast.employee), signed_in(cast.employee), signed_in(cast.employee)
    others = {phone.session.session_key, laptop.session.session_key}

    response = here.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert is_in(here)
    assert not is_in(phone)
    assert not is_in(laptop)
    assert not Session.objects.filter(session_key__in=others).exists()
    assert list(UserSession.objects.filter(user=cast.employee).values_list("session_key", flat=True)) == [
        here.session.session_key
    ]
    ended = AuthEvent.objects.get(kind=AuthEvent.Kind.SESSIONS_ENDED)
    assert ended.detail == "2 ended: password changed"


def test_someone_elses_sessions_are_left_alone(cast: Cast) -> None:
    mine, theirs = signed_in(cast.employee), signed_in(cast.other_employee)

    mine.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert is_in(theirs)


def test_deactivation_in_the_admin_ends_every_session(cast: Cast) -> None:
    phone, laptop = signed_in(cast.employee), signed_in(cast.employee)
    url = reverse("admin:accounts_user_change", args=[cast.employee.pk])
    admin = client_for(cast.admin)

    response = admin.post(
        url,
        {
            "email": cast.employee.email,
            "full_name": cast.employee.full_name,
            "department": cast.employee.department_id,
            "role": User.Role.EMPLOYEE,
            # is_active left unticked
        },
    )

    assert response.status_code == 302, response.content.decode()
    cast.employee.refresh_from_db()
    assert not cast.employee.is_active
    assert not UserSession.objects.filter(user=cast.employee).exists()
    assert not is_in(phone)
    assert not is_in(laptop)
    cast.employee.is_active = True
    cast.employee.save(update_fields=["is_active"])
    assert not is_in(phone), "reactivating the account must not bring old sessions back"
    deactivated = AuthEvent.objects.get(kind=AuthEvent.Kind.DEACTIVATED)
    assert (deactivated.user, deactivated.email) == (cast.employee, cast.employee.email)


def test_deactivation_through_the_service_ends_every_session(cast: Cast) -> None:
    phone = signed_in(cast.employee)

    user_deactivate(user=cast.employee)

    assert not is_in(phone)
    assert not Session.objects.filter(session_key=phone.session.session_key).exists()


def test_sessions_end_can_keep_the_current_session(cast: Cast) -> None:
    here, elsewhere = signed_in(cast.employee), signed_in(cast.employee)

    ended = user_sessions_end(user=cast.employee, keep=here.session.session_key)

    assert ended == 1
    assert is_in(here)
    assert not is_in(elsewhere)


def test_signing_out_forgets_the_session(cast: Cast) -> None:
    client = signed_in(cast.employee)

    client.post(reverse("accounts:logout"))

    assert not UserSession.objects.filter(user=cast.employee).exists()
    assert user_sessions_end(user=cast.employee) == 0


def test_a_password_set_in_the_admin_ends_the_persons_sessions_and_is_audited(cast: Cast) -> None:
    employee = signed_in(cast.employee)
    admin = client_for(cast.admin)

    response = admin.post(
        reverse("admin:auth_user_password_change", args=[cast.employee.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not is_in(employee)
    changed = AuthEvent.objects.get(kind=AuthEvent.Kind.PASSWORD_CHANGED)
    assert changed.user == cast.employee
