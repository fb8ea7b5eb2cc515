"""Reads: who must give a second factor, and what they have set up."""

from __future__ import annotations

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User

ALWAYS_REQUIRED_ROLES = (User.Role.MANAGER, User.Role.ADMIN)


def second_factor_required(user: User) -> bool:
    """Managers and administrators always; agents when OTP_REQUIRED_FOR_AGENTS is on."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser or user.role in ALWAYS_REQUIRED_ROLES:
        return True
    return user.role == User.Role.AGENT and settings.OTP_REQUIRED_FOR_AGENTS


def user_authenticator(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def user_has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
