from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Macro


@admin.register(Macro)
class MacroAdmin(admin.ModelAdmin):
    """Macros are checked on save (Macro.clean): an unknown placeholder is refused by name."""

    list_display = ["name", "queue", "owner", "set_status", "set_priority", "is_active", "updated_at"]
    list_filter = ["is_active", "queue", "set_status"]
    search_fields = ["name", "reply"]
    autocomplete_fields = ["owner"]
    fieldsets = [
        (None, {"fields": ["name", "is_active", "queue", "owner"]}),
        ("What it writes", {"fields": ["reply", "note", "guide"]}),
        ("What it changes", {"fields": ["set_status", "set_priority", "assign", "move_to", "checklist"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Macro]:
        return super().get_queryset(request).select_related("queue", "owner")
