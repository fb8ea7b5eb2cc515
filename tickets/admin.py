from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html

from accounts.admin import UserAdmin
from accounts.models import Department, User
from notifications.admin import NotificationAdmin
from notifications.models import Notification
from socialit.change_history import ChangeHistoryAdmin

from .admin_scope import DeskPeopleAdmin, DeskQueueFilter, DeskScopedAdmin
from .events import event_sentence
from .models import (
    Attachment,
    Comment,
    Event,
    Platform,
    ProblemType,
    Queue,
    RoutingRule,
    ServiceLevel,
    Ticket,
    TimeEntry,
)
from .routing import Facts, active_rules, route, rule_matches
from .selectors import REFERENCE_RE, sla_conditions


class ServiceLevelInline(admin.TabularInline):
    model = ServiceLevel
    extra = 0
    verbose_name = "SLA policy by priority"
    verbose_name_plural = "SLA policies by priority"


@admin.register(Queue)
class QueueAdmin(ChangeHistoryAdmin):
    list_display = ["name", "slug", "hourly_rate", "is_fallback", "member_count"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]
    search_fields = ["name"]
    inlines = [ServiceLevelInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Queue]:
        return super().get_queryset(request).annotate(member_count=Count("members"))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, queue: Any) -> int:
        return queue.member_count


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(ProblemType)
class ProblemTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CommentInline(ReadOnlyInline):
    model = Comment
    fk_name = "ticket"
    fields = ("created_at", "author", "is_internal", "body")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = Event
    fields = ("created_at", "actor", "kind", "sentence")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        return super().get_queryset(request).select_related("actor")

    @admin.display(description="what happened")
    def sentence(self, event: Event) -> str:
        return event_sentence(event)


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("name", "size", "uploaded_by", "created_at")
    readonly_fields = fields


class SlaStateFilter(admin.SimpleListFilter):
    """Where each ticket stands against its targets, as the desk and the dashboards count it."""

    title = "SLA state"
    parameter_name = "sla"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("on-track", "On track"),
            ("at-risk", "At risk"),
            ("breached", "Breached, still open"),
            ("paused", "Paused"),
            ("ever-breached", "Ever breached"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket] | None:
        conditions = sla_conditions(timezone.now())
        value = self.value()
        if value in dict(self.lookup_choices):
            return queryset.filter(conditions[value])
        return None


class AgeFilter(admin.SimpleListFilter):
    title = "age"
    parameter_name = "age"
    BUCKETS = {"1": (0, 1), "3": (1, 3), "7": (3, 7), "30": (7, 30), "old": (30, None)}

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("1", "Under a day"),
            ("3", "1–3 days"),
            ("7", "3–7 days"),
            ("30", "7–30 days"),
            ("old", "Over 30 days"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Ticket]) -> QuerySet[Ticket] | None:
        value = self.value()
        if value not in self.BUCKETS:
            return None
        young, old = self.BUCKETS[value]
        now = timezone.now()
        queryset = queryset.filter(created_at__lte=now - timedelta(days=young))
        if old is not None:
            queryset = queryset.filter(created_at__gt=now - timedelta(days=old))
        return queryset


