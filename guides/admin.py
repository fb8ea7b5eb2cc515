"""Guides in the admin: listed and read here, written in the desk (revisions and rendering go
through the services there). Revisions, feedback and views are records and stay read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from .models import Guide, GuideFeedback, GuideImage, GuideRevision, PolicyConfirmation


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RevisionInline(admin.TabularInline):
    model = GuideRevision
    fields = ("number", "title", "status", "editor", "note", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[GuideRevision]:
        return super().get_queryset(request).select_related("editor").defer("body").order_by("-number")


@admin.register(Guide)
class GuideAdmin(ReadOnlyAdmin):
    list_display = ["title", "topic", "status", "audience", "owner", "review_by", "updated_at"]
    list_filter = ["status", "topic", "audience", "platforms"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "updated_at"
    list_select_related = ["owner"]
    fields = [
        "title",
        "slug",
        "summary",
        "topic",
        "audience",
        "status",
        "platforms",
        "owner",
        "review_by",
        "body",
        "created_at",
        "updated_at",
        "published_at",
        "edit_in_desk",
    ]
    readonly_fields = ["edit_in_desk"]
    inlines = [RevisionInline]

    @admin.display(description="edit")
    def edit_in_desk(self, guide: Guide) -> str:
        return format_html('<a href="{}">Edit this guide in the desk</a>', guide.get_desk_url())


@admin.register(GuideRevision)
class GuideRevisionAdmin(ReadOnlyAdmin):
    list_display = ["guide", "number", "title", "status", "editor", "created_at"]
    list_filter = ["status", "topic"]
    search_fields = ["guide__title", "title", "note"]
    list_select_related = ["guide", "editor"]
    date_hierarchy = "created_at"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # The history goes with its guide, never on its own.
        return False


@admin.register(GuideFeedback)
class GuideFeedbackAdmin(ReadOnlyAdmin):
    list_display = ["guide", "helpful", "person", "short_comment", "updated_at"]
    list_filter = ["helpful", "guide__topic"]
    search_fields = ["guide__title", "comment", "person__email"]
    list_select_related = ["guide", "person"]
    date_hierarchy = "updated_at"

    @admin.display(description="comment")
    def short_comment(self, feedback: GuideFeedback) -> str:
        return feedback.comment if len(feedback.comment) <= 80 else feedback.comment[:79] + "…"


@admin.register(GuideImage)
class GuideImageAdmin(ReadOnlyAdmin):
    list_display = ["name", "guide", "content_type", "size", "uploaded_by", "created_at"]
    search_fields = ["name", "guide__title"]
    list_select_related = ["guide", "uploaded_by"]


@admin.register(PolicyConfirmation)
class PolicyConfirmationAdmin(ReadOnlyAdmin):
    """Who confirmed which version of the social media policy; who has not is on the desk's list."""

    list_display = ["person", "department", "version", "confirmed_at"]
    list_filter = ["version", "person__department"]
    search_fields = ["person__full_name", "person__email"]
    list_select_related = ["person__department"]
    date_hierarchy = "confirmed_at"

    @admin.display(description="department", ordering="person__department__name")
    def department(self, confirmation: PolicyConfirmation) -> str:
        return str(confirmation.person.department or "No department")
