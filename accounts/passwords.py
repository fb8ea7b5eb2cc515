"""Passwords: the length limit, reset requests and their limits, the link a reset email carries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string

from .addresses import client_address
from .audit import auth_event_record
from .lockout import lockout_clear
from .models import AuthEvent, User
from .services import user_password_changed


class MaximumLengthValidator:
    """Refuse passwords longer than `max_length`: hashing a megabyte on every sign-in is a cheap attack."""

    def __init__(self, max_length: int = 128) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: User | None = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long. It must contain at most {self.max_length} characters.",
                code="password_too_long",
                params={"max_length": self.max_length},
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long: a passphrase is welcome."


RESET_WINDOW = timedelta(hours=1)


def _reset_limit_reached(*, email: str, ip_address: str | None) -> bool:
    recent = AuthEvent.objects.filter(
        kind=AuthEvent.Kind.PASSWORD_RESET_REQUESTED, at__gte=timezone.now() - RESET_WINDOW
    )
    if recent.filter(email=email).count() >= settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT:
        return True
    return (
        ip_address is not None
        and recent.filter(ip_address=ip_address).count() >= settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )


def password_reset_request(*, email: str, request: HttpRequest) -> list[User]:
    """Who gets a reset link for `email`: nobody when the hour's limit is reached.

    Every request is in the audit trail, which is also what the limits count: a few links per
    account and per address an hour. The caller answers the same page whatever this returns,
    so the page tells nobody whether an address has an account.
    """
    email = email.strip().lower()
    users = list(PasswordResetForm().get_users(email))
    if _reset_limit_reached(email=email, ip_address=client_address(request)):
        auth_event_record(
            kind=AuthEvent.Kind.PASSWORD_RESET_THROTTLED,
            user=users[0] if users else None,
            request=request,
            email=email,
            detail="No email sent: too many requests in the last hour",
        )
        return []
    auth_event_record(
        kind=AuthEvent.Kind.PASSWORD_RESET_REQUESTED,
        user=users[0] if users else None,
        request=request,
        email=email,
        detail="" if users else "No active account with a password uses this address",
    )
    return users


def password_reset_deliver(*, users: Sequence[User]) -> None:
    """Hand the reset emails to the outbox named by PASSWORD_RESET_SENDER (accounts cannot know it)."""
    if users:
        sender: Callable[..., object] = import_string(settings.PASSWORD_RESET_SENDER)
        sender(users=users)


def password_reset_link(*, user: User) -> str:
    """A fresh one-time link: made when the email is written, so no token is ever stored."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def password_reset_completed(*, user: User, request: HttpRequest) -> None:
    """A reset proves the owner: it also lifts the account's lock-out."""
    lockout_clear(username=user.email)
    user_password_changed(user=user, request=request, kind=AuthEvent.Kind.PASSWORD_RESET_DONE)