class ReadOnlyAdmin(DeskScopedAdmin):
    """Tickets change through the desk, where every change is checked and recorded."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    ticket_path = ""
    list_display = [
        "reference",
        "subject",
        "queue",
        "status",
        "priority",
        "platform",
        "assignee",
        "requester",
        "created_at",
        "updated_at",
    ]
    list_filter = [
        SlaStateFilter,
        AgeFilter,
        "status",
        "priority",
        ("queue", DeskQueueFilter),
        "platform",
        "problem_type",
        "requester__department",
        "sla_policy",
    ]
    list_select_related = ["queue", "platform", "assignee", "requester"]
    search_fields = ["subject", "requester__email"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    inlines = [CommentInline, AttachmentInline, EventInline]
    fields = [
        "desk_link",
        "subject",
        "description",
        ("requester", "company_account"),
        ("platform", "problem_type"),
        ("queue", "assignee"),
        ("status", "priority"),
        ("created_at", "updated_at"),
        ("first_response_at", "resolved_at", "closed_at"),
        ("sla_policy", "sla_due_at", "next_sla_at"),
        ("first_response_due_at", "first_response_breached_at"),
        ("resolution_due_at", "resolution_breached_at"),
        ("sla_paused_at", "sla_paused"),
    ]
    readonly_fields = ["desk_link"]

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Ticket], search_term: str
    ) -> tuple[QuerySet[Ticket], bool]:
        reference = REFERENCE_RE.match(search_term)
        if reference:
            return queryset.filter(pk=int(reference.group(1))), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="reference", ordering="id")
    def reference(self, ticket: Ticket) -> str:
        return ticket.reference

    @admin.display(description="desk")
    def desk_link(self, ticket: Ticket) -> str:
        return format_html('<a href="{}">Work {} in the desk</a>', ticket.get_desk_url(), ticket.reference)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "author", "is_internal", "created_at"]
    list_filter = ["is_internal"]
    list_select_related = ["ticket", "author"]
    search_fields = ["body", "=ticket__id"]
    show_full_result_count = False


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["name", "ticket", "size", "uploaded_by", "created_at"]
    list_select_related = ["ticket", "uploaded_by"]
    search_fields = ["name", "=ticket__id"]
    exclude = ["file"]


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "ticket", "actor", "kind", "sentence"]
    list_filter = ["kind"]
    list_select_related = ["ticket", "actor"]
    search_fields = ["=ticket__id", "actor__email"]
    show_full_result_count = False
    fields = ("ticket", "actor", "kind", "sentence", "payload", "created_at")
    readonly_fields = fields

    @admin.display(description="what happened")
    def sentence(self, event: Event) -> str:
        return event_sentence(event)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Event], search_term: str
    ) -> tuple[QuerySet[Event], bool]:
        """Also by what happened, in the kind's words ("internal note"): sentences aren't stored."""
        found, duplicates = super().get_search_results(request, queryset, search_term)
        term = " ".join(search_term.split()).lower()
        kinds = [value for value, label in Event.Kind.choices if term and term in str(label).lower()]
        return (found | queryset.filter(kind__in=kinds)) if kinds else found, duplicates

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TryRoutingForm(forms.Form):
    platform = forms.ModelChoiceField(queryset=Platform.objects.all())
    problem_type = forms.ModelChoiceField(queryset=ProblemType.objects.all())
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="Any department"
    )
    subject = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"class": "vTextField"}))
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "class": "vLargeTextField"}), required=False
    )


@admin.register(RoutingRule)
class RoutingRuleAdmin(ChangeHistoryAdmin):
    list_display = [
        "position",
        "name",
        "is_active",
        "conditions",
        "queue",
        "priority",
        "assignee",
        "round_robin",
    ]
    list_display_links = ["name"]
    list_editable = ["position", "is_active"]
    list_select_related = ["queue", "assignee"]
    list_filter = ["is_active", "queue"]
    search_fields = ["name", "keywords"]
    filter_horizontal = ["platforms", "problem_types", "departments", "emailed_to"]
    autocomplete_fields = ["assignee"]
    change_list_template = "admin/tickets/routingrule/change_list.html"
    fieldsets = [
        (None, {"fields": ["name", ("position", "is_active")]}),
        (
            "When a new ticket matches all of",
            {"fields": ["platforms", "problem_types", "departments", "keywords", "emailed_to"]},
        ),
        ("Then", {"fields": ["queue", "priority", "assignee", "round_robin"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoutingRule]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related("platforms", "problem_types", "departments", "emailed_to")
        )

    @admin.display(description="conditions")
    def conditions(self, rule: RoutingRule) -> str:
        parts = [
            ", ".join(str(p) for p in rule.platforms.all()),
            ", ".join(str(p) for p in rule.problem_types.all()),
            ", ".join(str(d) for d in rule.departments.all()),
            f"words: {rule.keywords}" if rule.keywords else "",
            "emailed to " + ", ".join(str(q) for q in rule.emailed_to.all()) if rule.emailed_to.all() else "",
        ]
        return " · ".join(part for part in parts if part) or "anything"

    def get_urls(self) -> list[URLPattern]:
        return [
            path("try/", self.admin_site.admin_view(self.try_rules), name="tickets_routingrule_try"),
            *super().get_urls(),
        ]

    def try_rules(self, request: HttpRequest) -> HttpResponse:
        """Run a sample ticket through the rules and show which one fires."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = TryRoutingForm(request.GET or None)
        results = decision = None
        if form.is_valid():
            data = form.cleaned_data
            facts = Facts(
                platform_id=data["platform"].pk,
                problem_type_id=data["problem_type"].pk,
                department_id=data["department"].pk if data["department"] else None,
                subject=data["subject"],
                description=data["description"],
            )
            results = [(rule, rule_matches(rule, facts)) for rule in active_rules()]
            decision = route(facts)
        context = {
            **self.admin_site.each_context(request),
            "title": "Try the routing rules",
            "opts": self.model._meta,
            "form": form,
            "results": results,
            "decision": decision,
            "changelist_url": reverse("admin:tickets_routingrule_changelist"),
        }
        return TemplateResponse(request, "admin/tickets/routingrule/try.html", context)


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ["logged_at", "ticket", "agent", "minutes", "hourly_rate", "note"]
    list_select_related = ["ticket", "agent"]
    list_filter = [("ticket__queue", DeskQueueFilter)]
    search_fields = ["note", "=ticket__id", "agent__email"]
    date_hierarchy = "logged_at"


# People and notifications sit below tickets and know nothing of queues: their admins get the
# desk's scope here, where queues are known.
admin.site.unregister(User)
admin.site.unregister(Notification)


@admin.register(User)
class DeskUserAdmin(DeskPeopleAdmin, UserAdmin):
    pass


@admin.register(Notification)
class DeskNotificationAdmin(DeskScopedAdmin, NotificationAdmin):
    pass
