"""Webhook endpoints, and one delivery row per event and endpoint with a row per attempt.

This app knows no ticket: the tickets app tells it what happened (tickets/hooks.py) and it
refers to a ticket only by a string foreign key, as notifications do.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

SECRET_PREFIX = "whsec_"


class Topic(models.TextChoices):
    TICKET_CREATED = "ticket.created", "Ticket created"
    TICKET_UPDATED = "ticket.updated", "Ticket updated"
    TICKET_COMMENTED = "ticket.commented", "Reply or note added"
    TICKET_ASSIGNED = "ticket.assigned", "Ticket assigned"
    TICKET_RESOLVED = "ticket.resolved", "Ticket resolved"
    SLA_WARNING = "ticket.sla_warning", "SLA deadline close"
    SLA_BREACH = "ticket.sla_breach", "SLA deadline missed"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class Endpoint(models.Model):
    """A URL that hears about the events it subscribes to, signed with its own secret."""

    name = models.CharField(max_length=100, help_text="What receives the events, such as “IT chat channel”.")
    url = models.URLField(
        "URL",
        max_length=500,
        help_text="http or https, on a public address; the desk posts JSON here and follows no redirect.",
    )
    # Kept as it is: the desk signs every request with it, and the receiver checks with the same one.
    secret = models.CharField(max_length=100, default=new_secret, editable=False)
    topics = models.JSONField("events", default=list, help_text="The events this endpoint hears about.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="webhook_endpoints",
        help_text="Told by email when the endpoint is turned off after repeated failures.",
    )
    is_active = models.BooleanField("on", default=True)
    failures_in_row = models.PositiveIntegerField("failures in a row", default=0, editable=False)
    disabled_at = models.DateTimeField("turned off at", null=True, blank=True, editable=False)
    disabled_reason = models.CharField("why it was turned off", max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Delivery(models.Model):
    """One event for one endpoint: written with the event, sent after commit, retried until it lands."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    # Sent as a header: the receiver's key for ignoring a delivery it has already seen.
    uuid = models.UUIDField("delivery id", default=uuid.uuid4, unique=True, editable=False)
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    topic = models.CharField("event", max_length=40, choices=Topic.choices)
    ticket = models.ForeignKey(
        "tickets.Ticket", null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_deliveries"
    )
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        indexes = [
            # The re-dispatcher's work list: only undelivered rows are in this index.
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_undelivered",
                condition=Q(status__in=["pending", "sending"]),
            ),
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_by_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} to {self.endpoint}"


class Attempt(models.Model):
    """One try at sending a delivery: what came back, how long it took, what went wrong."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    duration_ms = models.PositiveIntegerField("duration (ms)", default=0)
    status_code = models.PositiveSmallIntegerField("HTTP status", null=True, blank=True)
    error = models.TextField(blank=True)
    response_excerpt = models.CharField("response", max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number", "id"]
        indexes = [models.Index(fields=["delivery", "number"], name="webhook_attempt_by_delivery")]

    def __str__(self) -> str:
        return f"Attempt {self.number}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
