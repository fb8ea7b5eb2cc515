"""The desk's set-up: the teams' queues and what people ask about."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Queue(models.Model):
    """A team's inbox: IT, Marketing, Communications."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField(blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="queues",
        help_text="Agents who work this queue. Managers see every queue without being members.",
    )
    hourly_rate = models.DecimalField(
        "hourly cost rate",
        max_digits=8,
        decimal_places=2,
        default=0,
        help_text="What an hour of this team's work costs; time logged on tickets is charged at it.",
    )
    is_fallback = models.BooleanField(
        "fallback queue",
        default=False,
        help_text="Receives every ticket that no routing rule matches. Exactly one queue has it.",
    )
    # Round-robin assignment resumes after the agent who got the last ticket.
    last_assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Who changed the rate (and the rest) when, for the cost reports' sake. The turn above is not
    # history: it moves with every ticket and is saved without a history row (filing._next_in_turn).
    history = HistoricalRecords(excluded_fields=["last_assigned_to"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_fallback"], condition=Q(is_fallback=True), name="one_fallback_queue"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Platform(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(unique=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ProblemType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    help_text = models.TextField(
        blank=True, help_text="Shown on the request form when this problem type is chosen."
    )
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
