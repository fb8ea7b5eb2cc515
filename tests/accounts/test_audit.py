"""The sign-in audit trail: a row for each event, readable by administrators only."""

from __future__ import annotations

import html
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audit import auth_event_record
from accounts.models import AuthEvent

from ..conftest import PASSWORD, Cast, client_for

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
TRAIL = reverse("admin:accounts_authevent_changelist")
NEW_PASSWORD = "a brand new long passphrase"
Kind = AuthEvent.Kind


def kinds() -> list[str]:
    return list(AuthEvent.objects.order_by("at", "id").values_list("kind", flat=True))


def test_a_sign_in_and_a_sign_out_are_written_with_the_address_and_browser(cast: Cast) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7", HTTP_USER_AGENT="Firefox/140")
    client.post(LOGIN, {"username": "Erin.Employee@Example.com", "password": PASSWORD})
    client.post(reverse("accounts:logout"))

    login, logout = AuthEvent.objects.order_by("at", "id")
    assert (login.kind, login.user, login.email, login.ip_address, login.user_agent) == (
        Kind.LOGIN,
        cast.employee,
        cast.employee.email,
        "198.51.100.7",
        "Firefox/140",
    )
    assert (logout.kind, logout.user) == (Kind.LOGOUT, cast.employee)


@pytest.mark.parametrize(
    ("typed", "password", "detail", "who"),
    [
        ("ERIN.EMPLOYEE@example.com", "not the password", "Wrong password", "employee"),
        ("nobody@example.com", PASSWORD, "Unknown account", None),
    ],
)
def test_a_failed_sign_in_names_the_account_tried(
    cast: Cast, typed: str, password: str, detail: str, who: str | None
) -> None:
    Client().post(LOGIN, {"username": typed, "password": password})

    failed = AuthEvent.objects.get()
    assert (failed.kind, failed.email, failed.detail) == (Kind.LOGIN_FAILED, typed.lower(), detail)
    assert failed.user == (getattr(cast, who) if who else None)
    assert "password" not in failed.detail.lower() or failed.detail == "Wrong password"


def test_a_failed_sign_in_on_the_admin_site_is_written_too(cast: Cast) -> None:
    Client().post(ADMIN_LOGIN, {"username": cast.it_agent.email, "password": "not the password"})

    assert kinds() == [Kind.LOGIN_FAILED]


def test_a_lock_out_is_written_once_and_refused_attempts_say_so(cast: Cast) -> None:
    client = Client()
    for _ in range(12):
        client.post(LOGIN, {"username": cast.employee.email, "password": "not the password"})

    # The lock-out is written as the tenth failure is counted, just before that failure's row.
    assert kinds() == [Kind.LOGIN_FAILED] * 9 + [Kind.LOCKED_OUT] + [Kind.LOGIN_FAILED] * 3
    locked = AuthEvent.objects.get(kind=Kind.LOCKED_OUT)
    assert (locked.user, locked.email) == (cast.employee, cast.employee.email)
    assert locked.detail == "10 recent failures for the account, 10 from the address"
    refused = AuthEvent.objects.filter(kind=Kind.LOGIN_FAILED).order_by("-at", "-id").first()
    assert refused is not None and refused.detail == "Refused: locked out"


def test_a_password_change_is_written(cast: Cast) -> None:
    client = client_for(cast.employee)

    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert AuthEvent.objects.filter(kind=Kind.PASSWORD_CHANGED, user=cast.employee).count() == 1


