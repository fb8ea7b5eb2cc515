"""The code step after a right password: who is asked, guessing, recovery codes, CSRF."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects
from time_machine import TimeMachineFixture

from accounts.models import AuthEvent, User

from ..conftest import PASSWORD, Cast
from .devices import authenticator, code_now, recovery_codes

LOGIN = reverse("accounts:login")
VERIFY = reverse("twofactor:verify")
ENROL = reverse("twofactor:enrol")
DESK = reverse("desk:list")


def signed_in_with_password(user: User) -> Client:
    client = Client()
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, f"the password step failed for {user.email}"
    return client


def verified(client: Client) -> bool:
    return DEVICE_ID_SESSION_KEY in client.session


def audit(user: User, kind: str) -> list[str]:
    return list(
        AuthEvent.objects.filter(user=user, kind=kind).order_by("at", "id").values_list("detail", flat=True)
    )


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_manager_or_admin_without_an_app_is_sent_to_set_one_up_before_the_desk(
    cast: Cast, who: str
) -> None:
    client = signed_in_with_password(getattr(cast, who))

    for page in (DESK, reverse("home"), reverse("accounts:profile"), reverse("admin:index")):
        response = client.get(page)
        assertRedirects(response, f"{ENROL}?next={quote(page, safe='')}", fetch_redirect_response=False)
    assert client.get(ENROL).status_code == 200


def test_a_manager_with_an_app_gives_a_code_and_lands_where_they_were_going(cast: Cast) -> None:
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)
    assertRedirects(client.get(DESK), f"{VERIFY}?next={quote(DESK, safe='')}", fetch_redirect_response=False)
    password_session = client.session.session_key

    response = client.post(VERIFY, {"code": code_now(device), "next": DESK})

    assertRedirects(response, DESK, fetch_redirect_response=False)
    assert verified(client)
    # A session that gains privileges gets a new key.
    assert client.session.session_key != password_session
    assert client.get(DESK).status_code == 200


def test_the_code_step_shows_a_labelled_one_time_code_field(cast: Cast) -> None:
    authenticator(cast.manager)
    page = signed_in_with_password(cast.manager).get(VERIFY).content.decode()

    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page)
    assert field is not None
    assert 'autocomplete="one-time-code"' in field.group(0)
    assert 'inputmode="numeric"' in field.group(0)
    assert re.search(r'<label\s+for="id_code"', page)
    assert 'name="recovery_code"' in page
    assert "<script>" not in page and " onclick=" not in page


def test_a_code_is_accepted_once(cast: Cast) -> None:
    device = authenticator(cast.manager)
    code = code_now(device)
    first = signed_in_with_password(cast.manager)
    assert first.post(VERIFY, {"code": code}).status_code == 302

    second = signed_in_with_password(cast.manager)
    response = second.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert "That code didn&#x27;t work" in response.content.decode()
    assert not verified(second)


def test_a_wrong_code_is_refused_recorded_and_slows_the_next_try(
    cast: Cast, time_machine: TimeMachineFixture
) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)
    wrong = f"{(int(code_now(device)) + 1) % 1_000_000:06d}"

    refused = client.post(VERIFY, {"code": wrong})
    assert refused.status_code == 200
    assert "That code didn&#x27;t work" in refused.content.decode()

    # Even the right code waits out the delay that the wrong one started.
    throttled = client.post(VERIFY, {"code": code_now(device)})
    assert "Too many wrong codes. Wait 1 second, then try again." in throttled.content.decode()
    assert not verified(client)
    assert audit(cast.manager, AuthEvent.Kind.OTP_FAILED) == [
        "Wrong code (1 in a row)",
        "Refused: too many wrong codes (1)",
    ]

    time_machine.shift(timedelta(seconds=2))
    assert client.post(VERIFY, {"code": code_now(device)}).status_code == 302
    assert verified(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_guessing_makes_each_wait_twice_as_long(cast: Cast, time_machine: TimeMachineFixture) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)
    waits = []
    for _ in range(5):
        client.post(VERIFY, {"code": "000000" if code_now(device) != "000000" else "111111"})
        device.refresh_from_db()
        allowed, refusal = device.verify_is_allowed()
        assert not allowed and refusal is not None
        waits.append(round((refusal["locked_until"] - timezone.now()).total_seconds()))
        time_machine.shift(timedelta(seconds=waits[-1]))

    assert waits == [1, 2, 4, 8, 16]
    assert len(audit(cast.manager, AuthEvent.Kind.OTP_FAILED)) == 5


def test_a_malformed_code_says_what_to_type_and_counts_nothing(cast: Cast) -> None:
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)

    response = client.post(VERIFY, {"code": "12ab"})

    assert "The code is 6 digits, as your authenticator app shows it." in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_recovery_code_works_once(cast: Cast) -> None:
    authenticator(cast.manager)
    codes = recovery_codes(cast.manager)
    client = signed_in_with_password(cast.manager)

    # Typed as shown on the page: two groups of four, in any case.
    typed = f"{codes[3][:4].upper()} {codes[3][4:]}"
    response = client.post(VERIFY, {"recovery_code": typed, "next": DESK}, follow=True)

    assertRedirects(response, DESK)
    assert "You signed in with a recovery code; 9 left." in response.content.decode()
    assert audit(cast.manager, AuthEvent.Kind.RECOVERY_CODE_USED) == ["9 left"]
    assert not StaticToken.objects.filter(token=codes[3]).exists()

    again = signed_in_with_password(cast.manager)
    refused = again.post(VERIFY, {"recovery_code": codes[3]})
    assert refused.status_code == 200
    assert "That recovery code didn&#x27;t work" in refused.content.decode()
    assert not verified(again)
    assert audit(cast.manager, AuthEvent.Kind.OTP_FAILED) == ["Wrong recovery code (1 in a row)"]


def test_the_code_step_changes_nothing_on_get(cast: Cast) -> None:
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)
    before = list(TOTPDevice.objects.values()), AuthEvent.objects.count()

    for _ in range(3):
        assert client.get(VERIFY, {"code": code_now(device)}).status_code == 200

    assert (list(TOTPDevice.objects.values()), AuthEvent.objects.count()) == before
    assert not verified(client)


def test_the_code_step_refuses_a_post_without_its_csrf_token(cast: Cast) -> None:
    device = authenticator(cast.manager)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)

    response = client.post(VERIFY, {"code": code_now(device)})

    assert response.status_code == 403
    assert not verified(client)


def test_the_code_step_never_sends_anyone_to_another_site(cast: Cast) -> None:
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)

    response = client.post(VERIFY, {"code": code_now(device), "next": "https://evil.example/"})

    assertRedirects(response, DESK, fetch_redirect_response=False)


def test_someone_signed_out_is_sent_to_the_password_first(db: None) -> None:
    for page in (VERIFY, ENROL):
        assertRedirects(Client().get(page), f"{LOGIN}?next={quote(page)}", fetch_redirect_response=False)


def test_employees_have_no_second_factor_pages_and_are_never_asked(cast: Cast) -> None:
    client = signed_in_with_password(cast.employee)

    assertContains(client.get(reverse("home")), f"Hello, {cast.employee.get_short_name()}")
    for page in (VERIFY, ENROL, reverse("twofactor:manage")):
        assert client.get(page).status_code == 404
