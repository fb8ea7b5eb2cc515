"""The sign-in audit trail and the lock-outs, for administrators only."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from .lockout import lockout_attempts_clear
from .models import AuthEvent


class AdministratorsOnly:
    """Who signed in from where, and who is locked out, is for administrators' eyes."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(AuthEvent)
class AuthEventAdmin(AdministratorsOnly, admin.ModelAdmin):
    list_display = ["at", "kind", "person", "ip_address", "detail"]
    # By user through each row's link: a filter listing every person would not scale.
    list_filter = ["kind"]
    search_fields = ["email", "user__email", "=ip_address"]
    date_hierarchy = "at"
    show_full_result_count = False
    readonly_fields = [field.name for field in AuthEvent._meta.fields]

    @admin.display(description="account", ordering="email")
    def person(self, event: AuthEvent) -> str:
        if event.user_id is None:
            return event.email
        return format_html(
            '<a href="?user__id__exact={}" title="Every event of this person">{}</a>',
            event.user_id,
            event.email,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class LockoutAdmin(AdministratorsOnly, AccessAttemptAdmin):
    """Failed sign-ins per account, address and browser; unlocking forgets them."""

    # Axes' own "attempts remaining" column and "locked out" filter compare one row with the
    # account's limit; an address locks on the sum of its rows, so they would mislead here.
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    list_filter = ["attempt_time", "path_info"]
    actions = ["unlock"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    @admin.action(description="Unlock: forget these failed sign-ins", permissions=["delete"])
    def unlock(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        count = lockout_attempts_clear(attempts=queryset, request=request)
        self.message_user(
            request, f"Unlocked: {count} record(s) of failed sign-ins forgotten.", messages.SUCCESS
        )

    def delete_model(self, request: HttpRequest, obj: AccessAttempt) -> None:
        lockout_attempts_clear(attempts=AccessAttempt.objects.filter(pk=obj.pk), request=request)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[AccessAttempt]) -> None:
        lockout_attempts_clear(attempts=queryset, request=request)
