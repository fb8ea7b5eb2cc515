"""Writes: enrolling an authenticator, checking codes, recovery codes and removal.

Every change to someone's second factor is audited and ends their other sessions, so a
device that was lost (or a session opened before the change) stops counting at once.
"""

from __future__ import annotations

import time
from binascii import unhexlify
from dataclasses import dataclass
from datetime import datetime

import django_otp
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.audit import auth_event_record
from accounts.models import AuthEvent, User
from accounts.services import user_session_forget, user_session_track, user_sessions_end

from .selectors import second_factor_required, user_has_authenticator

RECOVERY_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_CODES_NAME = "Recovery codes"
# The app's code may be one step early or late: phones' clocks drift.
TOLERANCE_STEPS = 1


@dataclass(frozen=True)
class Check:
    """What a typed code proved: the device that accepted it, or why none did."""

    device: Device | None = None
    recovery_codes_left: int | None = None
    retry_at: datetime | None = None


def code_normalise(code: str) -> str:
    """People type codes with spaces or dashes and in either case; devices store neither."""
    return "".join(character for character in code if character.isalnum()).lower()


def authenticator_code_matches(*, key: str, code: str) -> TOTP | None:
    """The TOTP that `code` matched for the hex `key`, to record its time step, or None."""
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not code.isdigit() or not totp.verify(int(code), tolerance=TOLERANCE_STEPS):
        return None
    return totp


def _recovery_codes_replace(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_enrol(
    *, user: User, key: str, code: str, request: HttpRequest
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the app that shows `code` for `key`; it replaces any earlier one.

    Returns the new device and fresh recovery codes (shown once), or None if the code is wrong.
    """
    # Whoever holds only the password must not swap in an app of their own.
    if request.user != user or (user_has_authenticator(user) and not request.user.is_verified()):
        raise PermissionDenied("Only the person, signed in with their current second factor, may replace it.")
    totp = authenticator_code_matches(key=key, code=code)
    if totp is None:
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # The code just typed is spent: the sign-in step must not accept it again.
        device = TOTPDevice.objects.create(
            user=user,
            name=AUTHENTICATOR_NAME,
            key=key,
            confirmed=True,
            tolerance=TOLERANCE_STEPS,
            drift=totp.drift,
            last_t=totp.t(),
        )
        codes = _recovery_codes_replace(user)
        auth_event_record(kind=AuthEvent.Kind.OTP_ENROLLED, user=user, request=request)
        session_second_factor_passed(request=request, device=device)
        user_sessions_end(user=user, keep=request.session, request=request, reason="second factor enrolled")
    return device, codes


def second_factor_check(*, user: User, code: str, request: HttpRequest) -> Check:
    """Check a code from the app (6 digits) or a recovery code, under django-otp's throttling.

    Each wrong code makes the next try wait twice as long (1, 2, 4… seconds) and is audited.
    """
    code = code_normalise(code)
    is_recovery = not code.isdigit()
    model: type[TOTPDevice] | type[StaticDevice] = StaticDevice if is_recovery else TOTPDevice
    what = "recovery code" if is_recovery else "code"
    with transaction.atomic():
        # Locked so that two tries at once can't both slip past the throttle or spend one code twice.
        device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            auth_event_record(
                kind=AuthEvent.Kind.OTP_FAILED, user=user, request=request, detail=f"No {what}s set up"
            )
            return Check()
        allowed, refusal = device.verify_is_allowed()
        if not allowed:
            auth_event_record(
                kind=AuthEvent.Kind.OTP_FAILED,
                user=user,
                request=request,
                detail=f"Refused: too many wrong codes ({device.throttling_failure_count})",
            )
            return Check(retry_at=refusal["locked_until"] if refusal else None)
        if not device.verify_token(code):
            auth_event_record(
                kind=AuthEvent.Kind.OTP_FAILED,
                user=user,
                request=request,
                detail=f"Wrong {what} ({device.throttling_failure_count} in a row)",
            )
            return Check()
        if not isinstance(device, StaticDevice):
            return Check(device=device)
        left = device.token_set.count()
        auth_event_record(
            kind=AuthEvent.Kind.RECOVERY_CODE_USED, user=user, request=request, detail=f"{left} left"
        )
        return Check(device=device, recovery_codes_left=left)


def session_second_factor_passed(*, request: HttpRequest, device: Device) -> None:
    """Mark the session verified by `device`, under a new key: its privileges just grew."""
    old_key = request.session.session_key
    request.session.cycle_key()
    django_otp.login(request, device)
    if old_key:
        user_session_forget(session_key=old_key)
    user_session_track(user=device.user, session_key=request.session.session_key or "")


def recovery_codes_renew(*, user: User, request: HttpRequest) -> list[str]:
    """New recovery codes; the old ones stop working. Shown once by the caller."""
    if request.user != user or not request.user.is_verified():
        raise PermissionDenied("Only the person, signed in with their second factor, may renew the codes.")
    with transaction.atomic():
        codes = _recovery_codes_replace(user)
        auth_event_record(
            kind=AuthEvent.Kind.OTP_ENROLLED, user=user, request=request, detail="New recovery codes"
        )
    return codes


def second_factor_remove(*, user: User, request: HttpRequest, reason: str) -> None:
    """Remove someone's app and recovery codes, and end their sessions (but the one asking, if theirs).

    People who must have a second factor are asked to set one up again at their next sign-in.
    """
    # Someone who must have a second factor replaces it (enrolment) rather than turning it off.
    actor = request.user
    may = not second_factor_required(user) if actor == user else actor.is_superuser
    if not may:
        raise PermissionDenied("Only an administrator may remove someone's required second factor.")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        auth_event_record(kind=AuthEvent.Kind.OTP_REMOVED, user=user, request=request, detail=reason)
        keep = request.session if request.user == user else None
        user_sessions_end(user=user, keep=keep, request=request, reason="second factor removed")
