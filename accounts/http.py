"""Request types for the views: what the middleware and the sign-in check guarantee, told to mypy."""

from __future__ import annotations

from typing import Protocol

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from .models import User


class HtmxHttpRequest(HttpRequest):
    """Every request past django-htmx's middleware."""

    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """A request that login_required (or desk_required) let through: its user is signed in."""

    user: User


class _HasUser(Protocol):
    @property
    def user(self) -> User | AnonymousUser: ...


def signed_in_user(request: _HasUser) -> User:
    """The signed-in person where a check before the code guarantees one (the admin site's own,
    the API's IsAuthenticated) but the signature cannot say so."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in first.")
    return user
