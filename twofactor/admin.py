"""Second factors in the admin: who has one, and removal when a phone is lost.

django-otp's own pages would let an administrator read someone's key, QR code or recovery
codes and create devices for them; here they only see and remove. Removal goes through the
service, which also removes the recovery codes, audits it and ends that person's sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.http import signed_in_user
from accounts.models import User

from .services import second_factor_remove

REMOVED_BY_ADMIN = "Removed by an administrator"

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    list_display = ["user", "email", "set_up", "last_used", "wrong_codes"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__full_name"]
    search_help_text = "Search by the person's email or name."
    list_filter = ["created_at"]
    fields = ("user", "email", "set_up", "last_used", "wrong_codes")
    readonly_fields = fields
    actions = ["remove_second_factor"]

    @admin.display(description="Email", ordering="user__email")
    def email(self, device: TOTPDevice) -> str:
        return device.user.email

    @admin.display(description="Set up", ordering="created_at")
    def set_up(self, device: TOTPDevice) -> datetime | None:
        return device.created_at

    @admin.display(description="Last used", ordering="last_used_at")
    def last_used(self, device: TOTPDevice) -> datetime | None:
        return device.last_used_at

    @admin.display(description="Wrong codes in a row")
    def wrong_codes(self, device: TOTPDevice) -> int:
        return device.throttling_failure_count

    def get_queryset(self, request: HttpRequest) -> QuerySet[TOTPDevice]:
        return super().get_queryset(request).filter(confirmed=True)

    def has_add_permission(self, request: HttpRequest) -> bool:
        # People enrol themselves, so that only they ever see the key.
        return False

    def has_change_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, tuple[Callable[..., str], str, str] | None]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(
        description="Remove the second factor (lost phone; they set it up again)",
        permissions=["delete"],
    )
    def remove_second_factor(self, request: HttpRequest, queryset: QuerySet[TOTPDevice]) -> None:
        me = signed_in_user(request)
        owners = list(User.objects.filter(pk__in=queryset.values("user")).exclude(pk=me.pk))
        if len(owners) < queryset.values("user").distinct().count():
            self.message_user(
                request,
                "Your own second factor stays: replace it under Profile → Two-factor sign-in.",
                messages.WARNING,
            )
        for owner in owners:
            second_factor_remove(user=owner, request=request, reason=REMOVED_BY_ADMIN)
        if owners:
            self.message_user(
                request,
                f"Removed the second factor of {', '.join(owner.email for owner in owners)}; "
                "their sessions are ended and they set it up again at their next sign-in.",
            )

    def has_delete_permission(self, request: HttpRequest, obj: TOTPDevice | None = None) -> bool:
        own = obj is not None and obj.user_id == request.user.pk
        return not own and super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: TOTPDevice) -> None:
        second_factor_remove(user=obj.user, request=request, reason=REMOVED_BY_ADMIN)
