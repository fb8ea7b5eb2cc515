"""Agents: a second factor only when OTP_REQUIRED_FOR_AGENTS is on, or when they chose one."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.conf import Settings
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertContains, assertRedirects, assertTemplateUsed

from accounts.models import AuthEvent

from ..conftest import Cast, client_for
from .devices import authenticator, code_for_key, code_now
from .test_views_enrol import set_up_page
from .test_views_sign_in import ENROL, VERIFY, signed_in_with_password

DESK = reverse("desk:list")
MANAGE = reverse("twofactor:manage")
TURN_OFF = reverse("twofactor:turn_off")


def test_with_the_setting_off_an_agent_signs_in_with_the_password_alone(cast: Cast) -> None:
    client = signed_in_with_password(cast.it_agent)

    desk, profile = client.get(DESK), client.get(reverse("accounts:profile"))

    assertTemplateUsed(desk, "tickets/desk/list.html")
    assertTemplateUsed(profile, "accounts/profile.html")
    assertContains(profile, cast.it_agent.email)


def test_with_the_setting_on_an_agent_must_set_up_an_app_first(cast: Cast, settings: Settings) -> None:
    settings.OTP_REQUIRED_FOR_AGENTS = True
    client = signed_in_with_password(cast.it_agent)

    assertRedirects(client.get(DESK), f"{ENROL}?next={quote(DESK, safe='')}", fetch_redirect_response=False)
    assert "As an agent, you confirm each sign-in" in client.get(ENROL).content.decode()


def test_with_the_setting_on_an_agent_with_an_app_gives_a_code(cast: Cast, settings: Settings) -> None:
    settings.OTP_REQUIRED_FOR_AGENTS = True
    device = authenticator(cast.it_agent)
    client = signed_in_with_password(cast.it_agent)

    assertRedirects(client.get(DESK), f"{VERIFY}?next={quote(DESK, safe='')}", fetch_redirect_response=False)
    assertRedirects(client.post(VERIFY, {"code": code_now(device)}), DESK, fetch_redirect_response=False)
    assert client.get(DESK).status_code == 200


def test_an_agent_sets_it_up_from_the_profile_and_is_then_asked_for_codes(cast: Cast) -> None:
    client = signed_in_with_password(cast.it_agent)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{MANAGE}"' in profile
    assert f'href="{ENROL}"' in client.get(MANAGE).content.decode()
    _, key, pending = set_up_page(client)
    client.post(ENROL, {"code": code_for_key(key), "pending": pending})

    later = signed_in_with_password(cast.it_agent)

    assertRedirects(later.get(DESK), f"{VERIFY}?next={quote(DESK, safe='')}", fetch_redirect_response=False)


def test_an_agent_may_turn_it_off_and_is_no_longer_asked(cast: Cast) -> None:
    client = client_for(cast.it_agent)
    elsewhere = client_for(cast.it_agent)
    assert "Turn off two-factor sign-in" in client.get(MANAGE).content.decode()

    assert client.get(TURN_OFF).status_code == 405
    response = client.post(TURN_OFF, follow=True)

    assertRedirects(response, MANAGE)
    assert "Two-factor sign-in is off." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=cast.it_agent).exists()
    assert not StaticDevice.objects.filter(user=cast.it_agent).exists()
    assert AuthEvent.objects.filter(user=cast.it_agent, kind=AuthEvent.Kind.OTP_REMOVED).exists()
    assert client.get(DESK).status_code == 200
    assertRedirects(
        elsewhere.get(DESK), f"{reverse('accounts:login')}?next={quote(DESK)}", fetch_redirect_response=False
    )
    assert signed_in_with_password(cast.it_agent).get(DESK).status_code == 200


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_a_manager_or_admin_cannot_turn_it_off(cast: Cast, who: str) -> None:
    client = client_for(getattr(cast, who))
    assert "Turn off" not in client.get(MANAGE).content.decode()

    response = client.post(TURN_OFF)

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=getattr(cast, who)).exists()
    assert DEVICE_ID_SESSION_KEY in client.session


def test_with_the_setting_on_an_agent_cannot_turn_it_off(cast: Cast, settings: Settings) -> None:
    settings.OTP_REQUIRED_FOR_AGENTS = True
    client = client_for(cast.it_agent)

    assert client.post(TURN_OFF).status_code == 403
    assert TOTPDevice.objects.filter(user=cast.it_agent).exists()


def test_turning_it_off_without_a_csrf_token_is_refused(cast: Cast) -> None:
    client = client_for(cast.it_agent)
    client.handler.enforce_csrf_checks = True

    assert client.post(TURN_OFF).status_code == 403
    assert TOTPDevice.objects.filter(user=cast.it_agent).exists()
