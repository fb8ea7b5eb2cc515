from __future__ import annotations

from typing import Any

from rest_framework import permissions
from rest_framework.request import Request

from .models import ApiToken


class TokenScope(permissions.BasePermission):
    """A read-only token reads; writing takes a read-and-write token, or the browser session."""

    message = "This token is read only; create a read-and-write token to make changes."

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS or not isinstance(request.auth, ApiToken):
            return True
        return request.auth.can_write
