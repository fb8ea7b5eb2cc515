"""The admin site needs a verified session; administrators remove a lost phone's second factor there."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertRedirects

from accounts.models import AuthEvent, User
from accounts.services import user_create

from ..conftest import PASSWORD, Cast, client_for
from .devices import authenticator, recovery_codes, session_verify
from .test_views_sign_in import ENROL, VERIFY, signed_in_with_password

DEVICES = reverse("admin:otp_totp_totpdevice_changelist")
DESK = reverse("desk:list")


def a_superuser() -> User:
    return User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")


@pytest.mark.parametrize("who", ["manager", "admin", "it_agent", "superuser"])
def test_the_admin_site_refuses_a_session_without_the_second_factor(cast: Cast, who: str) -> None:
    user = a_superuser() if who == "superuser" else getattr(cast, who)
    authenticator(user)
    client = signed_in_with_password(user)

    for page in (
        reverse("admin:index"),
        reverse("admin:tickets_ticket_changelist"),
        reverse("reports:dashboard"),
    ):
        response = client.get(page)
        assertRedirects(response, f"{VERIFY}?next={quote(page, safe='')}", fetch_redirect_response=False)


@pytest.mark.parametrize("who", ["manager", "admin", "it_agent"])
def test_the_admin_site_itself_asks_for_a_verified_session(cast: Cast, who: str) -> None:
    """Not only the middleware: the site's permission check needs a verified user too."""
    user = getattr(cast, who)
    device = authenticator(user)
    request = RequestFactory().get("/admin/")
    request.user = user
    request.session = Client().session
    OTPMiddleware(lambda request: None)(request)

    assert admin.site.has_permission(request) is False
    request.session["otp_device_id"] = device.persistent_id
    request.user = user
    OTPMiddleware(lambda request: None)(request)
    assert admin.site.has_permission(request) is True


def test_an_agent_without_an_app_is_asked_to_set_one_up_for_the_admin(cast: Cast) -> None:
    client = signed_in_with_password(cast.it_agent)
    admin_index = reverse("admin:index")

    response = client.get(admin_index)

    assertRedirects(response, f"{ENROL}?next={quote(admin_index, safe='')}", fetch_redirect_response=False)
    page = client.get(response["Location"]).content.decode()
    assert "The admin site asks everyone for a code" in page
    assert client.get(DESK).status_code == 200


def test_a_verified_manager_still_lands_on_the_dashboard(cast: Cast) -> None:
    response = client_for(cast.manager).get(reverse("admin:index"))

    assertRedirects(response, reverse("reports:dashboard"), fetch_redirect_response=False)


def test_the_device_list_names_people_but_shows_no_key(cast: Cast) -> None:
    device = authenticator(cast.manager)
    recovery = recovery_codes(cast.manager)

    page = client_for(cast.admin).get(DEVICES).content.decode()
    change = client_for(cast.admin).get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))

    assert cast.manager.email in page
    for secret in (device.key, *recovery):
        assert secret not in page
        assert secret not in change.content.decode()
    assert "qrcode" not in page
    assert client_for(cast.admin).get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert client_for(cast.admin).get("/admin/otp_static/staticdevice/").status_code == 404


@pytest.mark.parametrize("who", ["manager", "it_agent"])
def test_managers_and_agents_cannot_see_or_remove_second_factors(cast: Cast, who: str) -> None:
    device = authenticator(cast.admin)
    client = client_for(getattr(cast, who))

    assert client.get(DEVICES).status_code == 403
    response = client.post(DEVICES, {"action": "remove_second_factor", "_selected_action": [device.pk]})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def remove_as_admin(admin_client: Client, *devices: TOTPDevice) -> str:
    response = admin_client.post(
        DEVICES, {"action": "remove_second_factor", "_selected_action": [d.pk for d in devices]}, follow=True
    )
    assert response.status_code == 200
    return response.content.decode()


def test_removing_a_lost_phone_ends_the_sessions_and_asks_to_set_up_again(cast: Cast) -> None:
    manager = client_for(cast.manager)
    also_manager = client_for(cast.manager)
    device = TOTPDevice.objects.get(user=cast.manager)
    recovery = recovery_codes(cast.manager)
    assert manager.get(DESK).status_code == 200

    page = remove_as_admin(client_for(cast.admin), device)

    assert f"Removed the second factor of {cast.manager.email}" in page
    assert not TOTPDevice.objects.filter(user=cast.manager).exists()
    assert not StaticDevice.objects.filter(user=cast.manager).exists()
    for client in (manager, also_manager):
        assertRedirects(
            client.get(DESK), f"{reverse('accounts:login')}?next={quote(DESK)}", fetch_redirect_response=False
        )
    kinds = set(AuthEvent.objects.filter(user=cast.manager).values_list("kind", flat=True))
    assert {AuthEvent.Kind.OTP_REMOVED, AuthEvent.Kind.SESSIONS_ENDED} <= kinds

    again = signed_in_with_password(cast.manager)
    assertRedirects(again.get(DESK), f"{ENROL}?next={quote(DESK, safe='')}", fetch_redirect_response=False)
    # The old recovery codes went with the phone.
    assert again.post(VERIFY, {"recovery_code": recovery[0]})["Location"].startswith(ENROL)
    assert "otp_device_id" not in again.session


def test_the_delete_button_removes_through_the_same_path(cast: Cast) -> None:
    manager = client_for(cast.manager)
    device = TOTPDevice.objects.get(user=cast.manager)
    admin_client = client_for(cast.admin)
    delete = reverse("admin:otp_totp_totpdevice_delete", args=[device.pk])

    assert admin_client.get(delete).status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    admin_client.post(delete, {"post": "yes"})

    assert not TOTPDevice.objects.filter(user=cast.manager).exists()
    assert AuthEvent.objects.filter(user=cast.manager, kind=AuthEvent.Kind.OTP_REMOVED).exists()
    assertRedirects(
        manager.get(DESK), f"{reverse('accounts:login')}?next={quote(DESK)}", fetch_redirect_response=False
    )


def test_an_admin_keeps_their_own_second_factor(cast: Cast) -> None:
    admin_client = client_for(cast.admin)
    own = TOTPDevice.objects.get(user=cast.admin)

    page = remove_as_admin(admin_client, own)

    assert "Your own second factor stays" in page
    assert TOTPDevice.objects.filter(pk=own.pk).exists()
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_delete", args=[own.pk])).status_code == 403


def test_removal_needs_a_post_with_its_csrf_token(cast: Cast) -> None:
    device = authenticator(cast.manager)
    admin_client = Client(enforce_csrf_checks=True)
    admin_client.force_login(cast.admin)
    session_verify(admin_client, cast.admin)

    assert admin_client.get(DEVICES).status_code == 200
    response = admin_client.post(DEVICES, {"action": "remove_second_factor", "_selected_action": [device.pk]})

    assert response.status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_a_new_superuser_must_set_up_an_app_too(db: None) -> None:
    user_create(email="new.admin@example.com", full_name="New Admin", password=PASSWORD, role=User.Role.ADMIN)
    client = signed_in_with_password(User.objects.get(email="new.admin@example.com"))

    assertRedirects(client.get(DESK), f"{ENROL}?next={quote(DESK, safe='')}", fetch_redirect_response=False)
