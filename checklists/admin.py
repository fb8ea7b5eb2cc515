from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from .models import ChecklistTemplate, TemplateItem, TemplateLink


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    extra = 0
    fields = ["position", "text", "help_text", "required", "needs", "secures"]


class TemplateLinkInline(admin.TabularInline):
    model = TemplateLink
    extra = 0
    fields = ["position", "label", "url", "platform"]
    verbose_name = "guidance link"
    verbose_name_plural = "guidance links (shown with the checklist on tickets of their platform)"


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(admin.ModelAdmin):
    """Templates only: a ticket's own checklist is a copy, changed on the ticket itself."""

    list_display = ["name", "problem_type_names", "item_count", "is_active"]
    list_filter = ["is_active", "problem_types"]
    search_fields = ["name"]
    filter_horizontal = ["problem_types"]
    inlines = [TemplateItemInline, TemplateLinkInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ChecklistTemplate]:
        return (
            super()
            .get_queryset(request)
            .annotate(item_count=Count("items", distinct=True))
            .prefetch_related("problem_types")
        )

    @admin.display(description="problem types")
    def problem_type_names(self, template: Any) -> str:
        return ", ".join(p.name for p in template.problem_types.all()) or "—"

    @admin.display(description="items", ordering="item_count")
    def item_count(self, template: Any) -> int:
        return template.item_count
