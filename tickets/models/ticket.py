"""A ticket and what hangs on it: its conversation, files, history, time and helpers."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from .teams import Platform, ProblemType, Queue

REFERENCE_PREFIX = "SIT-"


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        WAITING_REQUESTER = "waiting_requester", "Waiting on requester"
        WAITING_THIRD_PARTY = "waiting_third_party", "Waiting on third party"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"

    class Priority(models.IntegerChoices):
        LOW = 1, "Low"
        NORMAL = 2, "Normal"
        HIGH = 3, "High"
        URGENT = 4, "Urgent"

    OPEN_STATUSES = (
        Status.NEW,
        Status.OPEN,
        Status.WAITING_REQUESTER,
        Status.WAITING_THIRD_PARTY,
    )

    subject = models.CharField(max_length=200)
    description = models.TextField()
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tickets_requested"
    )
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="tickets")
    problem_type = models.ForeignKey(ProblemType, on_delete=models.PROTECT, related_name="tickets")
    company_account = models.CharField(
        max_length=200,
        blank=True,
        help_text="The company account concerned, such as @acme or the LinkedIn page name.",
    )
    # The registry's entry when the requester picked one; the text above stays as they wrote it
    # when the account is not listed.
    account = models.ForeignKey(
        "social.CompanyAccount",
        verbose_name="registered account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,  # ticket_by_account serves every lookup by account
    )
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="tickets")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets_assigned",
    )
    # People copied on the request's email: they may reply by email and hear staff's replies.
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="tickets_copied", verbose_name="copied people"
    )
    # Staff following the ticket: they hear of its replies, notes and changes (notify.py).
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="tickets_followed")
    # A duplicate merged into another: closed, its conversation moved there, its address leads there.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_tickets"
    )
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.NEW)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # The SLA clock, kept in step by tickets/clock.py. The sweep reads only next_sla_at.
    sla_policy = models.ForeignKey(
        "sla.Policy", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sla_paused_at = models.DateTimeField(null=True, blank=True)
    sla_paused = models.DurationField(
        default=timedelta(0), help_text="Business time spent waiting on the requester."
    )
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    first_response_warn_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True)
    first_response_warned_at = models.DateTimeField(null=True, blank=True)
    first_response_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    sla_due_at = models.DateTimeField(
        null=True, blank=True, help_text="The deadline that matters now; empty when paused or done."
    )
    next_sla_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next warning or breach is due."
    )
    # Measured when they happen, in the policy's business time, for the dashboards.
    first_response_business = models.DurationField(null=True, blank=True)
    resolution_business = models.DurationField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)

    # Subject, description and comments, kept current by the services. PostgreSQL only:
    # its GIN index is made by a migration that SQLite skips.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["requester", "-updated_at", "-id"], name="ticket_requester_recent"),
            models.Index(fields=["queue", "-updated_at", "-id"], name="ticket_queue_recent"),
            # The INCLUDE columns let the dashboards count from the index alone (PostgreSQL).
            models.Index(
                fields=["queue", "status"],
                include=["platform", "priority", "created_at", "assignee"],
                name="ticket_open_by_queue",
                condition=Q(status__in=["new", "open", "waiting_requester", "waiting_third_party"]),
            ),
            models.Index(
                fields=["assignee", "-updated_at", "-id"],
                name="ticket_open_by_assignee",
                condition=Q(status__in=["new", "open", "waiting_requester", "waiting_third_party"]),
            ),
            models.Index(fields=["-created_at", "-id"], name="ticket_created"),
            models.Index(
                fields=["next_sla_at"], name="ticket_sla_next", condition=Q(next_sla_at__isnull=False)
            ),
            models.Index(
                fields=["resolved_at"],
                include=["queue", "platform", "assignee", "resolution_business"],
                name="ticket_resolved",
                condition=Q(resolved_at__isnull=False),
            ),
            models.Index(
                fields=["created_at"],
                include=[
                    "queue",
                    "platform",
                    "problem_type",
                    "status",
                    "priority",
                    "reopen_count",
                    "sla_policy",
                    "sla_paused_at",
                    "first_response_business",
                    "first_response_at",
                    "first_response_warn_at",
                    "first_response_due_at",
                    "first_response_breached_at",
                    "resolved_at",
                    "resolution_warn_at",
                    "resolution_due_at",
                    "resolution_breached_at",
                ],
                name="ticket_report_created",
            ),
            models.Index(
                fields=["account", "-created_at", "-id"],
                name="ticket_by_account",
                condition=Q(account__isnull=False),
            ),
            models.Index(
                fields=["sla_due_at", "id"],
                name="ticket_open_by_due",
                condition=Q(status__in=["new", "open", "waiting_requester", "waiting_third_party"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_desk_url(self) -> str:
        return reverse("desk:ticket", args=[self.pk])


class Comment(models.Model):
    """A public reply (requester and staff see it) or an internal note (staff only)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField()
    is_internal = models.BooleanField("internal note", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The ticket this message was written on before that ticket was merged into this one.
    merged_from = models.ForeignKey(
        Ticket, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="comment_by_ticket")]

    def __str__(self) -> str:
        kind = "Note" if self.is_internal else "Reply"
        # The author's name: a list that shows comments fetches them with select_related("author").
        return f"{kind} on {REFERENCE_PREFIX}{self.ticket_id} by {self.author}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # A random name: what users call their files never reaches the file system.
    return timezone.now().strftime(f"attachments/%Y/%m/{uuid.uuid4().hex}")


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(max_length=200, help_text="The name it was uploaded with.")
    size = models.PositiveBigIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tickets:attachment", args=[self.pk])

    @property
    def is_internal(self) -> bool:
        return self.comment is not None and self.comment.is_internal