def test_a_password_reset_request_and_its_completion_are_written(cast: Cast) -> None:
    from notifications.emails import build
    from notifications.models import Kind as EmailKind
    from notifications.models import Notification

    Client().post(reverse("accounts:password_reset"), {"email": cast.employee.email})
    body = build(Notification.objects.get(kind=EmailKind.PASSWORD_RESET)).body
    link = next(word for word in body.split() if "/password/reset/" in word and word.count("/") > 6)
    client = Client()
    form = client.get(link.removeprefix("http://127.0.0.1:8000"), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    requested = AuthEvent.objects.get(kind=Kind.PASSWORD_RESET_REQUESTED)
    assert (requested.user, requested.email, requested.ip_address) == (
        cast.employee,
        cast.employee.email,
        "127.0.0.1",
    )
    assert AuthEvent.objects.filter(kind=Kind.PASSWORD_RESET_DONE, user=cast.employee).count() == 1


def test_a_reset_asked_for_an_unknown_address_is_written_without_a_user(cast: Cast) -> None:
    Client().post(reverse("accounts:password_reset"), {"email": "Nobody@Example.com"})

    requested = AuthEvent.objects.get()
    assert (requested.kind, requested.user, requested.email) == (
        Kind.PASSWORD_RESET_REQUESTED,
        None,
        "nobody@example.com",
    )


def test_the_second_factor_events_can_be_written_by_whoever_handles_them(cast: Cast) -> None:
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")

    for kind in (Kind.OTP_ENROLLED, Kind.OTP_FAILED, Kind.RECOVERY_CODE_USED, Kind.OTP_REMOVED):
        auth_event_record(kind=kind, user=cast.manager, request=request, detail="Authenticator app")
    auth_event_record(kind="otp_removed", user=cast.manager, request=None)

    assert AuthEvent.objects.filter(user=cast.manager, email=cast.manager.email).count() == 5
    assert AuthEvent.objects.filter(ip_address="198.51.100.7").count() == 4


def test_an_unknown_kind_is_refused(cast: Cast) -> None:
    with pytest.raises(ValueError):
        auth_event_record(kind="made_up", user=cast.employee, request=None)


# ---- the admin list -----------------------------------------------------------------------------


def test_an_administrator_reads_the_trail_filters_it_and_searches_by_email(cast: Cast) -> None:
    Client().post(LOGIN, {"username": cast.employee.email, "password": "not the password"})
    Client().post(LOGIN, {"username": cast.it_agent.email, "password": PASSWORD})
    admin = client_for(cast.admin)

    everything = html.unescape(admin.get(TRAIL).content.decode())
    failures = html.unescape(admin.get(TRAIL, {"kind__exact": Kind.LOGIN_FAILED}).content.decode())
    found = html.unescape(admin.get(TRAIL, {"q": "erin.employee"}).content.decode())
    by_user = html.unescape(admin.get(TRAIL, {"user__id__exact": cast.it_agent.pk}).content.decode())

    assert cast.employee.email in everything and cast.it_agent.email in everything
    assert "Sign-in events" in admin.get(reverse("admin:index"), {"apps": 1}).content.decode()
    assert "Sign-in failed" in failures and "ian.it@example.com" not in failures
    assert "erin.employee@example.com" in found and "ian.it@example.com" not in found
    assert "ian.it@example.com" in by_user and "erin.employee@example.com" not in by_user


def test_the_trail_cannot_be_edited_or_deleted_even_by_an_administrator(cast: Cast) -> None:
    Client().post(LOGIN, {"username": cast.employee.email, "password": "not the password"})
    event = AuthEvent.objects.get()
    admin = client_for(cast.admin)

    assert admin.get(reverse("admin:accounts_authevent_add")).status_code == 403
    assert admin.get(reverse("admin:accounts_authevent_delete", args=[event.pk])).status_code == 403
    change = admin.get(reverse("admin:accounts_authevent_change", args=[event.pk]))
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()


@pytest.mark.parametrize("who", ["manager", "it_agent"])
def test_managers_and_agents_cannot_read_the_trail(cast: Cast, who: str) -> None:
    client = client_for(getattr(cast, who))

    assert client.get(TRAIL).status_code == 403
    assert "Sign-in events" not in client.get(reverse("admin:index"), {"apps": 1}).content.decode()


def test_an_employee_or_a_stranger_is_sent_to_sign_in(cast: Cast) -> None:
    for client in (Client(), client_for(cast.employee)):
        response = client.get(TRAIL)
        assert response.status_code == 302
        assert response["Location"].startswith(ADMIN_LOGIN)


def test_the_trail_costs_the_same_queries_for_few_or_many_events(
    cast: Cast, django_assert_num_queries: Callable[..., ContextManager[object]]
) -> None:
    admin = client_for(cast.admin)
    people = [cast.employee, cast.other_employee, cast.it_agent, cast.manager]

    def fill(count: int) -> None:
        for number in range(count):
            auth_event_record(kind=Kind.LOGIN, user=people[number % len(people)], request=None)

    fill(4)
    admin.get(TRAIL)  # sessions, permissions and content types warmed
    with CaptureQueriesContext(connection) as few:
        admin.get(TRAIL)
    fill(60)
    with django_assert_num_queries(len(few)):
        page = admin.get(TRAIL)
    assert page.content.decode().count("?user__id__exact=") == AuthEvent.objects.count() > 60
