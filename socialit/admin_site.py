from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


class DeskAdminSite(admin.AdminSite):
    site_header = "Social IT Desk administration"
    site_title = "Social IT Desk"
    index_title = "Administration"

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # Managers come to the admin for the dashboards; the model list stays one click away.
        if getattr(request.user, "role", None) == "manager" and "apps" not in request.GET:
            return redirect("reports:dashboard")
        return super().index(request, extra_context)
