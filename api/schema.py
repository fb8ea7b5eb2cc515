"""The OpenAPI schema's additions: every API operation documents its errors, in their one shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

ERRORS = {
    "400": "The request is malformed or a field is invalid: `fields` names each one.",
    "401": "No token, or an unknown, expired or revoked one.",
    "403": "A read-only token writing, a missing CSRF token, or an action your role can't take.",
    "404": "No such object, or one you may not know about.",
    "405": "The endpoint doesn't take this method.",
    "406": "The endpoint can't answer in the media type asked for.",
    "415": "The endpoint doesn't read this media type.",
    "429": "Too many requests: wait the `Retry-After` seconds.",
}


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="A stable word for programs, such as `not_found` or `invalid`.")
    message = serializers.CharField(help_text="What went wrong and what to do, for people.")
    # DRF's metaclass takes declared fields off the class: Serializer.fields stays as it is.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="For validation errors: each invalid field's messages.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class ApiSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        if direction != "response" or not self.path.startswith("/api/v1/"):
            return responses
        for code, description in ERRORS.items():
            if code not in responses:
                error = OpenApiResponse(ErrorSerializer, description=description)
                responses[code] = self._get_response_for_code(error, code, ["application/json"])
        return responses
