"""Second factors for tests: an enrolled app, the code it would show, a verified session."""

from __future__ import annotations

from base64 import b32decode

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from twofactor.services import RECOVERY_CODE_COUNT, _recovery_codes_replace


def authenticator(user: User) -> TOTPDevice:
    """The person's enrolled app, set up now if they have none, ready to accept the current code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    # A code is accepted once per 30-second step; tests sign in more often than people do.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    device.refresh_from_db()
    return device


def recovery_codes(user: User) -> list[str]:
    codes = _recovery_codes_replace(user)
    assert len(codes) == RECOVERY_CODE_COUNT
    return codes


def code_now(device: TOTPDevice, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{totp.token():06d}"


def code_for_key(typed_key: str) -> str:
    """The code an app shows for a key typed from the set-up page (base32, in groups of four)."""
    totp = TOTP(b32decode(typed_key.replace(" ", "")))
    return f"{totp.token():06d}"


def session_verify(client: Client, user: User) -> TOTPDevice:
    """Make a force_login'd client's session one that has passed the second factor."""
    device = authenticator(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
