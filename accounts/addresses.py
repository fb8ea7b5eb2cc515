"""Where a request comes from, as sign-in limits and the audit trail see it."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's address: the proxy's X-Forwarded-For only when BEHIND_PROXY says one is in front.

    Each trusted proxy appends the address it saw; entries further left come from the client
    and are not to be believed.
    """
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= settings.PROXY_COUNT and _is_address(forwarded[-settings.PROXY_COUNT]):
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR") or None


def _is_address(text: str) -> bool:
    # With too high a PROXY_COUNT the entry is the client's own claim: it may be anything.
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
