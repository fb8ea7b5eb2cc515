from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class DeskAdminSite(admin.AdminSite):
    site_header = "Social IT Desk administration"
    site_title = "Social IT Desk"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        # As django-otp's OTPAdminSite: a password alone never opens the admin, whoever it is.
        # twofactor.middleware sends an unverified staff member to the code step or enrolment first.
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and is_verified is not None and is_verified()

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # Managers come to the admin for the dashboards; the model list stays one click away.
        if getattr(request.user, "role", None) == "manager" and "apps" not in request.GET:
            return redirect("reports:dashboard")
        return super().index(request, extra_context)
