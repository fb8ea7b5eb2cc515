"""One error shape for every refusal: `{"error": {"code", "message", "fields"}}`.

The services speak Django: their PermissionDenied means the caller may not act on the
object, answered as 404 like a fetch outsiders can't tell from a missing row; their
ValidationError is a 400 with the service's own words.
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback


def _messages(detail: Any) -> list[str]:
    if isinstance(detail, list):
        return [message for item in detail for message in _messages(item)]
    if isinstance(detail, dict):
        return [message for item in detail.values() for message in _messages(item)]
    return [str(detail)]


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(error, Http404 | DjangoPermissionDenied):
        error = exceptions.NotFound("Not found.")
    elif isinstance(error, DjangoValidationError):
        error = exceptions.ValidationError({"non_field_errors": error.messages})
    if not isinstance(error, exceptions.APIException):
        return None
    headers: dict[str, str] = {}
    # Throttled sets `wait` (seconds, or None) in __init__; the stubs leave the attribute out.
    wait = error.wait if isinstance(error, exceptions.Throttled) else None  # type: ignore[attr-defined]
    if wait is not None:
        headers["Retry-After"] = str(math.ceil(wait))
    # Set by DRF on a 401 from the first authenticator: tells the client to send a token.
    if auth_header := getattr(error, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    fields: dict[str, list[str]] = {}
    if isinstance(error, exceptions.ValidationError) and isinstance(error.detail, dict):
        general = _messages(error.detail.get("non_field_errors", []))
        fields = {
            name: _messages(value) for name, value in error.detail.items() if name != "non_field_errors"
        }
        message = " ".join(general) or f"Correct {', '.join(fields)} and send it again."
    else:
        message = " ".join(_messages(error.detail))
    codes = error.get_codes()
    code = codes if isinstance(codes, str) else error.default_code
    set_rollback()
    body = {"error": {"code": code, "message": message, "fields": fields}}
    return Response(body, status=error.status_code, headers=headers)
