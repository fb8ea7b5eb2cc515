from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Notification, OptOut
from .services import notifications_retry


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox. Staff read the rows about tickets they work, administrators every row: the
    tickets app, which knows who works what, registers the scoped admin (tickets/admin.py)."""

    list_display = ["created_at", "what", "email", "ticket", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["ticket"]
    search_fields = ["email", "thread", "=ticket__id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    actions = ["retry"]
    readonly_fields = [field.name for field in Notification._meta.fields]

    @admin.display(description="What happened", ordering="kind")
    def what(self, notification: Notification) -> str:
        return notification.what_happened

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Retry delivery of the failed ones", permissions=["view"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = notifications_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, f"{count} failed notification(s) will be sent again.", messages.SUCCESS)


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "kind"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]
