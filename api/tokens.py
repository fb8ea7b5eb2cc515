"""Personal API tokens: made, found and revoked here, by the profile screens and the API alike.

A token reads `sit_<prefix>_<secret>`. The prefix is stored plainly to find the row; the
secret only as its SHA-256 digest, so a copy of the database opens nothing. The secret is
32 random bytes: a fast hash is enough, there is no password to guess.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from twofactor.selectors import second_factor_required, user_has_authenticator

from .models import ApiToken

TOKEN_PREFIX = "sit_"
EXPIRY_CHOICES_DAYS = (7, 30, 90, 365)
# Each request would otherwise write the row; a minute is precise enough for "last used".
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_ACTIVE_TOKENS = 20


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown to its owner once, then gone


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def second_factor_needed(user: User) -> bool:
    """Whether making a token takes a session that passed the second factor.

    A token opens the API with no second factor: scripts can't type codes. So whoever signs in
    with one (managers and administrators always, agents as set up; twofactor.selectors) may
    make a token only from a session that gave it, and the token carries no more than that
    session had: the same person's rights, for at most a year, revocable, listed in the admin.
    """
    return second_factor_required(user) or user_has_authenticator(user)


@transaction.atomic
def api_token_create(
    *, user: User, name: str, scope: str, expires_in_days: int, second_factor_passed: bool
) -> IssuedToken:
    """`second_factor_passed`: the session asking has given the person's second factor."""
    if not user.is_active:
        raise PermissionDenied(f"{user}'s account is deactivated.")
    if not second_factor_passed and second_factor_needed(user):
        raise PermissionDenied("Sign in with your second factor before creating a token.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Name the token after what will use it.")
    if scope not in ApiToken.Scope.values:
        raise ValidationError("Choose read only, or read and write.")
    if expires_in_days not in EXPIRY_CHOICES_DAYS:
        raise ValidationError("Choose an expiry of 7, 30, 90 or 365 days.")
    now = timezone.now()
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now)
    if active.count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {MAX_ACTIVE_TOKENS} active tokens; revoke one you no longer use.")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=prefix,
        digest=_digest(secret),
        scope=scope,
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days),
    )
    return IssuedToken(token=token, plaintext=f"{TOKEN_PREFIX}{prefix}_{secret}")


def api_token_revoke(*, token: ApiToken, actor: User) -> None:
    """By its owner, or by an administrator when someone leaves or a token leaks."""
    if token.user_id != actor.pk and not (actor.is_active and actor.role == User.Role.ADMIN):
        raise PermissionDenied("Only the token's owner or an administrator can revoke it.")
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_authenticate(plaintext: str) -> ApiToken | None:
    """The usable token this text is, or None; records when it was last used."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = plaintext.removeprefix(TOKEN_PREFIX).partition("_")
    if len(prefix) != 8 or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    now = timezone.now()
    if not token.is_usable(now):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def user_api_tokens(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(user=user))
