"""Mailboxes, the messages that came in, and the ones that need someone, with a retry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from .models import AutoReply, Contact, FailedMessage, InboundMessage, Mailbox
from .selectors import raw_response
from .services import RETRYABLE, message_retry


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["address", "slug", "queue", "delivery", "senders", "is_active"]
    list_filter = ["delivery", "senders", "is_active", "queue"]
    prepopulated_fields = {"slug": ["address"]}
    fieldsets = [
        (None, {"fields": ["address", "slug", "queue", "delivery", "senders", "is_active"]}),
        (
            "IMAP",
            {
                "fields": [
                    "imap_host",
                    "imap_port",
                    "imap_security",
                    "imap_user",
                    "imap_folder",
                    "imap_password_env",
                ],
                "description": "Only for mail polled over IMAP. The password stays in the worker's environment.",
            },
        ),
    ]


class MessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "mailbox", "sender", "subject", "status", "ticket", "attempts"]
    list_filter = ["status", "mailbox"]
    search_fields = ["sender", "subject", "key"]
    list_select_related = ["mailbox", "ticket"]
    readonly_fields = [
        "mailbox",
        "key",
        "sender",
        "subject",
        "status",
        "reason",
        "text",
        "attempts",
        "ticket",
        "comment",
        "received_at",
        "processed_at",
        "raw_download",
    ]
    exclude = ["raw"]
    actions = ["retry"]

    @admin.display(description="raw message")
    def raw_download(self, message: InboundMessage) -> str:
        url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_raw", args=[message.pk])
        return format_html(
            '<a href="{}">Download the .eml</a> ({} bytes)', url, f"{len(bytes(message.raw)):,}"
        )

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_raw"
        raw = path("<int:pk>/raw/", self.admin_site.admin_view(self.raw_view), name=name)
        return [raw, *super().get_urls()]

    def raw_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = self.get_queryset(request).filter(pk=pk).first()
        if message is None or not self.has_view_permission(request, message):
            raise Http404
        return raw_response(message)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # What came in is a record; it changes only by being processed again.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nothing that came in is ever lost, by mistake or on purpose.
        return False

    @admin.action(description="Process the selected messages again")
    def retry(self, request: HttpRequest, queryset: QuerySet[InboundMessage]) -> None:
        outcomes: dict[str, int] = {}
        for message in queryset.filter(status__in=RETRYABLE):
            done = message_retry(message=message)
            label = done.get_status_display()
            outcomes[label] = outcomes.get(label, 0) + 1
        if not outcomes:
            self.message_user(
                request, "Only failed, held or held-back messages can be retried.", messages.WARNING
            )
            return
        summary = ", ".join(f"{count} {label.lower()}" for label, count in outcomes.items())
        self.message_user(request, f"Retried: {summary}.", messages.SUCCESS)


@admin.register(InboundMessage)
class InboundMessageAdmin(MessageAdmin):
    pass


@admin.register(FailedMessage)
class FailedMessageAdmin(MessageAdmin):
    list_display = ["received_at", "sender", "subject", "status", "why"]

    @admin.display(description="why")
    def why(self, message: InboundMessage) -> str:
        # The first lines say it; a failure's traceback is on the message's page.
        reason = message.reason.strip().splitlines()[-1] if message.status == "failed" else message.reason
        return reason if len(reason) <= 160 else reason[:159] + "…"

    def get_queryset(self, request: HttpRequest) -> QuerySet[InboundMessage]:
        return super().get_queryset(request).filter(status__in=RETRYABLE)


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    """People outside the company who wrote to a mailbox for anyone: they never sign in."""

    list_display = ["user", "mailbox", "created_at"]
    list_select_related = ["user", "mailbox"]
    search_fields = ["user__email", "user__full_name"]
    readonly_fields = ["user", "mailbox", "created_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AutoReply)
class AutoReplyAdmin(admin.ModelAdmin):
    list_display = ["day", "address", "sent_at", "last_error"]
    list_filter = ["day"]
    search_fields = ["address"]
    readonly_fields = ["address", "day", "message", "sent_at", "last_error"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