class Event(models.Model):
    """Append-only history: who changed what on a ticket, when and why."""

    class Kind(models.TextChoices):
        FILED = "filed", "Filed"
        ROUTED = "routed", "Routed"
        ASSIGNED = "assigned", "Assigned"
        TRANSFERRED = "transferred", "Transferred"
        TIME_LOGGED = "time_logged", "Time logged"
        STATUS = "status", "Status changed"
        PRIORITY = "priority", "Priority changed"
        REPLIED = "replied", "Public reply"
        NOTED = "noted", "Internal note"
        SLA = "sla", "SLA clock"
        SLA_WARNING = "sla_warning", "SLA warning"
        SLA_BREACH = "sla_breach", "SLA breach"
        APPROVAL = "approval", "Approval"
        ACCESS_RECORDED = "access_recorded", "Account access"
        COLLABORATING = "collaborating", "Queue joined"
        CHECKLIST_ADDED = "checklist_added", "Checklist attached"
        CHECKLIST_TICKED = "checklist_ticked", "Checklist item"
        CHECKLIST_WAIVED = "checklist_waived", "Checklist waived"
        STATEMENT = "statement", "Holding statement"
        MACRO = "macro", "Macro applied"
        LINKED = "linked", "Linked"
        UNLINKED = "unlinked", "Link removed"
        MERGED_INTO = "merged_into", "Merged into another"
        MERGED_FROM = "merged_from", "Another merged in"
        FOLLOWING = "following", "Followers"
        COLLEAGUE = "colleague", "Colleagues"
        CONTENT_REVIEW = "content_review", "Content review"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the desk itself acted (routing, timers).",
    )
    kind = models.CharField(max_length=24, choices=Kind.choices)
    # The kind's declared payload (tickets/events.py): ids plus labels, moments in UTC. The
    # sentence people read is written from it when shown, in the reader's time zone.
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at", "id"], name="event_by_ticket")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {REFERENCE_PREFIX}{self.ticket_id}"


class TimeEntry(models.Model):
    """Time an agent spent on a ticket, charged at the queue's rate of the day.

    Who pays is fixed when the time is logged, like the rate: the ticket's queue and platform
    and its requester's department then. A later transfer doesn't move past cost.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="time_entries")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    minutes = models.PositiveIntegerField()
    note = models.CharField(max_length=200, blank=True)
    hourly_rate = models.DecimalField(max_digits=8, decimal_places=2)
    logged_at = models.DateTimeField(default=timezone.now)
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="+")
    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["logged_at", "id"]
        verbose_name_plural = "time entries"
        indexes = [
            models.Index(
                fields=["logged_at"],
                include=["queue", "platform", "department", "minutes", "hourly_rate"],
                name="time_entry_logged",
            )
        ]
        constraints = [models.CheckConstraint(condition=Q(minutes__gt=0), name="time_entry_minutes_positive")]

    def __str__(self) -> str:
        return f"{self.minutes} min on {REFERENCE_PREFIX}{self.ticket_id}"

    @classmethod
    def charged(cls, ticket: Ticket, **fields: Any) -> TimeEntry:
        """An unsaved entry, charged to the ticket's queue, platform and department as they are now."""
        return cls(
            ticket=ticket,
            hourly_rate=ticket.queue.hourly_rate,
            queue=ticket.queue,
            platform_id=ticket.platform_id,
            department_id=ticket.requester.department_id,
            **fields,
        )


class Collaboration(models.Model):
    """Another queue working a ticket beside its own: Communications on a hacked account.

    Its agents see and work the ticket as its own queue's do (selectors.can_work_ticket);
    the ticket stays in its queue, with its assignee, SLA and costs.
    """

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="collaborations")
    queue = models.ForeignKey(Queue, on_delete=models.PROTECT, related_name="collaborations")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "queue"], name="one_collaboration_per_queue")
        ]
        indexes = [models.Index(fields=["queue", "ticket"], name="collaboration_by_queue")]

    def __str__(self) -> str:
        return f"{self.queue} on {REFERENCE_PREFIX}{self.ticket_id}"


class TicketLink(models.Model):
    """Two tickets that belong together, read from `source`: related to, duplicate of,
    caused by, or child of `target`. Both tickets show it (tickets/linking.py)."""

    class Kind(models.TextChoices):
        RELATED = "related", "Related to"
        DUPLICATE = "duplicate", "Duplicate of"
        CAUSED_BY = "caused_by", "Caused by"
        CHILD = "child", "Child of"

    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="one_link_per_pair"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="link_not_to_itself"),
        ]
        indexes = [models.Index(fields=["target", "kind"], name="link_by_target")]

    def __str__(self) -> str:
        return f"{REFERENCE_PREFIX}{self.source_id} {self.get_kind_display().lower()} {REFERENCE_PREFIX}{self.target_id}"
