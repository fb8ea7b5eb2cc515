"""Setting up an authenticator app: the QR code and key, the confirming code, recovery codes."""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from django.core import signing
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.asserts import assertRedirects

from accounts.models import AuthEvent
from twofactor.forms import PENDING_KEY_SALT

from ..conftest import Cast, client_for
from .devices import authenticator, code_for_key, code_now
from .test_views_sign_in import ENROL, VERIFY, signed_in_with_password

DESK = reverse("desk:list")


def set_up_page(client: Client, **params: str) -> tuple[str, str, str]:
    """The page's HTML, the key it shows for typing, and the signed value its form carries."""
    page = client.get(ENROL, params).content.decode()
    key = re.search(r'id="setup-key"[^>]*>([A-Z2-7 ]+)<', page)
    pending = re.search(r'name="pending" value="([^"]+)"', page)
    assert key is not None and pending is not None, "the set-up page shows no key"
    return page, key.group(1), pending.group(1)


def shown_codes(page: str) -> list[str]:
    return [html.unescape(code) for code in re.findall(r'class="col recovery-code">([^<]+)<', page)]


def test_the_set_up_page_draws_the_qr_code_inline_and_stores_nothing(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)

    page, key, _ = set_up_page(client)
    _, other_key, _ = set_up_page(client)

    svg = re.search(r"<svg[^>]*>.*?</svg>", page, re.S)
    assert svg is not None
    assert re.fullmatch(
        r'<svg [^>]*><rect [^>]*/><path d="[MHVz0-9.,\s-]+" fill="#000"/></svg>', svg.group(0)
    )
    assert 'role="img" aria-label="QR code to scan with your authenticator app"' in svg.group(0)
    assert "<img" not in page and "data:image" not in page and "<script>" not in page
    assert len(key.replace(" ", "")) == 32
    assert key != other_key
    assert "As a manager, you confirm each sign-in" in page
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert not AuthEvent.objects.filter(kind=AuthEvent.Kind.OTP_ENROLLED).exists()


def test_the_right_code_turns_it_on_and_shows_ten_recovery_codes_once(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)
    _, key, pending = set_up_page(client, next=DESK)

    response = client.post(ENROL, {"code": code_for_key(key), "pending": pending, "next": DESK})

    assert response.status_code == 200
    page = response.content.decode()
    codes = shown_codes(page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "This is the only time they are shown." in page
    assert f'href="{DESK}"' in page
    stored = set(StaticToken.objects.filter(device__user=cast.manager).values_list("token", flat=True))
    assert stored == {code.replace(" ", "") for code in codes}
    device = TOTPDevice.objects.get(user=cast.manager)
    assert device.confirmed and device.throttling_enabled
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(DESK).status_code == 200
    assert AuthEvent.objects.filter(user=cast.manager, kind=AuthEvent.Kind.OTP_ENROLLED).count() == 1
    # The codes are not on any page that can be opened again.
    assert not set(codes) & set(shown_codes(client.get(reverse("twofactor:manage")).content.decode()))


def test_the_code_used_to_set_up_cannot_sign_in_again(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)
    _, key, pending = set_up_page(client)
    code = code_for_key(key)
    client.post(ENROL, {"code": code, "pending": pending})

    later = signed_in_with_password(cast.manager)
    response = later.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in later.session


def test_a_wrong_code_keeps_the_same_key_and_turns_nothing_on(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)
    _, key, pending = set_up_page(client)
    wrong = f"{(int(code_for_key(key)) + 1) % 1_000_000:06d}"

    response = client.post(ENROL, {"code": wrong, "pending": pending})

    page = response.content.decode()
    assert response.status_code == 200
    assert "That code doesn&#x27;t match this key." in page
    assert f">{key}<" in page
    assert not TOTPDevice.objects.exists()
    assertRedirects(client.get(DESK), f"{ENROL}?next={quote(DESK, safe='')}", fetch_redirect_response=False)


def test_a_key_forged_or_signed_for_someone_else_is_refused(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)
    _, key, pending = set_up_page(client)
    chosen = "3132333435363738393031323334353637383930"
    forged = signing.dumps({"user": cast.admin.pk, "key": chosen}, salt=PENDING_KEY_SALT)

    for value in (pending[:-2] + "xx", forged, ""):
        response = client.post(ENROL, {"code": code_for_key(key), "pending": value})
        assertRedirects(response, f"{ENROL}?next={quote(DESK, safe='')}", fetch_redirect_response=False)

    assert not TOTPDevice.objects.exists()


def test_someone_with_only_the_password_cannot_replace_the_app(cast: Cast) -> None:
    device = authenticator(cast.manager)
    client = signed_in_with_password(cast.manager)

    to_the_code_step = f"{VERIFY}?next={quote(DESK, safe='')}"
    assertRedirects(client.get(ENROL), to_the_code_step, fetch_redirect_response=False)
    signed_key = signing.dumps({"user": cast.manager.pk, "key": device.key}, salt=PENDING_KEY_SALT)
    response = client.post(ENROL, {"code": code_now(device), "pending": signed_key})

    assertRedirects(response, to_the_code_step, fetch_redirect_response=False)
    assert list(TOTPDevice.objects.filter(user=cast.manager)) == [device]


def test_setting_up_ends_the_other_sessions(cast: Cast) -> None:
    elsewhere = signed_in_with_password(cast.manager)
    client = signed_in_with_password(cast.manager)
    _, key, pending = set_up_page(client)

    client.post(ENROL, {"code": code_for_key(key), "pending": pending})

    assertRedirects(
        elsewhere.get(DESK), f"{reverse('accounts:login')}?next={quote(DESK)}", fetch_redirect_response=False
    )
    assert client.get(DESK).status_code == 200


def test_setting_up_again_when_signed_in_replaces_the_app(cast: Cast) -> None:
    old = authenticator(cast.manager)
    client = client_for(cast.manager)
    _, key, pending = set_up_page(client)

    client.post(ENROL, {"code": code_for_key(key), "pending": pending})

    new = TOTPDevice.objects.get(user=cast.manager)
    assert new.pk != old.pk
    assert client.get(DESK).status_code == 200


def test_set_up_without_a_csrf_token_is_refused(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.manager)
    _, key, pending = set_up_page(client)

    response = client.post(ENROL, {"code": code_for_key(key), "pending": pending})

    assert response.status_code == 403
    assert not TOTPDevice.objects.exists()


def test_new_recovery_codes_replace_the_old_ones(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)
    _, key, pending = set_up_page(client)
    first = shown_codes(client.post(ENROL, {"code": code_for_key(key), "pending": pending}).content.decode())

    assert client.get(reverse("twofactor:recovery_codes")).status_code == 405
    renewed = shown_codes(client.post(reverse("twofactor:recovery_codes")).content.decode())

    assert len(renewed) == 10 and not set(renewed) & set(first)
    stored = set(StaticToken.objects.filter(device__user=cast.manager).values_list("token", flat=True))
    assert stored == {code.replace(" ", "") for code in renewed}


def test_pages_with_the_key_or_the_codes_are_never_cached(cast: Cast) -> None:
    client = signed_in_with_password(cast.manager)
    page = client.get(ENROL)
    _, key, pending = set_up_page(client)
    codes = client.post(ENROL, {"code": code_for_key(key), "pending": pending})
    renewed = client.post(reverse("twofactor:recovery_codes"))

    for response in (page, codes, renewed):
        assert "no-store" in response["Cache-Control"]
