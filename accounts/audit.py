"""The sign-in audit trail: who signed in, failed, was locked out or changed a credential."""

from __future__ import annotations

from django.http import HttpRequest

from .addresses import client_address
from .models import AuthEvent, User


def auth_event_record(
    *,
    kind: str,
    user: User | None,
    request: HttpRequest | None,
    detail: str = "",
    email: str = "",
) -> AuthEvent:
    """Write one audit row; `email` names the account tried when there is no user."""
    ip_address = None
    user_agent = ""
    if request is not None:
        ip_address = client_address(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
    return AuthEvent.objects.create(
        kind=AuthEvent.Kind(kind),
        user=user,
        email=(email or (user.email if user is not None else ""))[:254],
        ip_address=ip_address,
        user_agent=user_agent,
        detail=detail[:255],
    )
