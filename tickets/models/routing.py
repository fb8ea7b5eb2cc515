"""Where a new ticket goes and which service level it gets there."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .teams import Platform, ProblemType, Queue
from .ticket import Ticket


class RoutingRule(models.Model):
    """If a new ticket meets every condition set here, it goes where the rule says.

    Rules are tried in order of position; the first match wins. An empty condition
    matches anything.
    """

    name = models.CharField(max_length=120)
    position = models.PositiveIntegerField(default=0, db_index=True)
    is_active = models.BooleanField(default=True)
    platforms = models.ManyToManyField(Platform, blank=True, related_name="+")
    problem_types = models.ManyToManyField(ProblemType, blank=True, related_name="+")
    departments = models.ManyToManyField(
        "accounts.Department", blank=True, related_name="+", help_text="The requester's department."
    )
    keywords = models.CharField(
        max_length=500,
        blank=True,
        help_text="Comma-separated words or phrases; any one in the subject or description matches.",
    )
    emailed_to = models.ManyToManyField(
        Queue,
        blank=True,
        related_name="+",
        verbose_name="emailed to",
        help_text="Mail that arrived at one of these queues' mailboxes. Leave empty for every request.",
    )
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="routing_rules")
    priority = models.PositiveSmallIntegerField(
        choices=Ticket.Priority.choices,
        null=True,
        blank=True,
        help_text="Leave empty for Normal.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Assign straight to this agent.",
    )
    round_robin = models.BooleanField(default=False, help_text="Assign in turn among the queue's agents.")
    # Which rule sent a ticket where is in its history; what the rule said then is here.
    history = HistoricalRecords(m2m_fields=[platforms, problem_types, departments])

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(round_robin=True) & Q(assignee__isnull=False)),
                name="routing_assignee_or_round_robin",
                violation_error_message="Choose an assignee or round-robin, not both.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip().lower() for word in self.keywords.split(",") if word.strip()]


class ServiceLevel(models.Model):
    """Which SLA policy a queue applies at each priority."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="service_levels")
    priority = models.PositiveSmallIntegerField(choices=Ticket.Priority.choices)
    policy = models.ForeignKey("sla.Policy", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["queue", "-priority"]
        constraints = [
            models.UniqueConstraint(fields=["queue", "priority"], name="one_policy_per_queue_priority")
        ]

    def __str__(self) -> str:
        return f"{self.queue} {self.get_priority_display()}: {self.policy}"
