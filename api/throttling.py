from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """Requests per token, so one runaway script doesn't spend its owner's other tokens."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PersonRateThrottle(SimpleRateThrottle):
    """Requests per person, across their tokens and their browser session."""

    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        ident: int | str
        if request.user and request.user.is_authenticated:
            ident = request.user.pk
        else:
            ident = f"anonymous-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
