"""The administrators' webhook screens: endpoints, and the delivery log with each attempt."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from accounts.http import signed_in_user

from .forms import EndpointForm
from .models import Attempt, Delivery, Endpoint, Topic
from .services import deliveries_send_again, endpoint_secret_renew, endpoints_turn_on


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "events", "owner", "is_active", "failures_in_row", "disabled_at"]
    list_filter = ["is_active"]
    list_select_related = ["owner"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["signing_secret", "failures_in_row", "disabled_at", "disabled_reason", "created_at"]
    actions = ["turn_on", "renew_secret"]

    def get_fieldsets(self, request: HttpRequest, obj: Endpoint | None = None) -> Any:
        main = (None, {"fields": ["name", "url", "topics", "owner", "is_active"]})
        if obj is None:
            return [main]
        state = (
            "Signing and state",
            {
                "fields": self.readonly_fields,
                "description": "Give the signing secret to the receiver: it checks the X-SocialIT-Signature "
                "header of each request with it (README, “Webhooks”).",
            },
        )
        return [main, state]

    @admin.display(description="Events")
    def events(self, endpoint: Endpoint) -> str:
        labels = dict(Topic.choices)
        return ", ".join(str(labels.get(topic, topic)) for topic in endpoint.topics)

    @admin.display(description="Signing secret")
    def signing_secret(self, endpoint: Endpoint) -> str:
        return format_html("<code>{}</code>", endpoint.secret)

    @admin.action(description="Turn on again (and forget past failures)", permissions=["change"])
    def turn_on(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        count = endpoints_turn_on(
            ids=list(queryset.values_list("pk", flat=True)), actor=signed_in_user(request)
        )
        self.message_user(request, f"{count} endpoint(s) turned on.", messages.SUCCESS)

    @admin.action(description="Make a new signing secret", permissions=["change"])
    def renew_secret(self, request: HttpRequest, queryset: QuerySet[Endpoint]) -> None:
        for endpoint in queryset:
            endpoint_secret_renew(endpoint=endpoint, actor=signed_in_user(request))
        self.message_user(
            request,
            f"{queryset.count()} endpoint(s) sign with a new secret from now on: give it to the receiver.",
            messages.WARNING,
        )


class AttemptInline(admin.TabularInline):
    model = Attempt
    fields = ("started_at", "duration_ms", "status_code", "error", "response_excerpt")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "topic", "endpoint", "ticket_reference", "status", "attempts", "error"]
    list_filter = ["status", "topic", "endpoint"]
    list_select_related = ["endpoint"]
    search_fields = ["=uuid", "=ticket__id"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    fields = (
        "uuid",
        "endpoint",
        "topic",
        "ticket",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "last_error",
        "created_at",
        "body",
    )
    readonly_fields = fields
    inlines = [AttemptInline]
    actions = ["send_again"]

    @admin.display(description="Last error")
    def error(self, delivery: Delivery) -> str:
        text = delivery.last_error
        return text if len(text) <= 80 else f"{text[:79]}…"

    @admin.display(description="What is sent")
    def body(self, delivery: Delivery) -> str:
        return format_html("<pre>{}</pre>", json.dumps(delivery.payload, indent=2, ensure_ascii=False))

    @admin.display(description="Ticket", ordering="ticket")
    def ticket_reference(self, delivery: Delivery) -> str:
        return f"SIT-{delivery.ticket_id}" if delivery.ticket_id else "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Send again", permissions=["view"])
    def send_again(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        chosen = list(queryset.values_list("pk", flat=True))
        count = deliveries_send_again(ids=chosen, actor=signed_in_user(request))
        if count:
            self.message_user(request, f"{count} delivery(ies) will be sent again.", messages.SUCCESS)
        if count < len(chosen):
            self.message_user(
                request,
                f"{len(chosen) - count} left as they are: still on their way, or their endpoint is off "
                "(turn it on first).",
                messages.WARNING,
            )
