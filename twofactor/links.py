from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.http import AuthenticatedHttpRequest


def next_url(request: AuthenticatedHttpRequest) -> str:
    """Where to go once the second factor is done: the page that asked, if it is ours."""
    asked = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        asked, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return asked
    return reverse("desk:list") if request.user.is_desk_user else reverse("home")


def url_with_next(name: str, next_path: str | None) -> str:
    url = reverse(name)
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url
