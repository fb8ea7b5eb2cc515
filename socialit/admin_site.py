from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, URLResolver, path


class DeskAdminSite(admin.AdminSite):
    site_header = "Social IT Desk administration"
    site_title = "Social IT Desk"
    index_title = "Administration"

    def has_permission(self, request: HttpRequest) -> bool:
        # As django-otp's OTPAdminSite: a password alone never opens the admin, whoever it is.
        # twofactor.middleware sends an unverified staff member to the code step or enrolment first.
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and is_verified is not None and is_verified()

    # The stubs allow only a TemplateResponse; Django returns whatever response index gives.
    def index(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Managers come to the admin for the dashboards; the model list stays one click away.
        if getattr(request.user, "role", None) == "manager" and "apps" not in request.GET:
            return redirect("reports:dashboard")
        return super().index(request, extra_context)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in super().get_urls()
        ]

    def view_on_site(self, request: HttpRequest, content_type_id: str, object_id: str) -> HttpResponse:
        """Django's "view on site" redirect, only for objects the viewer's admin lists show.

        Unchecked, it answers a redirect for any existing id and a 404 otherwise, telling an
        agent which tickets exist in queues they don't work.
        """
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404("No such object.") from None
        model_admin = self._registry.get(model) if model is not None else None
        if model_admin is None or not model_admin.has_view_permission(request):
            raise Http404("No such object.")
        try:
            visible = model_admin.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            visible = False
        if not visible:
            raise Http404("No such object.")
        return contenttype_views.shortcut(request, content_type_id, object_id)
