from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import QueueDefaultView, SavedView


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    list_display = ["name", "queue", "owner", "query_string", "created_by", "created_at"]
    list_filter = ["queue"]
    search_fields = ["name"]
    readonly_fields = ["filters", "created_by", "created_at"]  # saved from the desk, checked there

    def get_queryset(self, request: HttpRequest) -> QuerySet[SavedView]:
        return super().get_queryset(request).select_related("queue", "owner", "created_by")


@admin.register(QueueDefaultView)
class QueueDefaultViewAdmin(admin.ModelAdmin):
    list_display = ["queue", "view", "set_by", "set_at"]
    raw_id_fields = ["view"]
    readonly_fields = ["set_by", "set_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[QueueDefaultView]:
        return super().get_queryset(request).select_related("queue", "view", "set_by")
