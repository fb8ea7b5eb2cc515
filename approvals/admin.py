"""Approvals in the admin: read-only, for managers to follow what waits and what was decided.

Decisions are made in the portal (or from the email), where the approver is checked; nothing
here changes an approval.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Absence, Approval, ApprovalEvent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "sees_every_queue", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "sees_every_queue", False))


class EventInline(admin.TabularInline):
    model = ApprovalEvent
    fields = ["created_at", "actor", "kind", "summary"]
    readonly_fields = ["created_at", "actor", "kind", "summary"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Approval)
class ApprovalAdmin(ReadOnly):
    list_display = ["subject", "kind", "requester", "status", "stage", "approver", "created_at", "decided_by"]
    list_filter = ["kind", "status", "stage", "account__queue", "account__platform"]
    list_select_related = ["requester", "approver", "decided_by"]
    search_fields = ["subject", "requester__full_name", "requester__email"]
    date_hierarchy = "created_at"
    inlines = [EventInline]
    exclude = ["details"]


@admin.register(Absence)
class AbsenceAdmin(ReadOnly):
    list_display = ["user", "until"]
    list_select_related = ["user"]
