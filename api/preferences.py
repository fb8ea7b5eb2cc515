"""The signed-in person's email preferences: the screen's rules, through the notifications service."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.http import signed_in_user
from accounts.models import User
from notifications.models import ESSENTIAL_KINDS, OptOut, kinds_reaching
from notifications.services import preferences_set

from .serializers import PreferencesChangeSerializer, PreferencesSerializer


def _preferences(user: User) -> dict[str, Any]:
    muted = set(OptOut.objects.filter(user=user).values_list("kind", flat=True))
    reaching = kinds_reaching(user)
    return {
        "optional": [
            {"kind": kind.value, "label": kind.label, "enabled": kind not in muted}
            for kind in reaching
            if kind not in ESSENTIAL_KINDS
        ],
        "always": [
            {"kind": kind.value, "label": kind.label, "enabled": True}
            for kind in reaching
            if kind in ESSENTIAL_KINDS
        ],
    }


class NotificationPreferences(APIView):
    @extend_schema(responses=PreferencesSerializer, summary="The emails you receive")
    def get(self, request: Request) -> Response:
        return Response(_preferences(signed_in_user(request)))

    @extend_schema(
        request=PreferencesChangeSerializer, responses=PreferencesSerializer, summary="Choose your emails"
    )
    def put(self, request: Request) -> Response:
        user = signed_in_user(request)
        form = PreferencesChangeSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        offered = {kind.value for kind in kinds_reaching(user) if kind not in ESSENTIAL_KINDS}
        if unknown := sorted(set(form.validated_data["enabled"]) - offered):
            raise exceptions.ValidationError(
                {
                    "enabled": [
                        f"Not an email you can choose: {', '.join(unknown)}. Choose from {', '.join(sorted(offered))}."
                    ]
                }
            )
        preferences_set(user=user, enabled=form.validated_data["enabled"])
        return Response(_preferences(user))
